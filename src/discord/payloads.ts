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
import { SUMMARY_LENGTHS, type SummaryLength } from '../engines/engine.js';
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
  /** Followed by `:confirm:<user id>` or `:cancel:<user id>`: only that user may press them. */
  forget: 'verbatim:forget',
  /** Followed by `:<summary options>` (see `encodeSummaryOptions`): the button outlives restarts. */
  refresh: 'verbatim:refresh',
  /** Followed by `:<summary options>` of the `/summarize` that opened it. */
  pasteModal: 'verbatim:paste',
  pasteTitle: 'title',
  /** Followed by the part's number, 1–4. */
  pastePart: 'part-',
  /** Followed by `:<job id>` (a snowflake): runs an interrupted request again. */
  retry: 'verbatim:retry',
} as const;

/** Text inputs of the "Paste an article" modal after its title: 4 × 4,000 characters. */
export const PASTE_PARTS = 4;
/** Discord's largest text input value (characters). */
const MAX_TEXT_INPUT_CHARS = 4000;
/** Longest pasted title accepted (characters). */
const MAX_PASTE_TITLE_CHARS = 300;

/** The summary options a component carries in its custom id, so it needs no state to work. */
export interface CarriedOptions {
  readonly length: SummaryLength;
  /** BCP 47, or null for the article's own language. */
  readonly lang: string | null;
  readonly private: boolean;
}

/**
 * `<length>:<lang>:<p|->`, e.g. `standard:pt-BR:-` (lang empty for the article's own): at most
 * 9 + 1 + 35 + 2 characters, so any prefix of ours stays within Discord's 100.
 */
export function encodeSummaryOptions(options: CarriedOptions): string {
  return `${options.length}:${(options.lang ?? '').slice(0, 35)}:${options.private ? 'p' : '-'}`;
}

/** The options after `prefix:` in a custom id, or null when it is not one of ours or is malformed. */
export function decodeSummaryOptions(customId: string, prefix: string): CarriedOptions | null {
  if (!customId.startsWith(`${prefix}:`)) return null;
  const [length, lang, priv] = customId.slice(prefix.length + 1).split(':');
  const known = SUMMARY_LENGTHS.find((l) => l === length);
  if (!known || lang === undefined || (priv !== 'p' && priv !== '-')) return null;
  return { length: known, lang: lang === '' ? null : lang, private: priv === 'p' };
}

/** Longest follow-up question accepted (characters). */
export const MAX_QUESTION_CHARS = 1000;

/**
 * The buttons under a summary's first message. `refresh` (the summary's options) adds Refresh, for
 * summaries of links only: pasted text and files cannot be fetched again.
 */
export function summaryButtons(
  refresh: CarriedOptions | null = null,
): APIActionRowComponent<APIButtonComponent>[] {
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
        ...(refresh
          ? [
              {
                type: ComponentType.Button as const,
                style: ButtonStyle.Secondary as const,
                custom_id: `${CUSTOM_IDS.refresh}:${encodeSummaryOptions(refresh)}`,
                label: labels.refreshButton,
              },
            ]
          : []),
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

/**
 * The "Paste an article" modal `/summarize` opens when given nothing: an optional title and four
 * 4,000-character boxes (Discord's most: 5 inputs of 4,000), the first required, carrying the
 * command's options in its custom id.
 */
export function pasteModal(options: CarriedOptions): APIModalInteractionResponseCallbackData {
  const part = (n: number) => ({
    type: ComponentType.Label as const,
    label: n === 1 ? labels.pasteTextLabel : labels.pasteMoreLabel(n),
    component: {
      type: ComponentType.TextInput as const,
      custom_id: `${CUSTOM_IDS.pastePart}${n}`,
      style: TextInputStyle.Paragraph as const,
      max_length: MAX_TEXT_INPUT_CHARS,
      required: n === 1,
      ...(n === 1 ? { min_length: 1, placeholder: labels.pastePlaceholder } : {}),
    },
  });
  return {
    custom_id: `${CUSTOM_IDS.pasteModal}:${encodeSummaryOptions(options)}`,
    title: labels.pasteModalTitle,
    components: [
      {
        type: ComponentType.Label,
        label: labels.pasteTitleLabel,
        component: {
          type: ComponentType.TextInput,
          custom_id: CUSTOM_IDS.pasteTitle,
          style: TextInputStyle.Short,
          max_length: MAX_PASTE_TITLE_CHARS,
          required: false,
        },
      },
      ...Array.from({ length: PASTE_PARTS }, (_, i) => part(i + 1)),
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

/** `/forget`'s Confirm and Cancel buttons, bound to the user who asked. */
export function forgetButtons(userId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: `${CUSTOM_IDS.forget}:confirm:${userId}`,
          label: labels.forgetConfirmButton,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: `${CUSTOM_IDS.forget}:cancel:${userId}`,
          label: labels.forgetCancelButton,
        },
      ],
    },
  ];
}
