import { type APIMessage, DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { JobHandle, JobRecord } from '../app/jobs.js';
import { createSystem, type System } from '../app/system.js';
import {
  type QueuedRefresh,
  type QueuedWork,
  queueSettings,
  startWorkConsumer,
  type WorkConsumer,
  type WorkEnd,
  type WorkItem,
} from '../app/work-queue.js';
import { type Config, ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import type { ReadinessCheck } from '../ops/health.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { sharedLinkHooks } from './auto-summary.js';
import { createClient } from './client.js';
import { BotContext, type RequestContext, type RequestOutcome } from './context.js';
import {
  AlreadyDelivered,
  ChannelReplyDelivery,
  type Delivery,
  keepTypingVia,
  WebhookDelivery,
} from './delivery.js';
import { type RefreshOrder, RestRefreshOut, refreshSummary } from './handlers/refresh-button.js';
import { type AutoSummaryHooks, runSummary } from './requests/summary-request.js';
import { notices } from './texts.js';
import { drainThread } from './thread-drain.js';

export interface RunningWorker {
  readonly system: System;
  readonly context: BotContext;
  /** For `/readyz`: the store answers. */
  readonly readiness: readonly ReadinessCheck[];
  /**
   * Stops taking jobs and lets running ones finish for up to SHUTDOWN_GRACE_MS; what still runs then
   * is handed back: its lock lapses and another worker runs it (QUEUE_LOCK_MS), editing the same reply.
   */
  stop(): Promise<void>;
}

/**
 * VERBATIM_ROLE=worker: no gateway connection. Takes the jobs gateways queue and runs them with the
 * same use cases and request code as the single process, answering through Discord's REST API (the
 * discord.js client here never logs in: only its REST part, with the bot token, is used).
 */
export async function startWorker(
  config: Config,
  log: Logger,
  metrics: Metrics = createMetrics(),
): Promise<RunningWorker> {
  const token = config.DISCORD_TOKEN;
  if (!token) {
    throw new ConfigError('DISCORD_TOKEN is missing: set it in .env (Developer Portal → Bot → Reset Token).');
  }
  const system = await createSystem(config, log, { run: 'workers', metrics });
  let consumer: WorkConsumer | null = null;
  try {
    await system.open();
    await system.app.summaries.warmUp();
    const client = createClient(config);
    client.rest.setToken(token);
    const context = new BotContext(client, system.app, system.rateLimits, config, log, metrics);
    consumer = await startWorkConsumer(
      {
        ...queueSettings(config),
        concurrency: config.ENGINE_MAX_ACTIVE,
        lockMs: config.QUEUE_LOCK_MS,
        log: log.child({ component: 'queue' }),
      },
      (work, attempt, stopping) => {
        const run = runWorkItem(context, work, attempt, stopping);
        // Tracked for shutdown; its failure is the queue's to retry, not an unhandled rejection.
        context.track(run.catch(() => undefined));
        return run;
      },
      // A drain's last attempt tells its asker and moves on by itself (thread-drain.ts).
      (work) => (work.kind === 'drain-thread' ? Promise.resolve() : finishFailedWork(context, work)),
    );
    log.info({ role: 'worker', concurrency: config.ENGINE_MAX_ACTIVE }, 'worker ready');
    let stopped: Promise<void> | null = null;
    const running = consumer;
    return {
      system,
      context,
      readiness: [{ name: 'store', check: () => system.storeAnswers() }],
      stop: () => {
        stopped ??= (async () => {
          const closed = running.close();
          const timer = new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
          if ((await Promise.race([closed.then(() => true), timer])) !== true) {
            log.warn(
              { running: context.inFlight },
              'jobs still running at shutdown are left to other workers',
            );
          }
          await client.destroy();
          await system.close();
          log.info('worker stopped');
        })();
        return stopped;
      },
    };
  } catch (err) {
    await consumer?.close();
    await system.close();
    throw err;
  }
}

/** One piece of queued work: a request from its job row, or a thread's questions. */
export function runWorkItem(
  bot: BotContext,
  work: WorkItem,
  attempt: number,
  stopping: AbortSignal,
): Promise<WorkEnd> {
  return work.kind === 'drain-thread'
    ? drainThread(bot, work, attempt, stopping)
    : runQueuedWork(bot, work, attempt).then(() => 'done' as const);
}

/**
 * One queued request, from its job row: nothing if the row is finished (an earlier run delivered
 * it), else the same work as in the single process, delivered through REST: an interaction's reply
 * through its token, a reply to a message as channel posts. What an earlier run of the job sent
 * (its worker died) is recorded in the row and not sent again; the row is finished last.
 * Throws (and the queue retries) only on transport errors; expected failures are told to the user.
 */
export async function runQueuedWork(bot: BotContext, work: QueuedWork, attempt: number): Promise<void> {
  if (work.kind === 'refresh') return runQueuedRefresh(bot, work, attempt);
  const resumed = await bot.app.jobs.resume(work.jobId);
  if (!resumed) {
    bot.log.info({ requestId: work.jobId, attempt }, 'queued job already finished');
    return;
  }
  const { record, retry, handle } = resumed;
  const log = jobLog(bot, record, attempt);
  log.info({ kind: retry.kind }, 'queued job started');
  const out = retry.kind === 'summarize' ? deliveryOf(bot, work, record, retry.private, handle) : null;
  if (retry.kind !== 'summarize' || !out) {
    log.warn({ kind: retry.kind, work: work.kind }, 'queued job of a kind this worker does not run');
    await handle.done();
    return;
  }
  const ctx: RequestContext = {
    bot,
    log,
    requestId: record.id,
    kind:
      work.kind === 'summarize'
        ? 'summarize'
        : work.auto
          ? 'auto_summary'
          : work.reaction
            ? 'reaction'
            : 'mention',
    receivedAt: performance.now(),
    job: handle,
  };
  const auto = work.kind === 'summarize-reply' && work.auto ? work.auto : null;
  const input = await bot.app.jobs.inputOf(retry.source);
  if (!input) {
    if (!auto) await out.fail(notices.retryGone);
    await releaseReactionOf(bot, work, record);
    await handle.done();
    return;
  }
  const stopTyping = record.reply.via === 'message' ? keepTypingVia(bot.client.rest, record.channelId) : null;
  let outcome: RequestOutcome;
  try {
    outcome = await runSummary(
      ctx,
      {
        input,
        length: retry.length,
        lang: retry.lang,
        requesterId: record.userId,
        guildId: record.guildId,
        channelId: record.channelId,
        openThread: retry.openThread,
        noThreadNotice: work.noThreadNotice,
        finishLast: true,
        ...(auto && record.reply.via === 'message' && out instanceof ChannelReplyDelivery
          ? { auto: workerLinkHooks(ctx, record, record.reply.messageId, auto.url, out) }
          : {}),
      },
      out,
    );
  } catch (err) {
    if (!(err instanceof AlreadyDelivered)) throw err;
    log.info({ step: err.step }, 'delivered by an earlier run, and deleted since');
    outcome = 'ok';
  } finally {
    stopTyping?.();
  }
  // Before the row is finished: a rerun after a crash here gives it back again, harmlessly.
  if (outcome !== 'ok') await releaseReactionOf(bot, work, record);
  await handle.done();
  log.info({ outcome }, 'queued job done');
}

/** A queued job's log: its request and attempt, and who asked, as the gateway's boundary logs it (a reaction's: who reacted). */
function jobLog(bot: BotContext, record: JobRecord, attempt: number): Logger {
  return bot.log.child({ requestId: record.id, attempt, userId: record.userId, guildId: record.guildId });
}

/**
 * A reaction's summary that was not made gives its claim back (as the single process does), so a
 * later reaction to the message may try again.
 */
async function releaseReactionOf(bot: BotContext, work: QueuedWork, record: JobRecord): Promise<void> {
  if (work.kind !== 'summarize-reply' || !work.reaction || record.reply.via !== 'message') return;
  await bot.app.settings.releaseReaction(record.reply.messageId);
}

/**
 * A queued job that failed its last attempt (transport errors each time): its user is told that
 * something went wrong, where the answer would have gone (not for an auto-summary: nobody asked),
 * and its row is finished.
 */
export async function finishFailedWork(bot: BotContext, work: QueuedWork): Promise<void> {
  const log = bot.log.child({ requestId: work.jobId });
  const notice = notices.unexpected(work.jobId);
  if (work.kind === 'refresh') {
    const recorded = await bot.app.jobs.resumeRecorded(work.jobId);
    if (!recorded) return;
    const out = refreshOut(bot, log, work, recorded.record);
    await tellAndFinish(log, out ? () => out.tell(notice) : null, () => recorded.handle.done());
    return;
  }
  const resumed = await bot.app.jobs.resume(work.jobId);
  if (!resumed) return;
  const { record, retry, handle } = resumed;
  const out = retry.kind === 'summarize' ? deliveryOf(bot, work, record, retry.private, handle) : null;
  const quiet = work.kind === 'summarize-reply' && work.auto !== null;
  await tellAndFinish(log, out && !quiet ? () => out.fail(notice) : null, async () => {
    await releaseReactionOf(bot, work, record).catch((err: unknown) =>
      log.warn({ err }, 'could not give back a reaction’s claim'),
    );
    await handle.done();
  });
}

/** Tells the user (when `tell`; a failure to is only logged), then finishes the job whatever happened. */
async function tellAndFinish(
  log: Logger,
  tell: (() => Promise<unknown>) | null,
  finish: () => Promise<unknown>,
): Promise<void> {
  try {
    await tell?.();
  } catch (err) {
    log.warn({ err }, 'could not tell the user their queued request failed');
  } finally {
    await finish();
  }
  log.warn({ told: tell !== null }, 'queued job failed for good');
}

/**
 * A queued Refresh, from its job row: the page fetched again and the summary edited through REST
 * (see `RestRefreshOut`); the row is finished last. A rerun after a crash edits the same messages
 * again (a summary grown longer may get its added part twice: known, rare).
 */
async function runQueuedRefresh(bot: BotContext, work: QueuedRefresh, attempt: number): Promise<void> {
  const recorded = await bot.app.jobs.resumeRecorded(work.jobId);
  if (!recorded) {
    bot.log.info({ requestId: work.jobId, attempt }, 'queued job already finished');
    return;
  }
  const { record, handle } = recorded;
  const log = jobLog(bot, record, attempt);
  log.info({ kind: work.kind }, 'queued job started');
  const ctx: RequestContext = {
    bot,
    log,
    requestId: record.id,
    kind: 'button',
    receivedAt: performance.now(),
    job: handle,
  };
  const out = refreshOut(bot, log, work, record, ctx);
  if (!out) {
    log.warn({ via: record.reply.via }, 'queued refresh without an interaction to answer');
    await handle.done();
    return;
  }
  const outcome = await refreshSummary(ctx, out, orderOf(work, record));
  await handle.done();
  log.info({ outcome }, 'queued job done');
}

function orderOf(work: QueuedRefresh, record: JobRecord): RefreshOrder {
  return {
    summaryId: work.summaryId,
    channelId: record.channelId,
    requester: { guildId: record.guildId, userId: record.userId },
    options: { length: work.length, lang: work.lang, private: work.ephemeral },
    ephemeral: work.ephemeral,
    inPlace: work.inPlace,
  };
}

function refreshOut(
  bot: BotContext,
  log: Logger,
  work: QueuedRefresh,
  record: JobRecord,
  ctx?: RequestContext,
): RestRefreshOut | null {
  const { reply } = record;
  if (reply.via !== 'interaction') return null;
  const runCtx: RequestContext = ctx ?? {
    bot,
    log,
    requestId: record.id,
    kind: 'button',
    receivedAt: performance.now(),
  };
  return new RestRefreshOut(runCtx, bot.client.rest, reply, orderOf(work, record));
}

/** Where a queued summary goes: the interaction's reply, or replies to the message; null if the row does not fit the work. */
function deliveryOf(
  bot: BotContext,
  work: QueuedWork,
  record: JobRecord,
  ephemeral: boolean,
  handle: JobHandle,
): Delivery | null {
  const { reply } = record;
  if (work.kind === 'summarize' && reply.via === 'interaction') {
    return new WebhookDelivery(
      bot.client.rest,
      reply.applicationId,
      reply.interactionToken,
      ephemeral,
      handle,
    );
  }
  if (work.kind === 'summarize-reply' && reply.via === 'message') {
    return new ChannelReplyDelivery(
      bot.client.rest,
      record.channelId,
      reply.messageId,
      work,
      record.id,
      handle,
    );
  }
  return null;
}

/**
 * An auto-summary's hooks on a worker, which sees no gateway events: the poster's message is read
 * through REST (gone: 10008), and a rerun after a crash that already posted goes on posting.
 */
function workerLinkHooks(
  ctx: RequestContext,
  record: JobRecord,
  messageId: string,
  url: string,
  out: ChannelReplyDelivery,
): AutoSummaryHooks {
  const { rest } = ctx.bot.client;
  const current = async (): Promise<string | null> => {
    try {
      const message = (await rest.get(Routes.channelMessage(record.channelId, messageId))) as APIMessage;
      return message.content;
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage) return null;
      throw err;
    }
  };
  const hooks = sharedLinkHooks(
    ctx,
    { guildId: record.guildId ?? '', channelId: record.channelId, messageId, authorId: record.userId, url },
    current,
    (text) => out.post('pointer', { content: text }, true),
  );
  return {
    ...hooks,
    beforePosting: async (article) => Boolean(ctx.job?.sent('part-0')) || hooks.beforePosting(article),
  };
}
