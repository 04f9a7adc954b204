import {
  type AnyThreadChannel,
  type ButtonInteraction,
  type Message,
  MessageFlags,
  type ModalSubmitInteraction,
  Routes,
} from 'discord.js';
import { answerQueued } from './asking.js';
import { tellPrivately } from './boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from './context.js';
import { InteractionDelivery, ThreadDelivery, withNote } from './delivery.js';
import { interactionReply } from './jobs.js';
import { labels, notices } from './messages.js';
import { askModal, CUSTOM_IDS, SAFE_MENTIONS } from './payloads.js';
import { placeOfInteraction, placeOfThread } from './where.js';

/** "Ask a question": opens the modal at once (a modal must be the first response). */
export async function onAskButton(
  interaction: ButtonInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  await acknowledge(ctx, () => interaction.showModal(askModal(interaction.message.id)));
  return 'ok';
}

/**
 * The modal's question: answered in the summary's thread for everyone when there is one (with a
 * private "answered in the thread" note), else privately, as for private summaries.
 */
export async function onAskModal(
  interaction: ModalSubmitInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  const conversationId = interaction.customId.slice(CUSTOM_IDS.askModal.length + 1);
  const question = interaction.fields.getTextInputValue(CUSTOM_IDS.question).trim();
  const wait = await ctx.bot.rateLimits.take('questions', interaction.user.id);
  if (wait !== null) {
    await acknowledge(ctx, () => tellPrivately(interaction, notices.questionsRateLimited(wait)));
    return 'rate_limited';
  }
  await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  const conversation = await ctx.bot.app.conversations.get(conversationId);
  if (!conversation) {
    await interaction.editReply({ content: notices.conversationGone, allowedMentions: SAFE_MENTIONS });
    return 'bad_usage';
  }
  const found = await summaryThread(ctx, conversationId, interaction.message?.hasThread ?? false);
  const where = found ? placeOfThread(found, ctx.bot.client) : null;
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
  return answerQueued(ctx, conversation, question, interaction.user.id, out, interactionReply(interaction));
}

async function summaryThread(
  ctx: RequestContext,
  id: string,
  hasThread: boolean,
): Promise<AnyThreadChannel | null> {
  const cached = ctx.bot.client.channels.cache.get(id);
  const channel = cached ?? (hasThread ? await ctx.bot.client.channels.fetch(id).catch(() => null) : null);
  return channel?.isThread() && channel.isSendable() ? channel : null;
}

/**
 * "Delete": only the requester may. Forgets the conversation first (so nothing more is answered
 * from it), then deletes the summary's messages and the bot's messages in its thread, and closes
 * the thread (renamed, archived, locked when permitted).
 */
export async function onDeleteButton(
  interaction: ButtonInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  const summaryId = interaction.message.id;
  // Only its requester ever sees an ephemeral summary: its message is updated in place. So is one
  // where the bot user is not (a server or DM where only users installed the app): the bot may not
  // touch that channel itself, only the message the button is on, through the interaction.
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  const inPlace = ephemeral || placeOfInteraction(interaction).kind === 'elsewhere';
  await acknowledge(ctx, () =>
    inPlace ? interaction.deferUpdate() : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
  );
  const deleted = await ctx.bot.app.summaries.delete(summaryId, interaction.user.id);
  const unrecorded =
    deleted.status === 'unrecorded' ? await deleteUnrecordedSummary(interaction, ctx, ephemeral) : null;
  if (unrecorded) return unrecorded;
  if (deleted.status !== 'deleted') {
    const content = deleted.status === 'not_requester' ? notices.notRequester : notices.conversationGone;
    if (inPlace) {
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: SAFE_MENTIONS });
    } else {
      await interaction.editReply({ content, allowedMentions: SAFE_MENTIONS });
    }
    return 'bad_usage';
  }
  const sent = deleted.delivery;

  const channelId = sent?.channelId ?? interaction.channelId;
  if (inPlace) {
    await interaction.deleteReply();
    // The rest of a long summary, where the bot can reach it (else only logged).
    await deleteSummaryMessages(ctx, channelId, ephemeral ? [] : (sent?.messageIds.slice(1) ?? []));
  } else {
    await deleteSummaryMessages(ctx, channelId, sent?.messageIds ?? [summaryId]);
    if (sent?.threadId) await closeThread(ctx, sent.threadId);
  }
  ctx.log.info({ summaryId }, 'summary deleted by its requester');
  await interaction.followUp({
    content: notices.deleted,
    flags: MessageFlags.Ephemeral,
    allowedMentions: SAFE_MENTIONS,
  });
  return 'ok';
}

