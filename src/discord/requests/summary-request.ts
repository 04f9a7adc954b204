import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Message,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
  RESTJSONErrorCodes,
  Routes,
  type SendableChannels,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { type JobReply, type RetryRequest, retrySourceOf } from '../../app/jobs.js';
import type { SourceSpec } from '../../app/load-article.js';
import type { SourceInput } from '../../app/source-input.js';
import type { SummaryOutcome } from '../../app/summaries.js';
import type { WorkOrder } from '../../app/work-queue.js';
import type { Article } from '../../article/article.js';
import type { Failure, ReasonCode, Result } from '../../core/result.js';
import type { SummaryLength } from '../../engines/engine.js';
import { checkAttachment, downloadAttachment } from '../attachments.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from '../context.js';
import {
  type Delivery,
  InteractionDelivery,
  keepTyping,
  MessageDelivery,
  NO_MENTIONS,
  type SentMessage,
} from '../delivery.js';
import { messagesOf } from '../payloads.js';
import {
  interactionReply,
  type Precondition,
  type Request,
  reportFailure,
  withProgress,
} from '../pipeline.js';
import type { Progress } from '../progress.js';
import { renderSummaryEmbeds, summaryQuotes, threadName } from '../render/render-summary.js';
import { summaryButtons } from '../summary-buttons.js';
import { labels, progress as progressText } from '../texts.js';
import { noThreadNotice, type Place, placeOfInteraction } from '../where.js';
import { recordArticleLoad, recordSummaryWork } from '../work-metrics.js';

/** How a summary is asked for: its length, the reader's language, and whether only they see it. */
export interface SummaryOptions {
  readonly length: SummaryLength;
  /** BCP 47, or null for the article's own language. */
  readonly lang: string | null;
  readonly private: boolean;
}

/**
 * What to summarize, or why there is nothing to (nothing given, two things given, a message link
 * that may not be opened): a precondition refuses it, with `code` (default `bad_usage`).
 */
export type SummaryInput = SourceInput | { readonly refusal: string; readonly code?: ReasonCode };

/**
 * What to summarize, known only by a slow read (a message link, opened through Discord's REST):
 * opened after the rate limit and the acknowledgement (the pipeline's late check), then judged by
 * the same preconditions as any input.
 */
export interface LaterInput {
  readonly later: () => Promise<SummaryInput>;
}

export interface SummaryJob {
  readonly input: SourceInput;
  readonly length: SummaryLength;
  /** The reader's language (their Discord locale), or null for the article's own. */
  readonly lang: string | null;
  readonly requesterId: string;
  readonly guildId: string | null;
  readonly channelId: string;
  /** Whether to open a public thread under the summary (public summaries in guild text channels). */
  readonly openThread: boolean;
  /** One plain line shown with a public summary that gets no thread, saying why (see where.ts). */
  readonly noThreadNotice?: string | null;
  /** Set for a link summarized by itself in an auto-summary channel (see `AutoSummaryHooks`). */
  readonly auto?: AutoSummaryHooks;
  /**
   * Finish the job only once the thread and the delivery record are made (a queued job: a run
   * after its worker died then makes what is missing), not as soon as the summary is out.
   */
  readonly finishLast?: boolean;
}

/**
 * How a summary nobody asked for by name (a link posted in an auto-summary channel) differs: its
 * failures are not told in the channel, it is posted only while its message still carries the link
 * and the page was not summarized there in the last day, and it is recorded once posted.
 */
export interface AutoSummaryHooks {
  /** A failure is counted and logged by the hook; nothing is said in the channel. */
  failed(failure: Failure): void;
  /** Before posting: true to post; false when the hook handled it (withdrawn, or a pointer posted). */
  beforePosting(article: Article): Promise<boolean>;
  /** After the summary and its delivery are recorded (may withdraw it again, if its message went meanwhile). */
  posted(summaryId: string, article: Article): Promise<void>;
  /** A precondition refused the request (the poster's rate limit): counted, nothing said. */
  refused(): void;
}

/** An interaction that asks for a summary: `/summarize`, the Summarize message command, the paste form. */
type SummaryInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | (ModalSubmitInteraction & { readonly channelId: string });

