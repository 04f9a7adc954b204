import { type Message, messageLink, type PartialMessage } from 'discord.js';
import { normalizeRequestUrl } from '../article/fetch/normalize-url.js';
import type { AutoSummaryOutcome } from '../ops/metrics.js';
import type { BotContext, RequestContext, RequestOutcome } from './context.js';
import { MessageDelivery } from './delivery.js';
import { sharedLinks } from './message-content.js';
import { runRequest } from './pipeline.js';
import { type AutoSummaryHooks, summaryFromSharedLink } from './requests/summary-request.js';
import { closeThread, deleteSummaryMessages } from './summary-removal.js';
import { autoText } from './texts.js';
import { placeOfMessage } from './where.js';

/**
 * A person's message being worked on in an auto-summary channel, as the gateway last showed it:
 * deleted, or its current text (an edit may drop a link). Kept by the bot while the message's
 * summaries are made; the events of a guild arrive on the shard whose process does that work.
 */
export interface WatchedMessage {
  deleted: boolean;
  content: string;
}

/** Whether a message may carry links for an auto-summary channel (checked before any store read). */
export function mayCarryLinks(content: string): boolean {
  return /https?:\/\//iu.test(content);
}

/**
 * A message from a person in a guild channel that neither mentions nor replies to the bot: when its
 * channel has auto-summaries on, each of its shared links (at most three, those the channel's
 * domains let through) gets a summary as a reply, through the same pipeline as a mention — the
 * poster's rate limit and budget, the job record, the permission handling. A link summarized there
 * in the last 24 hours gets a one-line pointer to that summary instead. Nothing is said for a link
 * that fails (not an article, the poster's rate limit…): it is logged and counted. Null when the
 * channel does not summarize links (not a request).
 */
export async function autoSummarize(ctx: RequestContext, message: Message): Promise<RequestOutcome | null> {
  const { bot } = ctx;
  const auto = bot.app.autoSummaries;
  const setting = await auto.setting(message.channelId);
  if (!setting || setting.guildId !== message.guildId) return null;
  const links = auto.selectLinks(setting, sharedLinks(message.content));
  if (links.length === 0) return null;
  const place = placeOfMessage(message, bot.client);
  if (!place.canPost) {
    ctx.log.warn({ missing: place.missingToPost }, 'auto-summary channel: may not post');
    bot.metrics.unanswerable.inc({ kind: ctx.kind });
    return null;
  }
  const watched = bot.watchMessage(message.id, message.content);
  const count = (outcome: AutoSummaryOutcome) => bot.metrics.autoSummaries.inc({ outcome });
  const stillShared = (url: string) =>
    !watched.deleted &&
    sharedLinks(watched.content).some((l) => normalizeRequestUrl(l) === normalizeRequestUrl(url));
  let outcome: RequestOutcome = 'ok';
  try {
    for (const [i, url] of links.entries()) {
      if (!stillShared(url)) {
        count('withdrawn');
        continue;
      }
      const earlier = await auto.earlier(message.channelId, [url]);
      if (earlier) {
        await pointTo(ctx, message, earlier);
        count('pointer');
        continue;
      }
      const linkCtx: RequestContext = { ...ctx, requestId: i === 0 ? message.id : `${message.id}-${i}` };
      const hooks = sharedLinkHooks(
        ctx,
        {
          guildId: setting.guildId,
          channelId: message.channelId,
          messageId: message.id,
          authorId: message.author.id,
          url,
        },
        async () => (watched.deleted ? null : watched.content),
        (text) => new MessageDelivery(message, placeOfMessage(message, ctx.bot.client)).say(text),
      );
      const ran = await runRequest(
        linkCtx,
        summaryFromSharedLink(message, linkCtx, url, auto.lengthOf(setting), place, hooks),
      );
      if (ran !== 'ok') outcome = ran;
    }
  } finally {
    bot.unwatchMessage(message.id, watched);
  }
  return outcome;
}

/** A link posted in an auto-summary channel, being summarized for its poster. */
export interface SharedLink {
  readonly guildId: string;
  readonly channelId: string;
  /** The person's message that carries it. */
  readonly messageId: string;
  readonly authorId: string;
  readonly url: string;
}

/**
 * How an auto-summary of `link` differs from a summary asked for (see `AutoSummaryHooks`), the same
 * whether the gateway that saw the message runs it or a worker does: `current` is the message's text
 * as it now is (null once deleted: the gateway follows it by its events, a worker reads it through
 * REST), `say` posts the one-line pointer to an earlier summary of the same page.
 */
