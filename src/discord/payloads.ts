import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
  type MessageMentionOptions,
  TextInputStyle,
} from 'discord.js';
import { labels } from './messages.js';

/**
 * Sent with every message: nobody is ever pinged, whatever article text or question a message
 * carries (`@everyone`, role and user mentions), and replies do not ping their author.
 */
export const SAFE_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [], repliedUser: false });

/** Custom ids of Verbatim's components; each fits Discord's 100 characters. */
export const CUSTOM_IDS = {
  ask: 'verbatim:ask',
  delete: 'verbatim:delete',
  /** Followed by `:<conversation id>` (a snowflake). */
  askModal: 'verbatim:ask-modal',
  question: 'question',
  /** Followed by `:<job id>` (a snowflake): runs an interrupted request again. */
  retry: 'verbatim:retry',
} as const;

/** Longest follow-up question accepted (characters). */
export const MAX_QUESTION_CHARS = 1000;

/** The buttons under a summary's first message. */
export function summaryButtons(): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: CUSTOM_IDS.ask,
          label: labels.askButton,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: CUSTOM_IDS.delete,
          label: labels.deleteButton,
        },
      ],
    },
  ];
}

/** The modal "Ask a question" opens, bound to one conversation. */
export function askModal(conversationId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: `${CUSTOM_IDS.askModal}:${conversationId}`,
    title: labels.askModalTitle,
    components: [
      {
        type: ComponentType.Label,
        label: labels.askModalLabel,
        component: {
          type: ComponentType.TextInput,
          custom_id: CUSTOM_IDS.question,
          style: TextInputStyle.Paragraph,
          min_length: 1,
          max_length: MAX_QUESTION_CHARS,
          required: true,
          placeholder: labels.askModalPlaceholder,
        },
      },
    ],
  };
}

/** One message per embed: the shape summaries and answers are sent in. */
export function messagesOf(embeds: readonly APIEmbed[]): APIEmbed[][] {
  return embeds.map((e) => [e]);
}

/** The "Try again" button under the notice of a request a restart interrupted. */
export function retryButton(jobId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: `${CUSTOM_IDS.retry}:${jobId}`,
          label: labels.retryButton,
        },
      ],
    },
  ];
}
