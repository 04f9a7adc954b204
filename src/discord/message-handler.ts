import type { Message, SendableChannels } from 'discord.js';
import type { Conversation } from '../app/conversations.js';
import { resolveSummaryOptions } from '../app/server-settings.js';
import { autoSummarize, mayCarryLinks } from './auto-summary.js';
import { messageBoundary } from './boundary.js';
import type { BotContext, RequestContext, RequestOutcome } from './context.js';
import { keepTyping, MessageDelivery } from './delivery.js';
import { attachmentInfo, firstLink, mentions, type SourceInput, withoutMention } from './message-content.js';
import { SAFE_MENTIONS } from './payloads.js';
import { runRequest } from './pipeline.js';
import { questionRequest } from './requests/question-request.js';
import { summaryFromMessage } from './requests/summary-request.js';
import { notices } from './texts.js';
import { placeOfMessage } from './where.js';

/**
 * Messages the bot acts on. Without the Message Content intent Discord only shows it the text of
 * messages that mention it and of replies (with ping) to its ordinary messages, so:
 * - in a summary's thread, a reply to the bot or a mention is a follow-up question (with the intent
 *   enabled, any message there is, except replies to other people);
 * - a reply to a summary sent where no thread could open is a question about it;
 * - elsewhere, a mention with a link (or a file) asks for a summary; a bare mention gets help.
 */
export function createMessageHandler(bot: BotContext) {
  return (message: Message): void => {
    const botId = bot.client.user?.id;
    if (!botId || message.author.bot || message.system || message.webhookId) return;
    const mentioned = mentions(message.content, botId);
    const repliedToBot = message.reference !== null && message.mentions.repliedUser?.id === botId;
    const inThread = message.channel.isThread();
    const plainInThread =
      bot.config.DISCORD_MESSAGE_CONTENT && inThread && message.content.trim() !== '' && !message.reference;
    if (!mentioned && !repliedToBot && !plainInThread) {
      // A link shared in a channel where auto-summaries may be on (the store says; only with the
      // Message Content intent does the bot see ordinary messages' links at all).
      if (
        bot.accepting &&
        bot.config.DISCORD_MESSAGE_CONTENT &&
        message.inGuild() &&
        !inThread &&
        mayCarryLinks(message.content)
      ) {
        bot.track(messageBoundary(bot, message, 'auto_summary', (ctx) => autoSummarize(ctx, message)));
      }
      return;
    }
    if (!bot.accepting) {
      // Shutting down: a short answer now rather than silence (only mentions and replies, not chatter).
      if (mentioned || repliedToBot) {
        void message
          .reply({ content: notices.shuttingDown, allowedMentions: SAFE_MENTIONS, failIfNotExists: false })
          .catch(() => undefined);
      }
      return;
    }
    const work = (ctx: RequestContext) => handle(ctx, message, botId, { mentioned, repliedToBot, inThread });
    bot.track(
      messageBoundary(bot, message, inThread ? 'thread_message' : 'mention', (ctx) =>
        // On a gateway, a thread's messages are recorded one after another, in the order Discord
        // sent them, so that its questions reach the workers' drain in the order they were asked.
        bot.queue && inThread ? bot.conversations.run(message.channelId, () => work(ctx)) : work(ctx),
      ),
    );
  };
}

async function handle(
  ctx: RequestContext,
  message: Message,
  botId: string,
  seen: { mentioned: boolean; repliedToBot: boolean; inThread: boolean },
): Promise<RequestOutcome | null> {
  let conversation: Conversation | null;
  try {
    conversation = await conversationOf(ctx, message, seen);
  } catch (err) {
    if (!ctx.bot.queue) throw err;
    // A gateway whose store is away: the asker is told to try again rather than "went wrong".
    ctx.log.warn({ err }, 'could not read the store');
    await message.reply({
      content: notices.queueDown,
      allowedMentions: SAFE_MENTIONS,
      failIfNotExists: false,
    });
    return 'busy';
  }
  const channel = message.channel as SendableChannels;
  const place = placeOfMessage(message, ctx.bot.client);
  if (!place.canPost) {
    // Nowhere to answer (no Send Messages, or a locked thread): no retry, no DM out of the blue.
    // The log line and the metric tell the operator which permission the channel lacks.
    ctx.log.warn({ missing: place.missingToPost, kind: place.kind }, 'cannot answer here: may not post');
    ctx.bot.metrics.unanswerable.inc({ kind: ctx.kind });
    return null;
  }
  const out = new MessageDelivery(message, place);
  if (conversation) {
    const about = conversation;
    return runRequest(
      ctx,
      questionRequest({
        question: withoutMention(message.content, botId),
        userId: message.author.id,
        guildId: message.guildId,
        channelId: message.channelId,
        conversationId: about.id,
        reply: { via: 'message', messageId: message.id },
        preconditions: [
          // A reply without a ping reaches the bot with its text removed (no Message Content intent).
          () =>
            message.content.trim() === '' && !ctx.bot.config.DISCORD_MESSAGE_CONTENT
              ? { code: 'empty_input', notice: notices.cannotSeeReply }
              : null,
        ],
        refuse: (notice) => out.fail(notice),
        // On a gateway the worker answering keeps typing; here one "typing…" acknowledges it.
        acknowledge: async () =>
          ctx.bot.queue ? void (await channel.sendTyping().catch(() => undefined)) : keepTyping(channel),
        resolve: async () => ({ conversation: about, out }),
      }),
    );
  }
  // A summary's thread whose conversation was deleted or purged by retention: say so.
  const orphaned = seen.inThread && message.channel.isThread() && message.channel.ownerId === botId;
  // A plain message in another thread, or a reply to the bot about nothing it keeps.
  if (!seen.mentioned && !orphaned) return null;

  const link = firstLink(message.content);
  const attachment = message.attachments.first();
  const input: SourceInput | null = link
    ? { kind: 'url', url: link }
    : attachment
      ? { kind: 'attachment', attachment: attachmentInfo(attachment) }
      : null;
  if (!input || !seen.mentioned) {
    await out.fail(orphaned ? notices.conversationGone : notices.mentionHelp);
    return 'bad_usage';
  }
  const options = resolveSummaryOptions(
    { length: null, language: null, private: false },
    await ctx.bot.app.settings.defaults(message.guildId),
    null,
  );
  return runRequest(ctx, summaryFromMessage(message, ctx, input, place, options, message.author.id));
}

/** The conversation a message is about (in its thread, replied to, or the latest in its channel), or null. */
async function conversationOf(
  ctx: RequestContext,
  message: Message,
  seen: { mentioned: boolean; repliedToBot: boolean; inThread: boolean },
): Promise<Conversation | null> {
  const { conversations } = ctx.bot.app;
  let conversation = seen.inThread ? await conversations.get(message.channelId) : null;
  if (!conversation && seen.repliedToBot && message.reference?.messageId) {
    conversation = await conversations.get(message.reference.messageId);
  }
  if (!conversation && seen.inThread && seen.mentioned && !seen.repliedToBot && !carriesSource(message)) {
    // A question by mention in a thread or forum post where a summary was posted (it opened no
    // thread of its own): about the latest summary there. A link or a file is a new summary instead.
    conversation = await conversations.latestIn(message.channelId);
  }
  return conversation;
}

/** Whether a message brings something to summarize: a link or a file. */
function carriesSource(message: Message): boolean {
  return firstLink(message.content) !== null || message.attachments.size > 0;
}