export function sharedLinkHooks(
  ctx: RequestContext,
  link: SharedLink,
  current: () => Promise<string | null>,
  say: (text: string) => Promise<unknown>,
): AutoSummaryHooks {
  const { bot } = ctx;
  const auto = bot.app.autoSummaries;
  const count = (outcome: AutoSummaryOutcome) => bot.metrics.autoSummaries.inc({ outcome });
  const carries = (content: string | null) =>
    content !== null &&
    sharedLinks(content).some((l) => normalizeRequestUrl(l) === normalizeRequestUrl(link.url));
  return {
    failed: (failure) => {
      ctx.log.info({ code: failure.code, details: failure.details }, 'auto-summary: link left unanswered');
      count(failure.code);
    },
    beforePosting: async (article) => {
      if (!carries(await current())) {
        ctx.log.info('auto-summary: the message or its link is gone; nothing posted');
        count('withdrawn');
        return false;
      }
      const same = await auto.earlier(link.channelId, [article.canonicalUrl, article.url]);
      if (!same) return true;
      ctx.log.info({ summaryId: same.summaryId }, 'auto-summary: pointer to the earlier summary posted');
      await say(autoText.duplicate(messageLink(same.channelId, same.summaryId, same.guildId), same.postedAt));
      count('pointer');
      return false;
    },
    refused: () => count('rate_limited'),
    posted: async (summaryId, article) => {
      await auto.recordPosted({
        guildId: link.guildId,
        channelId: link.channelId,
        url: link.url,
        canonicalUrl: article.canonicalUrl,
        summaryId,
        messageId: link.messageId,
        requesterId: link.authorId,
      });
      count('posted');
      // The message may have gone while the summary was sent, before it was recorded.
      const now = await current();
      if (!carries(now)) await withdraw(ctx, link.messageId, now === null ? null : sharedLinks(now));
    },
  };
}

/** The one-line reply pointing to the earlier summary of the same link in this channel. */
async function pointTo(
  ctx: RequestContext,
  message: Message,
  earlier: {
    readonly guildId: string;
    readonly channelId: string;
    readonly summaryId: string;
    readonly postedAt: number;
  },
): Promise<void> {
  const link = messageLink(earlier.channelId, earlier.summaryId, earlier.guildId);
  ctx.log.info({ summaryId: earlier.summaryId }, 'auto-summary: pointer to the earlier summary posted');
  await new MessageDelivery(message, placeOfMessage(message, ctx.bot.client)).say(
    autoText.duplicate(link, earlier.postedAt),
  );
}

/**
 * Deletes the auto-summaries of a message whose links are gone (`links` null: the message was
 * deleted): their messages, threads and records. Returns how many summaries went.
 */
async function withdraw(
  ctx: RequestContext,
  messageId: string,
  links: readonly string[] | null,
): Promise<number> {
  const deliveries = await ctx.bot.app.autoSummaries.withdraw(messageId, links);
  for (const delivery of deliveries) {
    await deleteSummaryMessages(ctx, delivery.channelId, delivery.messageIds, 'debug');
    if (delivery.threadId) await closeThread(ctx, delivery.threadId);
    ctx.bot.metrics.autoSummaries.inc({ outcome: 'withdrawn' });
  }
  if (deliveries.length > 0)
    ctx.log.info({ messageId, summaries: deliveries.length }, 'auto-summaries withdrawn');
  return deliveries.length;
}

/**
 * MESSAGE_DELETE: a message being worked on is marked, so nothing is posted for it; summaries
 * already posted for it are deleted (found in the store, so this works after a restart too).
 */
export function createMessageDeleteHandler(bot: BotContext) {
  return (message: Message | PartialMessage): void => {
    if (!message.inGuild()) return;
    const watched = bot.watched(message.id);
    if (watched) watched.deleted = true;
    bot.track(withdrawQuietly(bot, message, null));
  };
}

/**
 * MESSAGE_UPDATE: an edit that removes a link stops its summary (or deletes it once posted). Only
 * with the Message Content intent: without it, edits arrive without their text.
 */
export function createMessageUpdateHandler(bot: BotContext) {
  return (_old: Message | PartialMessage, message: Message | PartialMessage): void => {
    if (!bot.config.DISCORD_MESSAGE_CONTENT || !message.inGuild() || typeof message.content !== 'string')
      return;
    if (message.author?.bot || message.webhookId) return;
    const watched = bot.watched(message.id);
    if (watched) watched.content = message.content;
    bot.track(withdrawQuietly(bot, message, sharedLinks(message.content)));
  };
}

async function withdrawQuietly(
  bot: BotContext,
  message: Message | PartialMessage,
  links: readonly string[] | null,
): Promise<void> {
  const log = bot.log.child({ requestId: message.id, messageId: message.id, guildId: message.guildId });
  const ctx: RequestContext = {
    bot,
    log,
    requestId: message.id,
    kind: 'auto_summary',
    receivedAt: performance.now(),
  };
  try {
    await withdraw(ctx, message.id, links);
  } catch (err) {
    log.warn({ err }, 'could not withdraw auto-summaries');
  }
}
