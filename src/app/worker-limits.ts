import type { WorkerPoolOptions } from '../article/worker/index.js';

/**
 * The bounds of every worker pool, the bot's and the CLI's, so both stop the same work at the same
 * point: a job taking longer than 30 s is stopped (`timeout`, its worker replaced), and a worker
 * whose V8 heap passes 512 MB dies alone (`too_large`, reason `memory`) instead of the process.
 */
export const WORKER_LIMITS = Object.freeze({
  timeoutMs: 30_000,
  resourceLimits: Object.freeze({ maxOldGenerationSizeMb: 512 }),
}) satisfies WorkerPoolOptions;
