import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Config, ConfigError } from '../config.js';
import type { Logger } from '../log.js';

/**
 * Work handed from a gateway to the workers (VERBATIM_ROLE=gateway|worker): the id of the job row
 * the gateway recorded (PostgreSQL holds who asked, where the answer goes and what to run), plus
 * what only the gateway could see. Redis carries no credentials: interaction tokens stay in the row.
 */
export interface QueuedWork {
  readonly kind: 'summarize';
  /** The job row's id (the interaction's): also the queue job's idempotency key. */
  readonly jobId: string;
  /** One plain line shown with a public summary that gets no thread, saying why. */
  readonly noThreadNotice: string | null;
}

/** The BullMQ queue every gateway adds to and every worker takes from. */
export const WORK_QUEUE = 'work';

/** Settings of the queue shared by both roles (from config). */
export interface QueueSettings {
  readonly redisUrl: string;
  /** Prefix of every key (QUEUE_PREFIX). */
  readonly prefix: string;
}

/**
 * The queue job id of a piece of work: the job row's id, prefixed, so that the same request added
 * twice (a gateway retrying after a Redis blip, two gateways holding one shard) runs once. BullMQ
 * refuses ids that parse as integers (a bare snowflake, sometimes) and ids with `:`.
 */
export function queueJobId(work: QueuedWork): string {
  return `${work.kind}-${work.jobId}`;
}

/** How long the gateway waits for Redis to take a job before telling the user to try again, in ms. */
const ADD_TIMEOUT_MS = 3000;

/**
 * The gateway's side: adds work and returns at once. Its connection does not queue commands while
 * Redis is away (`enableOfflineQueue: false`), so `add` fails fast and the user is told to try
 * again instead of waiting past Discord's deadline.
 */
export class WorkQueue {
  readonly #queue: Queue<QueuedWork>;
  readonly #connection: Redis;

  private constructor(queue: Queue<QueuedWork>, connection: Redis) {
    this.#queue = queue;
    this.#connection = connection;
  }

  static async open(settings: QueueSettings, log: Logger): Promise<WorkQueue> {
    const connection = new Redis(settings.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      // A Redis that takes the connection but never answers (packets dropped) fails the add too.
      commandTimeout: ADD_TIMEOUT_MS,
    });
    connection.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
    await connection.connect();
    const queue = new Queue<QueuedWork>(WORK_QUEUE, { connection, prefix: settings.prefix });
    queue.on('error', (err) => log.warn({ err: err.message }, 'work queue error'));
    return new WorkQueue(queue, connection);
  }

  /**
   * Adds the work unless a job of the same request is already queued, running or recently done.
   * Transport errors (a worker's crash, Redis away) are retried with backoff; expected failures
   * are told to the user by the worker and are not errors.
   */
  async add(work: QueuedWork): Promise<void> {
    await this.#queue.add(work.kind, work, {
      jobId: queueJobId(work),
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      // Kept for an hour: a duplicate add within it finds the finished job and runs nothing.
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  async close(): Promise<void> {
    await this.#queue.close();
    this.#connection.disconnect();
  }
}

/** The gateway's queue from config (VERBATIM_ROLE=gateway: REDIS_URL is set, config checked it). */
export function openQueue(config: Config, log: Logger): Promise<WorkQueue> {
  return WorkQueue.open(queueSettings(config), log.child({ component: 'queue' }));
}

/** The queue's settings from config. */
export function queueSettings(config: Config): QueueSettings {
  if (!config.REDIS_URL)
    throw new ConfigError('REDIS_URL is missing: the gateway and worker roles need Redis.');
  return { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
}

/** The worker's side: takes work from the queue, at most `concurrency` at once. */
export interface WorkConsumer {
  /** Stops taking work and waits for what runs (see `WorkQueue`'s retry for what a crash leaves). */
  close(): Promise<void>;
}

export interface ConsumerOptions extends QueueSettings {
  /** Jobs this process runs at once. */
  readonly concurrency: number;
  /** BullMQ's lockDuration and stalledInterval (QUEUE_LOCK_MS): the same on every worker. */
  readonly lockMs: number;
  readonly log: Logger;
}

/**
 * Runs `run` for each piece of work. A job whose worker died (its lock not renewed) is found by
 * another worker's stalled check and run again there; `attempt` counts from 1.
 */
export async function startWorkConsumer(
  options: ConsumerOptions,
  run: (work: QueuedWork, attempt: number) => Promise<void>,
): Promise<WorkConsumer> {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  connection.on('error', (err: Error) => options.log.warn({ err: err.message }, 'redis connection error'));
  await connection.connect();
  const worker = new Worker<QueuedWork>(
    WORK_QUEUE,
    (job: Job<QueuedWork>) => run(job.data, job.attemptsMade + 1),
    {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job whose worker died twice is run a third time too: crashes are rare, users waiting.
      maxStalledCount: 2,
    },
  );
  worker.on('error', (err) => options.log.warn({ err: err.message }, 'work queue error'));
  worker.on('stalled', (id) => options.log.warn({ queueJob: id }, 'job of a worker that is gone runs again'));
  worker.on('failed', (job, err) =>
    options.log.warn({ queueJob: job?.id, attempts: job?.attemptsMade, err }, 'queued job failed'),
  );
  await worker.waitUntilReady();
  return {
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}
