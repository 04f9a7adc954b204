export {
  type DefaultJobs,
  type Job,
  type JobRunner,
  type JobTable,
  siblingModule,
  WorkerCrashedError,
  WorkerJobError,
  WorkerPool,
  type WorkerPoolOptions,
} from './pool.js';
