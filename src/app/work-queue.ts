import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type Config, ConfigError } from '../config.js';
import type { SummaryLength } from '../engines/engine.js';
import type { Logger } from '../log.js';

/**
 * Work handed from a gateway to the workers (VERBATIM_ROLE=gateway|worker): the id of the job row
 * the gateway recorded (PostgreSQL holds who asked, where the answer goes and what to run), plus
 * what only the gateway could see. Redis carries no credentials: interaction tokens stay in the row.
 */
export type QueuedWork = QueuedSummary | QueuedReplySummary | QueuedRefresh;

/** A summary asked for through an interaction: the answer edits its deferred reply (its token is in the row). */
export interface QueuedSummary {
  readonly kind: 'summarize';
  /** The job row's id (the interaction's): also the queue job's idempotency key. */
  readonly jobId: string;
  /** One plain line shown with a public summary that gets no thread, saying why. */
  readonly noThreadNotice: string | null;
}

/**
 * A summary posted as a reply to a message (the row's `reply.messageId`): a mention with a link or a
 * file, or a link posted in an auto-summary channel. What the bot may do in the channel is the
 * gateway's to know (permissions live in its cache), so it travels with the work.
 */
export interface QueuedReplySummary {
  readonly kind: 'summarize-reply';
  /** The job row's id (the message's, `-n` for a message's further links). */
  readonly jobId: string;
  readonly noThreadNotice: string | null;
  /** The bot may embed there (else the summary is plain text). */
  readonly canEmbed: boolean;
  /** The bot may reply there (Read Message History; else a plain post beside the message). */
  readonly canReply: boolean;
  /** A link posted in an auto-summary channel: nothing is said on failure, and it is posted only while the message carries it. */
  readonly auto: { readonly url: string } | null;
  /**
   * Asked by reacting to the message (the row's user is who reacted): its claim (one summary per
   * message, see `ServerSettings.claimReaction`) is given back when the summary is not made, so a
   * later reaction may try again. Absent in work queued before it existed: a mention's.
   */
  readonly reaction?: boolean;
}

/**
 * The Refresh button pressed under a link's summary: the page fetched again and the summary's
 * messages edited in place. The answer goes through the button interaction's token (in the row):
 * its deferred update (a private summary) or its pending private reply (a public one).
 */
export interface QueuedRefresh {
  readonly kind: 'refresh';
  readonly jobId: string;
  /** The summary's first message (the one the button is on): its conversation's id. */
  readonly summaryId: string;
  /** The summary's options, from the button's custom id. */
  readonly length: SummaryLength;
  readonly lang: string | null;
  /** A private summary (only its requester sees it): edited through the interaction. */
  readonly ephemeral: boolean;
  /** The bot may edit the public summary where it is (post and embed there, per the gateway's cache). */
  readonly inPlace: boolean;
}

/** Work as a request declares it, before its job row (and so its id) exists. */
export type WorkOrder = {
  [K in QueuedWork['kind']]: Omit<Extract<QueuedWork, { kind: K }>, 'jobId'>;
}[QueuedWork['kind']];

/** Work with the id of its job row. */
export function withJobId(order: WorkOrder, jobId: string): QueuedWork {
  return { ...order, jobId } as QueuedWork;
}

/**
 * A wake-up for a thread's questions (VERBATIM_ROLE=gateway|worker): each question is a job row of
 * kind `answer` in PostgreSQL (recorded by the gateway before this is added); the worker that takes
 * it answers the thread's oldest unanswered question until none is left (see `Jobs.nextQuestion`).
 * Added with a deduplication id per thread and `keepLastIfActive`, so at most one drain of a thread
 * runs at a time across all workers (its questions in order), and one added while it runs is kept
 * and run after it (a question recorded after the drainer's last look is not left behind). Why this
 * and not one job per question: docs/scaling-notes.md, "Questions in one thread".
 */
export interface ThreadDrain {
  readonly kind: 'drain-thread';
  /** The conversation's id (its summary's, and its thread's). */
  readonly threadId: string;
}

/** Everything the queue carries. */
export type WorkItem = QueuedWork | ThreadDrain;

/** Attempts of a drain job: BullMQ retries transport errors (Discord or the store away) with backoff. */
export const DRAIN_ATTEMPTS = 3;

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
  readonly #queue: Queue<WorkItem>;
  readonly #connection: Redis;

  private constructor(queue: Queue<WorkItem>, connection: Redis) {
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
    const queue = new Queue<WorkItem>(WORK_QUEUE, { connection, prefix: settings.prefix });
    queue.on('error', (err) => log.warn({ err: err.message }, 'work queue error'));
    return new WorkQueue(queue, connection);
  }

  /**
   * Adds the work unless a job of the same request is already queued, running or recently done.
   * Transport errors (a worker's crash, Redis away) are retried with backoff; expected failures
   * are told to the user by the worker and are not errors.
   */
  async add(work: WorkItem): Promise<void> {
    if (work.kind === 'drain-thread') {
      await this.#queue.add(work.kind, work, {
        deduplication: { id: `thread-${work.threadId}`, keepLastIfActive: true },
        attempts: DRAIN_ATTEMPTS,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      });
      return;
    }
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
 * How a piece of work ended: done (or failed: it throws), or handed back unfinished because this
 * worker is stopping (`stopping` aborted) — its job goes back to the queue at once, for another
 * worker, without spending an attempt (a drain leaves its thread's remaining questions).
 */
export type WorkEnd = 'done' | 'handed-back';

/**
 * Runs `run` for each piece of work. A job whose worker died (its lock not renewed) is found by
 * another worker's stalled check and run again there; `attempt` counts from 1. `stopping` is aborted
 * once `close` is called. Work whose last attempt failed goes to `failed` (to tell its user and
 * finish its row); not called for a job failed by the stalled check (its worker died more than
 * `maxStalledCount` times): that one's row stays, for retention.
 */
export async function startWorkConsumer(
  options: ConsumerOptions,
  run: (work: WorkItem, attempt: number, stopping: AbortSignal) => Promise<WorkEnd>,
  failed: (work: WorkItem) => Promise<void> = async () => undefined,
): Promise<WorkConsumer> {
  const stopping = new AbortController();
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  connection.on('error', (err: Error) => options.log.warn({ err: err.message }, 'redis connection error'));
  await connection.connect();
  const worker = new Worker<WorkItem>(
    WORK_QUEUE,
    async (job: Job<WorkItem>, token?: string) => {
      const end = await run(job.data, job.attemptsMade + 1, stopping.signal);
      if (end === 'handed-back' && token !== undefined) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
    },
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
  worker.on('failed', (job, err) => {
    // BullMQ sets finishedOn only when the job will not be retried.
    const last = typeof job?.finishedOn === 'number';
    options.log.warn({ queueJob: job?.id, attempts: job?.attemptsMade, last, err }, 'queued job failed');
    if (!job || !last) return;
    failed(job.data).catch((failure: unknown) =>
      options.log.warn({ queueJob: job.id, err: failure }, 'could not finish a failed queued job'),
    );
  });
  await worker.waitUntilReady();
  return {
    close: async () => {
      stopping.abort();
      await worker.close();
      connection.disconnect();
    },
  };
}
