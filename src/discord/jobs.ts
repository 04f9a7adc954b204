import type { JobReply } from '../store/store.js';
import type { RequestContext } from './context.js';

/** What a job record needs beyond the request context. */
export interface JobInfo {
  readonly kind: 'summarize' | 'answer';
  readonly guildId: string | null;
  readonly channelId: string;
  readonly userId: string;
  readonly reply: JobReply;
}

/**
 * Runs a request's work while it is recorded in the store as unfinished, so that a bot that died
 * in the middle can tell the user after it restarts (see `apologizeForInterruptedJobs`).
 */
export async function withJob<T>(ctx: RequestContext, job: JobInfo, work: () => Promise<T>): Promise<T> {
  const store = ctx.bot.service.store;
  await store.recordJob({ id: ctx.requestId, ...job, startedAt: Date.now(), payload: null });
  try {
    return await work();
  } finally {
    await store
      .finishJob(ctx.requestId)
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not finish job'));
  }
}
