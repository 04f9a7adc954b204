import { type JobRunner, siblingModule, WorkerPool } from '../article/worker/index.js';
import { fail, timeoutDuring } from '../core/result.js';
import type { Engine } from '../engines/engine.js';
import { EXTRACTIVE_ENGINE_NAME, EXTRACTIVE_ENGINE_VERSION } from '../engines/extractive/index.js';
import type { AppJobs } from './worker-jobs.js';
import { WORKER_LIMITS } from './worker-limits.js';

/** The bot's worker pool: article parsing and the offline engine, off the event loop. */
export function createAppWorkerPool(size: number): WorkerPool<AppJobs> {
  return new WorkerPool<AppJobs>({
    size,
    jobsModule: siblingModule('./worker-jobs.js', import.meta.url),
    ...WORKER_LIMITS,
  });
}

/**
 * The offline extractive engine run in the pool's workers. Same results as the in-process engine
 * (it is the same code); a cancelled request is refused before it is queued.
 */
export function createPooledExtractiveEngine(pool: JobRunner<AppJobs>): Engine {
  const cancelled = () =>
    fail('timeout', 'The request was cancelled before it finished.', { step: 'engine' });
  return {
    name: EXTRACTIVE_ENGINE_NAME,
    model: null,
    version: EXTRACTIVE_ENGINE_VERSION,
    summarize: async (article, options, signal) =>
      signal?.aborted
        ? cancelled()
        : timeoutDuring(await pool.run('extractiveSummarize', [article, options]), 'engine'),
    answer: async (article, question, history, signal) =>
      signal?.aborted
        ? cancelled()
        : timeoutDuring(await pool.run('extractiveAnswer', [article, question, history]), 'engine'),
  };
}
