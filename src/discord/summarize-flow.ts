import { type Message, ThreadAutoArchiveDuration } from 'discord.js';
import type { SourceSpec } from '../app/load-article.js';
import type { SummaryOutcome, SummaryRequest } from '../app/summaries.js';
import type { Failure, Result } from '../core/result.js';
import type { EngineInfo, SummaryLength } from '../engines/engine.js';
import type { Metrics } from '../ops/metrics.js';
import { checkAttachment, downloadAttachment } from './attachments.js';
import type { RequestContext, RequestOutcome } from './context.js';
import type { Delivery } from './delivery.js';
import { tellStoppedByShutdown } from './jobs.js';
import { failureMessage, labels, notices, progress as progressText } from './messages.js';
import { messagesOf, SAFE_MENTIONS, summaryButtons } from './payloads.js';
import { Progress } from './progress.js';
import { renderSummaryEmbeds, threadName } from './render/render-summary.js';
import type { SourceInput } from './sources.js';

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
}

/**
 * Summarizes what the user gave and posts it: progress while slow steps run, the summary (split over
 * messages when long) with its buttons, then a thread under it with an ordinary message inviting
 * questions. The conversation is stored before the thread opens, so the first reply finds it.
 */
export async function runSummary(
  ctx: RequestContext,
  job: SummaryJob,
  out: Delivery,
): Promise<RequestOutcome> {
  const { bot, log } = ctx;
  if (job.input.kind === 'attachment') {
    const refused = checkAttachment(job.input.attachment, bot.config.DISCORD_MAX_ATTACHMENT_BYTES);
    if (refused) {
      log.info(
        { attachment: { size: job.input.attachment.size, type: job.input.attachment.contentType } },
        'attachment refused',
      );
      await out.fail(refused.notice);
      return refused.code;
    }
  }
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
  if (!outcome.ok) return reportFailure(ctx, out, outcome.error);
  recordSummaryWork(bot.metrics, outcome.value);

  const { article, result, requestKey, language } = outcome.value;
  const note = !job.openThread && !out.ephemeral ? (job.noThreadNotice ?? undefined) : undefined;
  const sent = await out.deliver(
    messagesOf(renderSummaryEmbeds(article, result, language, outcome.value.fetchedAt)),
    summaryButtons(
      job.input.kind === 'url' ? { length: job.length, lang: job.lang, private: out.ephemeral } : null,
    ),
    note,
  );
  await ctx.job?.done();
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
  return 'ok';
}

/**
 * Runs a request's slow work counted in `inflightJobs`, its progress lines sent to `show` (see
 * `Progress`; one that fails to show is only logged). The last update has settled when it resolves,
 * so the caller's final edit wins.
 */
export async function withProgress<T>(
  ctx: RequestContext,
  show: (text: string) => Promise<void>,
  work: (progress: Progress) => Promise<T>,
): Promise<T> {
  const { bot, log } = ctx;
  const progress = new Progress(
    (text) => show(text).catch((err: unknown) => log.debug({ err }, 'progress update failed')),
    bot.config.DISCORD_PROGRESS_DELAY_MS,
  );
  bot.metrics.inflightJobs.inc();
  try {
    return await work(progress);
  } finally {
    bot.metrics.inflightJobs.dec();
    await progress.done();
  }
}

/** A link's article loaded (or not), for metrics: a fetch, or a hit in the article cache. */
export function recordArticleLoad(
  metrics: Metrics,
  loaded: Parameters<NonNullable<SummaryRequest['onLoaded']>>[0],
): void {
  if ('failure' in loaded) metrics.fetches.inc({ outcome: loaded.failure });
  else if (loaded.fromCache) metrics.cacheHits.inc({ cache: 'article' });
  else {
    metrics.cacheMisses.inc({ cache: 'article' });
    metrics.fetches.inc({ outcome: 'ok' });
  }
}

/** A summary's engine work and whether the summary cache answered, for metrics. */
export function recordSummaryWork(metrics: Metrics, outcome: SummaryOutcome): void {
  recordEngineWork(metrics, outcome.result);
  metrics[outcome.summaryFromCache ? 'cacheHits' : 'cacheMisses'].inc({ cache: 'model' });
}

/** Tokens, grounding and any budget fallback of one engine result, for metrics. */
export function recordEngineWork(metrics: Metrics, info: EngineInfo): void {
  metrics.modelTokens.inc({ direction: 'input' }, info.usage.inputTokens);
  metrics.modelTokens.inc({ direction: 'output' }, info.usage.outputTokens);
  const g = info.grounding;
  metrics.groundingQuotes.inc({ result: 'verified' }, Math.max(0, g.verified - g.repaired));
  metrics.groundingQuotes.inc({ result: 'repaired' }, g.repaired);
  metrics.groundingQuotes.inc({ result: 'dropped' }, g.dropped);
  if (info.fallback?.budget) metrics.budgetFallbacks.inc({ scope: info.fallback.budget.scope });
}

async function openThread(ctx: RequestContext, first: Message, name: string): Promise<string | null> {
  try {
    const thread = await first.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    await thread.send({ content: labels.threadInvite, allowedMentions: SAFE_MENTIONS });
    return thread.id;
  } catch (err) {
    // No permission to create threads, or a channel without threads: questions still work through
    // the button, and replies to the summary.
    ctx.log.warn({ err }, 'could not open a thread under the summary');
    return null;
  }
}

/** Tells the user why a request failed (or that the bot is restarting) and logs the details. */
export async function reportFailure(
  ctx: RequestContext,
  out: Delivery,
  failure: Failure,
): Promise<RequestOutcome> {
  const restarting = ctx.bot.signal.aborted;
  ctx.log.info({ code: failure.code, details: failure.details, restarting }, 'request failed');
  if (restarting && (await tellStoppedByShutdown(ctx, out))) return failure.code;
  await out.fail(restarting ? notices.shuttingDown : failureMessage(failure));
  return failure.code;
}

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
      source: `discord:attachment/${input.attachment.name}`,
    },
  };
}