/**
 * A summary asked for through an interaction. Declares the summaries rate limit, then that there is
 * one thing to summarize and that a file is one Verbatim reads (from its metadata, before any
 * download); refusals are the acknowledgement itself, privately. Otherwise deferred at once (privately
 * for a private summary), then worked on, the reply edited with progress and finally the summary.
 */
export function summaryFromInteraction(
  interaction: SummaryInteraction,
  ctx: RequestContext,
  input: SummaryInput | LaterInput,
  options: SummaryOptions,
): Request {
  const place = placeOfInteraction(interaction);
  const openThread = !options.private && place.thread.ok;
  return summaryRequest(ctx, {
    input,
    options,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    openThread,
    noThreadNotice: options.private ? null : noThreadNotice(place),
    reply: interactionReply(interaction),
    refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
    acknowledge: async () => {
      await acknowledge(ctx, () =>
        interaction.deferReply(options.private ? { flags: MessageFlags.Ephemeral } : {}),
      );
      return undefined;
    },
    out: new InteractionDelivery(interaction, options.private),
    queued: { kind: 'summarize', noThreadNotice: options.private ? null : noThreadNotice(place) },
  });
}

/**
 * A summary asked for in a message: by mentioning the bot with a link or a file, or by reacting to a
 * message with the server's emoji (`message` is then the one reacted to and `userId` who reacted).
 * A message or a reaction carries no locale: the server's default language, else the article's own;
 * its length, else standard. Always public (nobody to show a private reply to). Acknowledged by
 * "typing…" until the summary is posted, as a reply to `message`; refusals are replies too.
 * A gateway hands it to a worker; a reaction's claim is given back by whoever sees it fail (the
 * gateway for a refusal before the queue, the worker after: `reaction`).
 */
export function summaryFromMessage(
  message: Message,
  ctx: RequestContext,
  input: SourceInput,
  place: Place,
  options: Pick<SummaryOptions, 'length' | 'lang'>,
  userId: string = message.author.id,
  reaction = false,
): Request {
  const out = new MessageDelivery(message, place);
  return summaryRequest(ctx, {
    input,
    options: { length: options.length, lang: options.lang, private: false },
    userId,
    guildId: message.guildId,
    channelId: message.channelId,
    openThread: place.thread.ok,
    noThreadNotice: noThreadNotice(place),
    reply: { via: 'message', messageId: message.id },
    // A reply to someone else's message says whom a refusal is for (no ping: SAFE_MENTIONS).
    refuse: (notice) => out.fail(userId === message.author.id ? notice : `<@${userId}> ${notice}`),
    acknowledge: async () => keepTyping(message.channel as SendableChannels),
    out,
    queued: replyOrder(place, null, reaction),
  });
}

/**
 * A link posted in an auto-summary channel, summarized by itself for the person who posted it
 * (their rate limit and budget), in the channel's length, as a public reply like a mention's. Its
 * refusals (the poster's rate limit) and failures (not an article, …) are only logged and counted:
 * nobody asked, so nothing is said in the channel.
 */
export function summaryFromSharedLink(
  message: Message,
  ctx: RequestContext,
  url: string,
  length: SummaryLength,
  place: Place,
  auto: AutoSummaryHooks,
): Request {
  return summaryRequest(ctx, {
    input: { kind: 'url', url },
    options: { length, lang: null, private: false },
    userId: message.author.id,
    guildId: message.guildId,
    channelId: message.channelId,
    openThread: place.thread.ok,
    noThreadNotice: noThreadNotice(place),
    reply: { via: 'message', messageId: message.id },
    refuse: async () => auto.refused(),
    acknowledge: async () => keepTyping(message.channel as SendableChannels),
    out: new MessageDelivery(message, place),
    queued: replyOrder(place, { url }),
    auto,
  });
}

/** A summary replying to a message, as a worker runs it. */
function replyOrder(place: Place, auto: { readonly url: string } | null, reaction = false): WorkOrder {
  return {
    kind: 'summarize-reply',
    noThreadNotice: noThreadNotice(place),
    canEmbed: place.canEmbed,
    canReply: place.canReply,
    auto,
    reaction,
  };
}

/** The parts of a summary request that differ by the way in; the rest is declared here, once. */
interface SummaryWayIn {
  readonly input: SummaryInput | LaterInput;
  readonly options: SummaryOptions;
  readonly userId: string;
  readonly guildId: string | null;
  readonly channelId: string;
  readonly openThread: boolean;
  readonly noThreadNotice: string | null;
  readonly reply: JobReply;
  readonly refuse: Request['refuse'];
  readonly acknowledge: Request['acknowledge'];
  readonly out: Delivery;
  /** What a gateway queues for a worker instead of running it; null: run here. */
  readonly queued: WorkOrder | null;
  readonly auto?: AutoSummaryHooks;
}

