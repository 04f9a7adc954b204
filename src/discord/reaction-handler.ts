import type { Message, MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { isConfiguredReaction, resolveSummaryOptions, type ServerDefaults } from '../app/server-settings.js';
import { messageBoundary } from './boundary.js';
import type { BotContext, RequestContext, RequestOutcome } from './context.js';
import { attachmentInfo, firstLink, mentions, type SourceInput } from './message-content.js';
import { runRequest } from './pipeline.js';
import { summaryFromMessage } from './requests/summary-request.js';
import { placeOfMessage } from './where.js';

/** Attachments a reaction summarizes: text and PDF files (by the type Discord states, or the name). */
const READABLE_FILE = /\.(?:txt|md|markdown|html?|pdf)$/iu;

/**
 * Reactions that ask for a summary: a person (never a bot) reacting, in a server, with that server's
 * emoji (`/settings reaction_emoji`, default 📰) to a message by a person (never the bot's own or
 * another bot's or a webhook's). The message's first link, else its first text or PDF file, is
 * summarized as a reply to it, through the same pipeline as a mention, charged to whoever reacted.
 *
 * One summary per message: the first reaction claims it in the store (atomic, so a second person
 * reacting at the same moment, in any process, gets nothing); a claim whose request failed or was
 * refused is given back, so a later reaction may try again (on a gateway, a refusal before the
 * queue is given back here; the worker that runs the summary gives back one that fails). A reaction to a message with nothing to
 * summarize does nothing at all: 📰 is also just an emoji people use.
 *
 * Discord sends reactions to messages it has not cached as partials: the message is fetched first.
 * Without the Message Content intent its text, links and files arrive empty (except in messages
 * that mention the bot, which the mention itself already answered, and so are skipped here), so
 * reactions need the intent to find anything.
 */
export function createReactionHandler(bot: BotContext) {
  return (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): void => {
    const guildId = reaction.message.guildId;
    if (user.bot || guildId === null || !bot.accepting) return;
    bot.track(
      reacted(bot, reaction, user.id, guildId).catch((err: unknown) =>
        bot.log.warn({ err, messageId: reaction.message.id, guildId }, 'could not handle a reaction'),
      ),
    );
  };
}

async function reacted(
  bot: BotContext,
  reaction: MessageReaction | PartialMessageReaction,
  userId: string,
  guildId: string,
): Promise<void> {
  const defaults = await bot.app.settings.defaults(guildId);
  if (!isConfiguredReaction(defaults.reactionEmoji, reaction.emoji)) return;
  const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
  if (message.author.bot || message.webhookId !== null || message.system) return;
  // A message that mentions the bot was answered as a mention already (see message-handler.ts).
  const botId = bot.client.user?.id;
  if (botId && mentions(message.content, botId)) return;
  const input = sourceToSummarize(message);
  if (!input) {
    bot.log.debug({ messageId: message.id, guildId }, 'reaction to a message with nothing to summarize');
    return;
  }
  await messageBoundary(
    bot,
    message,
    'reaction',
    (ctx) => summarizeOnce(ctx, message, input, userId, guildId, defaults),
    userId,
  );
}

async function summarizeOnce(
  ctx: RequestContext,
  message: Message,
  input: SourceInput,
  userId: string,
  guildId: string,
  defaults: ServerDefaults,
): Promise<RequestOutcome | null> {
  const { settings } = ctx.bot.app;
  const place = placeOfMessage(message, ctx.bot.client);
  if (!place.canPost) {
    ctx.log.warn({ missing: place.missingToPost, kind: place.kind }, 'cannot answer here: may not post');
    ctx.bot.metrics.unanswerable.inc({ kind: ctx.kind });
    return null;
  }
  if (!(await settings.claimReaction(guildId, message.id))) {
    ctx.log.info('message already summarized for an earlier reaction: nothing more');
    return null;
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await settings.releaseReaction(message.id);
  };
  let outcome: RequestOutcome = 'error';
  try {
    const options = resolveSummaryOptions({ length: null, language: null, private: false }, defaults, null);
    // Queued, each claim's summary is its own job: the queue keeps a finished job's id for a while
    // (a duplicate add runs nothing), and a later reaction after a failure must run.
    const run = ctx.bot.queue ? { ...ctx, requestId: `${message.id}-r${Date.now()}` } : ctx;
    const request = summaryFromMessage(message, run, input, place, options, userId, true);
    outcome = await runRequest(run, {
      ...request,
      // Given back before the refusal is told, so a reaction right after it is not turned away.
      refuse: async (notice) => {
        await release();
        return request.refuse(notice);
      },
    });
    return outcome;
  } finally {
    if (outcome !== 'ok') await release();
  }
}

/** A message's first link, else its first text or PDF file; null: nothing a reaction summarizes. */
function sourceToSummarize(message: Message): SourceInput | null {
  const link = firstLink(message.content);
  if (link) return { kind: 'url', url: link };
  const file = message.attachments.find(
    (a) =>
      READABLE_FILE.test(a.name) ||
      /^(?:text\/|application\/pdf)/u.test(a.contentType ?? '') ||
      a.contentType === 'application/xhtml+xml',
  );
  return file ? { kind: 'attachment', attachment: attachmentInfo(file) } : null;
}
