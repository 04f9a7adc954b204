import {
  type AnyThreadChannel,
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  MessageFlags,
  TextInputStyle,
} from 'discord.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge, type RequestContext } from '../context.js';
import { InteractionDelivery, ThreadDelivery, withNote } from '../delivery.js';
import { dataOf, type ModalHandler } from '../handler.js';
import { MAX_QUESTION_CHARS, SAFE_MENTIONS } from '../payloads.js';
import { interactionReply, runRequest } from '../pipeline.js';
import { questionRequest } from '../requests/question-request.js';
import { labels, notices } from '../texts.js';
import { placeOfThread } from '../where.js';

/** The form's one text input. */
export const QUESTION_FIELD = 'question';

/** Which conversation the form asks about: its summary's id (a snowflake). */
interface AskForm {
  readonly conversationId: string;
}

const PREFIX = 'verbatim:ask-modal';

/** The custom id of this handler's component. */
const customId = (form: AskForm) => `${PREFIX}:${form.conversationId}`;

/**
 * The "Ask a question" form's answer: a question about the summary it was opened from, answered in
 * the summary's thread for everyone when there is one (with a private "answered in the thread"
 * note), else privately, as for private summaries. Acknowledged privately at once.
 */
export const askModal = {
  type: 'modal',
  prefix: PREFIX,
  customId,
  parse: (customId: string): AskForm | null => {
    const conversationId = dataOf(customId, PREFIX);
    return conversationId ? { conversationId } : null;
  },
  /** The form, bound to one conversation. */
  modal: (form: AskForm): APIModalInteractionResponseCallbackData => ({
    custom_id: customId(form),
    title: labels.askModalTitle,
    components: [
      {
        type: ComponentType.Label,
        label: labels.askModalLabel,
        component: {
          type: ComponentType.TextInput,
          custom_id: QUESTION_FIELD,
          style: TextInputStyle.Paragraph,
          min_length: 1,
          max_length: MAX_QUESTION_CHARS,
          required: true,
          placeholder: labels.askModalPlaceholder,
        },
      },
    ],
  }),
  run(interaction, { conversationId }, ctx) {
    return runRequest(
      ctx,
      questionRequest({
        question: interaction.fields.getTextInputValue(QUESTION_FIELD).trim(),
        userId: interaction.user.id,
        guildId: interaction.guildId,
        channelId: interaction.channelId ?? conversationId,
        conversationId,
        reply: interactionReply(interaction),
        inThread: true,
        refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
        acknowledge: async () => {
          await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
          return undefined;
        },
        resolve: async (runCtx) => {
          const conversation = await runCtx.bot.app.conversations.get(conversationId);
          if (!conversation) {
            await interaction.editReply({
              content: notices.conversationGone,
              allowedMentions: SAFE_MENTIONS,
            });
            return 'bad_usage';
          }
          const found = await summaryThread(runCtx, conversationId, interaction.message?.hasThread ?? false);
          const where = found ? placeOfThread(found, runCtx.bot.client) : null;
          const thread = where?.canEmbed ? found : null;
          const out = thread
            ? new ThreadDelivery(
                thread,
                interaction,
                labels.askedBy(interaction.user.id),
                notices.answeredInThread(thread.id),
              )
            : where
              ? withNote(
                  new InteractionDelivery(interaction, true),
                  found?.locked ? notices.threadLocked : notices.threadUnavailable,
                )
              : new InteractionDelivery(interaction, true);
          return { conversation, out };
        },
      }),
    );
  },
} satisfies ModalHandler<AskForm> & { modal(form: AskForm): APIModalInteractionResponseCallbackData };

/** The thread opened under a summary (it has the summary's id), where the bot may post, or null. */
async function summaryThread(
  ctx: RequestContext,
  id: string,
  hasThread: boolean,
): Promise<AnyThreadChannel | null> {
  const cached = ctx.bot.client.channels.cache.get(id);
  const channel = cached ?? (hasThread ? await ctx.bot.client.channels.fetch(id).catch(() => null) : null);
  return channel?.isThread() && channel.isSendable() ? channel : null;
}