function summaryRequest(ctx: RequestContext, way: SummaryWayIn): Request {
  const { options } = way;
  const given = way.input;
  // Known now, or once the late check has opened it.
  let input: SummaryInput | null = 'later' in given ? null : given;
  const retryOf = (source: SourceInput): RetryRequest => ({
    kind: 'summarize',
    source: retrySourceOf(source),
    length: options.length,
    lang: options.lang,
    private: options.private,
    openThread: way.openThread,
  });
  return {
    userId: way.userId,
    rateLimit: 'summaries',
    preconditions: input ? [sourceGiven(input), attachmentReadable(ctx, input)] : [],
    ...('later' in given
      ? {
          lateCheck: async (runCtx: RequestContext) => {
            const opened = await given.later();
            const refused = (await sourceGiven(opened)()) ?? (await attachmentReadable(ctx, opened)());
            if (refused || 'refusal' in opened) return refused;
            input = opened;
            await runCtx.job?.retryWith(retryOf(opened));
            return null;
          },
        }
      : {}),
    refuse: way.refuse,
    job:
      input && 'refusal' in input
        ? null
        : {
            kind: 'summarize',
            guildId: way.guildId,
            channelId: way.channelId,
            userId: way.userId,
            reply: way.reply,
            // Not known before the late check: a restart meanwhile tells the user, offering no retry.
            retry: input ? retryOf(input) : null,
          },
    acknowledge: way.acknowledge,
    queued: way.queued,
    run: (runCtx) => {
      if (!input || 'refusal' in input) throw new Error('a refused summary request ran');
      return runSummary(
        runCtx,
        {
          input,
          length: options.length,
          lang: options.lang,
          requesterId: way.userId,
          guildId: way.guildId,
          channelId: way.channelId,
          openThread: way.openThread,
          noThreadNotice: way.noThreadNotice,
          ...(way.auto ? { auto: way.auto } : {}),
        },
        way.out,
      );
    },
  };
}

/** Precondition: one thing to summarize was given. */
function sourceGiven(input: SummaryInput): Precondition {
  return () => ('refusal' in input ? { code: input.code ?? 'bad_usage', notice: input.refusal } : null);
}

/** Precondition: a file's stated size and type are ones Verbatim reads (before any download). */
function attachmentReadable(ctx: RequestContext, input: SummaryInput): Precondition {
  return () => {
    if (!('kind' in input) || input.kind !== 'attachment') return null;
    const refused = checkAttachment(input.attachment, ctx.bot.config.DISCORD_MAX_ATTACHMENT_BYTES);
    return refused
      ? {
          code: refused.code,
          notice: refused.notice,
          details: { attachment: { size: input.attachment.size, type: input.attachment.contentType } },
        }
      : null;
  };
}

/**
 * The work of every summary request (and of "Try again" on one): summarizes what the user gave and
 * posts it: progress while slow steps run, the summary (split over messages when long) with its
 * buttons, then a thread under it with an ordinary message inviting questions. The conversation is
 * stored before the thread opens, so the first reply finds it; where the summary went is recorded
 * last, with its thread.
 */
