import { createSystem, type System } from '../app/system.js';
import {
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
import { createClient } from './client.js';
import { BotContext, type RequestContext } from './context.js';
import { WebhookDelivery } from './delivery.js';
import { runSummary } from './requests/summary-request.js';
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
        context.track(run);
        return run;
      },
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
 * it), else the same work as in the single process, delivered through the interaction's token.
 * Throws (and the queue retries) only on transport errors; expected failures are told to the user.
 */
export async function runQueuedWork(bot: BotContext, work: QueuedWork, attempt: number): Promise<void> {
  const log = bot.log.child({ requestId: work.jobId, attempt });
  const resumed = await bot.app.jobs.resume(work.jobId);
  if (!resumed) {
    log.info('queued job already finished');
    return;
  }
  const { record, retry, handle } = resumed;
  log.info({ kind: retry.kind }, 'queued job started');
  if (retry.kind !== 'summarize' || record.reply.via !== 'interaction') {
    log.warn({ kind: retry.kind }, 'queued job of a kind this worker does not run');
    await handle.done();
    return;
  }
  const out = new WebhookDelivery(
    bot.client.rest,
    record.reply.applicationId,
    record.reply.interactionToken,
    retry.private,
  );
  const ctx: RequestContext = {
    bot,
    log,
    requestId: record.id,
    kind: 'summarize',
    receivedAt: performance.now(),
    job: handle,
  };
  const input = await bot.app.jobs.inputOf(retry.source);
  if (!input) {
    await out.fail(notices.retryGone);
    await handle.done();
    return;
  }
  const outcome = await runSummary(
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
    },
    out,
  );
  await handle.done();
  log.info({ outcome }, 'queued job done');
}
