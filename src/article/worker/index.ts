export {
  type DefaultJobs,
  type Job,
  type JobRunner,
  type JobTable,
  type RunOptions,
  siblingModule,
  WorkerCrashedError,
  WorkerJobError,
  WorkerPool,
  type WorkerPoolOptions,
} from './pool.js';
