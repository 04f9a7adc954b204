import { DiscordAPIError, RESTJSONErrorCodes, type RepliableInteraction } from 'discord.js';
import type { JobHandle, JobInfo, JobReply } from '../app/jobs.js';
import type { RateLimitName } from '../app/rate-limits.js';
import { type ThreadDrain, type WorkItem, type WorkOrder, withJobId } from '../app/work-queue.js';
import type { Failure } from '../core/result.js';
import type { RequestContext, RequestOutcome } from './context.js';
import type { Delivery } from './delivery.js';
import { retryButtonRow } from './handlers/retry-button.js';
import { Progress } from './progress.js';
import { failureMessage, notices } from './texts.js';

/** Why a precondition stops a request: its outcome (for metrics) and the one sentence the requester sees. */
export interface Refusal {
  readonly code: RequestOutcome;
  readonly notice: string;
  /** Logged at info with the refusal (sizes, types; never contents). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A declared check: null lets the request go on. May be async (it may read what is kept). */
export type Precondition = () => Refusal | null | Promise<Refusal | null>;

/**
 * One request, as every way in hands it to the pipeline: slash commands, the message command,
 * buttons, modals, mentions and replies in threads. It declares its preconditions; the pipeline
 * enforces them once, in order, then runs the same steps for all:
 *
 *   rate limit → other preconditions (a refusal is the acknowledgement) → job record →
 *   acknowledge → (other users' acknowledgements first) → the late check (a refusal is told after
 *   the acknowledgement) → the work: progress, then the result or the reported failure.
 *
 * On a gateway, a request that declares `queued`: rate limit → other preconditions → acknowledge →
 * job record → the late check → the queue (see `handOff`).
 */
export interface Request {
  /** Who asks: whose rate limit it counts against, and whose job it is. */
  readonly userId: string;
  /** Declared: the per-user limit this request counts against, checked before anything else. */
  readonly rateLimit: RateLimitName | null;
  /** Declared: further checks, run in order after the rate limit, before any acknowledgement. */
  readonly preconditions: readonly Precondition[];
  /**
   * Declared: a check that reads slowly (a linked message, through Discord's REST), so it runs only
   * after the rate limit and the acknowledgement (Discord's 3 seconds), before the work or its
   * hand-off to a worker. Its refusal goes through `refuse` too, and finishes the job.
   */
  readonly lateCheck?: (ctx: RequestContext) => Promise<Refusal | null>;
  /** Tells the requester why not (a private reply to an interaction, a reply to a message). */
  refuse(notice: string): Promise<unknown>;
  /** What a restart needs to tell the requester and run it again; null: not recorded. */
  readonly job: Omit<JobInfo, 'id'> | null;
  /**
   * The acknowledgement (a deferral, an update, "typing…"); may return how to end it once the work
   * settles (stop typing).
   */
  acknowledge(): Promise<(() => void) | undefined>;
  /** The work: progress while it runs, then the result, or the failure told and its code returned. */
  run(ctx: RequestContext): Promise<RequestOutcome>;
  /**
   * The work as a worker runs it from its job row (VERBATIM_ROLE=gateway: queued, not run here);
   * absent or null: run here even on a gateway. A question wakes its thread's drainer, which finds
   * it by its job row.
   */
  readonly queued?: WorkOrder | ThreadDrain | null;
}

/**
 * Runs a request through the one pipeline (see `Request`). In one process (VERBATIM_ROLE=all) the
 * job is recorded before the acknowledgement, so a restart at any point after it finds the job; it
 * is finished once the work settles, unless shutdown gave up waiting on it (the bot's signal is
 * aborted) and it was neither done nor marked interrupted: its user is then told after the restart.
 * A gateway acknowledges first and records after (see `handOff`).
 */
export async function runRequest(ctx: RequestContext, request: Request): Promise<RequestOutcome> {
  const refused = await firstRefusal(ctx, request);
  if (refused) return tellRefusal(ctx, request, refused);
  if (!request.job) return acknowledgeAndRun(ctx, request);
  if (ctx.bot.queue && request.queued) return handOff(ctx, request, request.job, request.queued);
  const job = await ctx.bot.app.jobs.start({ id: ctx.requestId, ...request.job });
  try {
    return await acknowledgeAndRun({ ...ctx, job }, request);
  } finally {
    if (!(job.running && ctx.bot.signal.aborted)) {
      if (!(await job.done())) ctx.log.warn('could not finish job');
    }
  }
}

/**
 * A gateway's end of a request: acknowledged, then recorded, then queued for a worker, which
 * finishes the job row (the durable record) once the user has the answer.
 *
 * Why the acknowledgement comes first here (the single process records first): Discord's 3 seconds
 * then never wait on PostgreSQL (nor on Redis: the rate limit before it falls back to this
 * process's count when Redis is slow or away), and an interaction another session of the same shard
 * acknowledged first (40060) leaves nothing behind — recording first would write the row the
 * winner also writes, and finishing ours would remove theirs. What it costs: a gateway that dies
 * between its acknowledgement and the queue (a few milliseconds) leaves "thinking…" until the
 * interaction's token dies (15 minutes), with no row to find it by. Recording first would not save
 * that user either: on a gateway nothing recovers a row that never reached the queue (unfinished
 * jobs are the workers'), so the row would only be left behind.
 *
 * If PostgreSQL or Redis cannot take the request, the user is told to try again shortly and
 * nothing is left behind: the row is finished (again, later, should the store have taken the write
 * without answering).
 */
async function handOff(
  ctx: RequestContext,
  request: Request,
  info: Omit<JobInfo, 'id'>,
  queued: WorkOrder | ThreadDrain,
): Promise<RequestOutcome> {
  // Counted by both sessions then (as answered: the other one answers it).
  if (!(await acknowledgedHere(ctx, request))) return 'ok';
  const { jobs } = ctx.bot.app;
  let job: JobHandle;
  try {
    job = await jobs.start({ id: ctx.requestId, ...info });
  } catch (err) {
    ctx.log.warn({ err }, 'could not record the request');
    jobs.discardLater(ctx.requestId);
    await request.refuse(notices.queueDown);
    return 'busy';
  }
  const finish = async () => {
    if (!(await job.done())) jobs.discardLater(job.id);
  };
  // Nothing is queued past a refusal or a failed check: the job is finished here, not by a worker.
  const late = await request.lateCheck?.({ ...ctx, job }).catch(async (err: unknown) => {
    await finish();
    throw err;
  });
  if (late) {
    await finish();
    return tellRefusal(ctx, request, late);
  }
  const work: WorkItem = queued.kind === 'drain-thread' ? queued : withJobId(queued, job.id);
  try {
    await ctx.bot.queue?.add(work);
    ctx.log.info({ queued: queued.kind }, 'request queued');
    return 'ok';
  } catch (err) {
    ctx.log.warn({ err }, 'could not queue the request');
    await finish();
    await request.refuse(notices.queueDown);
    return 'busy';
  }
}

/**
 * Sends the acknowledgement; false when another session of the same shard sent it first (Discord's
 * 40060: two gateways hold the shard for a moment while one restarts) — that session records and
 * queues the request, so this one leaves it quietly: no reply, no job. Any other failure (the
 * interaction expired, 10062) is thrown to the boundary.
 */
async function acknowledgedHere(ctx: RequestContext, request: Request): Promise<boolean> {
  try {
    // One "typing…" (Discord shows it ~10 s) is the gateway's part: the worker shows its own as it works.
    const settled = await request.acknowledge();
    settled?.();
    return true;
  } catch (err) {
    if (
      !(
        err instanceof DiscordAPIError &&
        err.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged
      )
    ) {
      throw err;
    }
    ctx.log.info('acknowledged by another session of this shard: left to it');
    return false;
  }
}

async function tellRefusal(ctx: RequestContext, request: Request, refused: Refusal): Promise<RequestOutcome> {
  ctx.log.info({ code: refused.code, ...refused.details }, 'request refused');
  await request.refuse(refused.notice);
  return refused.code;
}

async function firstRefusal(ctx: RequestContext, request: Request): Promise<Refusal | null> {
  if (request.rateLimit) {
    const wait = await ctx.bot.rateLimits.take(request.rateLimit, request.userId);
    if (wait !== null) {
      return {
        code: 'rate_limited',
        notice:
          request.rateLimit === 'summaries'
            ? notices.summariesRateLimited(wait)
            : notices.questionsRateLimited(wait),
        details: { limit: request.rateLimit, waitMs: wait },
      };
    }
  }
  for (const precondition of request.preconditions) {
    const refusal = await precondition();
    if (refusal) return refusal;
  }
  return null;
}

async function acknowledgeAndRun(ctx: RequestContext, request: Request): Promise<RequestOutcome> {
  const settled = await request.acknowledge();
  try {
    await ctx.bot.afterAcknowledgements();
    const late = await request.lateCheck?.(ctx);
    if (late) return await tellRefusal(ctx, request, late);
    return await request.run(ctx);
  } finally {
    settled?.();
  }
}

/** Where a job's result goes when it was asked through an interaction (its token, ~15 minutes). */
export function interactionReply(interaction: RepliableInteraction): JobReply {
  return {
    via: 'interaction',
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
  };
}

/**
 * The progress step: runs a request's slow work counted in `inflightJobs`, its progress lines sent
 * to `show` (see `Progress`; one that fails to show is only logged). The last update has settled
 * when it resolves, so the caller's final edit wins.
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

/** The report step for a failure: tells the user why (or that the bot is restarting) and logs the details. */
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

/**
 * Tells the user of work that shutdown stopped, where the result would have gone, and offers the
 * retry (handled by the next process); the job is kept for it. Returns false when there is no job
 * to retry or the notice could not be sent (the next start then tells the user).
 */
async function tellStoppedByShutdown(ctx: RequestContext, out: Delivery): Promise<boolean> {
  const job = ctx.job;
  if (!job?.canRetry || !job.running) return false;
  try {
    // Marked before the notice goes out: its button may be pressed (and the job claimed) at once.
    await job.interrupted();
    await out.interrupted(notices.stoppedRetry, retryButtonRow(job.id));
    ctx.bot.metrics.interruptedRequests.inc({ told: 'at_shutdown' });
    return true;
  } catch (err) {
    ctx.log.warn({ err }, 'could not tell the user their request was stopped by shutdown');
    await job.untold().catch(() => undefined);
    return false;
  }
}
