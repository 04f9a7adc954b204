import type { RepliableInteraction } from 'discord.js';
import type { JobInfo, JobReply } from '../app/jobs.js';
import type { RequestContext } from './context.js';
import type { Delivery } from './delivery.js';
import { notices } from './messages.js';
import { retryButton } from './payloads.js';

/** Where a job's result goes when it was asked through an interaction (its token, ~15 minutes). */
export function interactionReply(interaction: RepliableInteraction): JobReply {
  return {
    via: 'interaction',
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
  };
}

/**
 * Runs a request's work while it is recorded in the store as unfinished, with what running it again
 * needs, so that a bot that died in the middle can tell the user after it restarts and offer a retry
 * (see `apologizeForInterruptedJobs`). The work gets a context whose `job` it marks done once the
 * user has the result. When shutdown gave up waiting (the bot's signal is aborted) a job neither done
 * nor marked interrupted is left in the store: its user is told after the restart.
 */
export async function withJob<T>(
  ctx: RequestContext,
  info: Omit<JobInfo, 'id'>,
  work: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  const job = await ctx.bot.app.jobs.start({ id: ctx.requestId, ...info });
  try {
    return await work({ ...ctx, job });
  } finally {
    if (!(job.running && ctx.bot.signal.aborted)) {
      if (!(await job.done())) ctx.log.warn('could not finish job');
    }
  }
}

/**
 * Tells the user of work that shutdown stopped, where the result would have gone, and offers the
 * retry (handled by the next process); the job is kept for it. Returns false when there is no job
 * to retry or the notice could not be sent (the next start then tells the user).
 */
export async function tellStoppedByShutdown(ctx: RequestContext, out: Delivery): Promise<boolean> {
  const job = ctx.job;
  if (!job?.canRetry || !job.running) return false;
  try {
    // Marked before the notice goes out: its button may be pressed (and the job claimed) at once.
    await job.interrupted();
    await out.interrupted(notices.stoppedRetry, retryButton(job.id));
    ctx.bot.metrics.interruptedRequests.inc({ told: 'at_shutdown' });
    return true;
  } catch (err) {
    ctx.log.warn({ err }, 'could not tell the user their request was stopped by shutdown');
    await job.untold().catch(() => undefined);
    return false;
  }
}