export async function runSummary(
  ctx: RequestContext,
  job: SummaryJob,
  out: Delivery,
): Promise<RequestOutcome> {
  const { bot, log } = ctx;
  const outcome = await withProgress(
    ctx,
    (text) => out.progress(text),
    async (progress): Promise<Result<SummaryOutcome>> => {
      const source = await sourceSpec(ctx, job.input, progress);
      if (!source.ok) return source;
      return bot.app.summaries.summarize({
        source: source.value,
        length: job.length,
        lang: job.lang,
        requester: { guildId: job.guildId, userId: job.requesterId },
        signal: bot.signal,
        onStep: (step) => progress.step(progressText[step]),
        onLoaded: (loaded) => {
          if (job.input.kind === 'url') recordArticleLoad(bot.metrics, loaded);
        },
        onStored: (article) => ctx.job?.articleStored(article.contentHash),
      });
    },
  );
  if (!outcome.ok) {
    if (!job.auto) return reportFailure(ctx, out, outcome.error);
    job.auto.failed(outcome.error);
    return outcome.error.code;
  }
  recordSummaryWork(bot.metrics, outcome.value);

  const { article, result, requestKey, language } = outcome.value;
  if (job.auto && !(await job.auto.beforePosting(article))) {
    await ctx.job?.done();
    return 'ok';
  }
  const note = !job.openThread && !out.ephemeral ? (job.noThreadNotice ?? undefined) : undefined;
  const sent = await out.deliver(
    messagesOf(renderSummaryEmbeds(article, result, language, outcome.value.fetchedAt)),
    summaryButtons(
      job.input.kind === 'url' ? { length: job.length, lang: job.lang, private: out.ephemeral } : null,
      { quotes: summaryQuotes(article, result), articleHash: article.contentHash },
    ),
    note,
  );
  if (!job.finishLast) await ctx.job?.done();
  const first = sent[0];
  if (!first) throw new Error('a summary was delivered as no message');
  await bot.app.conversations.open({
    id: first.id,
    guildId: job.guildId ?? '@me',
    channelId: job.channelId,
    requesterId: job.requesterId,
    articleHash: article.contentHash,
    requestKey,
    createdAt: Date.now(),
  });
  const threadId =
    job.openThread && !out.ephemeral ? await openThread(ctx, first, threadName(article)) : null;
  await bot.app.summaries.recordDelivery({
    summaryId: first.id,
    guildId: job.guildId ?? '@me',
    channelId: first.channelId,
    messageIds: sent.map((m) => m.id),
    threadId,
    requesterId: job.requesterId,
    createdAt: Date.now(),
  });
  log.info(
    {
      articleHash: article.contentHash,
      engine: result.engine,
      model: result.model,
      fallback: result.fallback?.code ?? null,
      grounding: result.grounding,
      fromCache: { article: outcome.value.articleFromCache, summary: outcome.value.summaryFromCache },
      messages: sent.length,
      threadId,
    },
    'summary posted',
  );
  await job.auto?.posted(first.id, article);
  if (job.finishLast) await ctx.job?.done();
  return 'ok';
}

/**
 * Opens the thread under a summary's first message and posts the invitation in it, through REST
 * (the same from a gateway-connected process and from a worker). Both are idempotent, for a job run
 * again after a crash: a message has at most one thread (160004 when it has one: its id is the
 * message's), and the invitation carries a nonce derived from the thread that Discord enforces.
 */
async function openThread(ctx: RequestContext, first: SentMessage, name: string): Promise<string | null> {
  const { rest } = ctx.bot.client;
  try {
    let threadId: string;
    try {
      const thread = (await rest.post(Routes.threads(first.channelId, first.id), {
        body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
      })) as { id: string };
      threadId = thread.id;
    } catch (err) {
      if (
        !(err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage)
      ) {
        throw err;
      }
      threadId = first.id;
    }
    await rest.post(Routes.channelMessages(threadId), {
      body: {
        content: labels.threadInvite,
        allowed_mentions: NO_MENTIONS,
        nonce: `t${threadId}`.slice(0, 25),
        enforce_nonce: true,
      },
    });
    return threadId;
  } catch (err) {
    // No permission to create threads, or a channel without threads: questions still work through
    // the button, and replies to the summary.
    ctx.log.warn({ err }, 'could not open a thread under the summary');
    return null;
  }
}

/** What the user gave as the app's source: an attachment is downloaded from Discord first. */
async function sourceSpec(
  ctx: RequestContext,
  input: SourceInput,
  progress: Progress,
): Promise<Result<SourceSpec>> {
  if (input.kind !== 'attachment') return { ok: true, value: input };
  const { config } = ctx.bot;
  progress.step(progressText.reading);
  const bytes = await downloadAttachment(input.attachment, {
    maxBytes: config.DISCORD_MAX_ATTACHMENT_BYTES,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    apiUrl: config.DISCORD_API_URL,
    signal: ctx.bot.signal,
  });
  if (!bytes.ok) return bytes;
  return {
    ok: true,
    value: {
      kind: 'bytes',
      bytes: bytes.value,
      filename: input.attachment.name,
      contentType: input.attachment.contentType,
      source: input.source ?? `discord:attachment/${input.attachment.name}`,
    },
  };
}