/**
 * Deletes a summary's messages in a channel as the bot (also used by `/forget`); returns how many
 * went. One Discord refuses (404 or 403: a private summary's, a server the bot has left) is logged,
 * at `level` (`debug` where that is expected), and skipped.
 */
export async function deleteSummaryMessages(
  ctx: RequestContext,
  channelId: string,
  ids: readonly string[],
  level: 'warn' | 'debug' = 'warn',
): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    try {
      await ctx.bot.client.rest.delete(Routes.channelMessage(channelId, id));
      deleted++;
    } catch (err) {
      ctx.log[level]({ err, messageId: id }, 'could not delete a summary message');
    }
  }
  return deleted;
}

/** Deletes the bot's messages in a summary's thread and closes it (also used by `/forget`). */
export async function closeThread(ctx: RequestContext, threadId: string): Promise<void> {
  const { client } = ctx.bot;
  const thread = await client.channels.fetch(threadId).catch(() => null);
  if (!thread?.isThread()) return;
  const botId = client.user?.id;
  const messages = await thread.messages.fetch({ limit: 100 }).catch(() => null);
  for (const message of messages?.values() ?? []) {
    if (message.author.id !== botId) continue;
    await message
      .delete()
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not delete a thread message'));
  }
  try {
    await thread.edit({ name: labels.deletedThread, archived: true, locked: true });
  } catch {
    // Locking needs Manage Threads; the bot owns the thread, so renaming and archiving do not.
    await thread
      .edit({ name: labels.deletedThread, archived: true })
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not close the thread'));
  }
}

/** How many messages after a summary are searched for the rest of it (a summary is a few messages). */
const SUMMARY_TAIL_SEARCH = 20;

/**
 * "Delete" on a summary the store no longer keeps (retention purged its conversation and its list
 * of messages): Discord itself still says who asked, in the interaction metadata of a summary made
 * by a command, so its requester can still remove it and close its thread; anyone else is refused.
 * Returns null when nothing says who asked (a summary sent in reply to a mention), leaving the
 * caller to say the conversation is gone. The interaction is already acknowledged.
 */
async function deleteUnrecordedSummary(
  interaction: ButtonInteraction,
  ctx: RequestContext,
  ephemeral: boolean,
): Promise<RequestOutcome | null> {
  const metadata = interaction.message.interactionMetadata;
  if (!metadata) return null;
  if (metadata.user.id !== interaction.user.id) {
    if (ephemeral) {
      await interaction.followUp({
        content: notices.notRequester,
        flags: MessageFlags.Ephemeral,
        allowedMentions: SAFE_MENTIONS,
      });
    } else {
      await interaction.editReply({ content: notices.notRequester, allowedMentions: SAFE_MENTIONS });
    }
    return 'bad_usage';
  }
  if (ephemeral) {
    await interaction.deleteReply();
  } else {
    const ids = (await summaryMessages(ctx, interaction.message)).map((m) => m.id);
    await deleteSummaryMessages(ctx, interaction.message.channelId, ids);
    if (interaction.message.hasThread) await closeThread(ctx, interaction.message.id);
  }
  ctx.log.info(
    { summaryId: interaction.message.id },
    'summary deleted by its requester after its data was purged',
  );
  await interaction.followUp({
    content: notices.deleted,
    flags: MessageFlags.Ephemeral,
    allowedMentions: SAFE_MENTIONS,
  });
  return 'ok';
}

/** The summary's first message and the bot's later messages answering the same interaction. */
async function summaryMessages(ctx: RequestContext, first: Message): Promise<Message[]> {
  const interactionId = first.interactionMetadata?.id;
  const later = await first.channel.messages
    .fetch({ after: first.id, limit: SUMMARY_TAIL_SEARCH })
    .catch(() => null);
  const rest = [...(later?.values() ?? [])].filter(
    (m) => m.author.id === ctx.bot.client.user?.id && m.interactionMetadata?.id === interactionId,
  );
  return [first, ...rest];
}
