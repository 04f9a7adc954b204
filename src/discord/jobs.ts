import type { RepliableInteraction } from 'discord.js';
import { z } from 'zod';
import { SUMMARY_LENGTHS } from '../engines/engine.js';
import type { JobRecord, JobReply, Store } from '../store/store.js';
import type { RequestContext } from './context.js';
import type { Delivery } from './delivery.js';
import { notices } from './messages.js';
import { retryButton } from './payloads.js';
import type { SourceInput } from './sources.js';

const attachmentSchema = z.object({
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  url: z.string(),
});

/**
 * Where a summary's article comes from when it is run again. Links are fetched again (or found in
 * the store by URL). Pastes and files are kept only until their article is stored, then by its
 * content hash: the store then holds the one copy, which retention and the privacy purges delete,
 * and a file no longer depends on Discord's attachment URL, which expires (about a day).
 */
const retrySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('text'), text: z.string(), source: z.string() }),
  z.object({ kind: z.literal('attachment'), attachment: attachmentSchema }),
  z.object({ kind: z.literal('stored'), contentHash: z.string() }),
]);
export type RetrySource = z.infer<typeof retrySourceSchema>;

/** What running a request again needs: a summary's source and options, or a question. */
const retrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('summarize'),
    source: retrySourceSchema,
    length: z.enum(SUMMARY_LENGTHS as ['short', 'standard', 'detailed']),
    lang: z.string().nullable(),
    private: z.boolean(),
    openThread: z.boolean(),
  }),
  z.object({ kind: z.literal('answer'), conversationId: z.string(), question: z.string() }),
]);
export type RetryRequest = z.infer<typeof retrySchema>;

/**
 * A job's payload in the store. `interruptedAt` is set once its user was told that a restart cut it
 * short and offered a retry: the row then stays (until retried, too old, or purged by retention,
 * `forgetUser` or `purgeGuild`) instead of being deleted, so there is no second copy to purge.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  retry: retrySchema.nullable(),
  interruptedAt: z.number().nullable(),
});
export type JobPayload = z.infer<typeof payloadSchema>;

/** A stored payload, or (a job of an older version, a corrupted row) one with nothing to retry. */
export function parseJobPayload(raw: unknown): JobPayload {
  const parsed = payloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : { v: 1, retry: null, interruptedAt: null };
}

/** How a summary's source is kept for a retry (an article from the store, by its hash). */
export function retrySourceOf(input: SourceInput): RetrySource {
  switch (input.kind) {
    case 'article':
      return { kind: 'stored', contentHash: input.article.contentHash };
    case 'attachment':
      return { kind: 'attachment', attachment: input.attachment };
    default:
      return input;
  }
}

/** What a job record needs beyond the request context. */
export interface JobInfo {
  readonly kind: 'summarize' | 'answer';
  readonly guildId: string | null;
  readonly channelId: string;
  readonly userId: string;
  readonly reply: JobReply;
  /** What running it again needs; null when it cannot be run again. */
  readonly retry: RetryRequest | null;
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
 * One recorded request while it runs. Store writes go one at a time, in call order, so a late
 * update never brings back a finished job.
 */
export class JobHandle {
  readonly #store: Store;
  #record: JobRecord;
  #payload: JobPayload;
  #state: 'running' | 'done' | 'interrupted' = 'running';
  #writes: Promise<unknown>;

  private constructor(store: Store, record: Omit<JobRecord, 'payload'>, retry: RetryRequest | null) {
    this.#store = store;
    this.#payload = { v: 1, retry, interruptedAt: null };
    this.#record = { ...record, payload: this.#payload };
    this.#writes = Promise.resolve();
  }

  /** Records a job as running; rejects if the store cannot (then nothing was recorded). */
  static async start(
    store: Store,
    record: Omit<JobRecord, 'payload'>,
    retry: RetryRequest | null,
  ): Promise<JobHandle> {
    const job = new JobHandle(store, record, retry);
    await job.#write(() => store.recordJob(job.#record));
    return job;
  }

  get id(): string {
    return this.#record.id;
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  get canRetry(): boolean {
    return this.#payload.retry !== null;
  }

  /** The article of a paste or a file is stored: a retry loads it by hash from now on. */
  articleStored(contentHash: string): void {
    const retry = this.#payload.retry;
    if (this.#state !== 'running' || retry?.kind !== 'summarize' || retry.source.kind === 'url') return;
    if (retry.source.kind === 'stored') return;
    this.#payload = { ...this.#payload, retry: { ...retry, source: { kind: 'stored', contentHash } } };
    // Not awaited: should it fail, a retry simply reads the paste or the file again.
    this.#write(() => this.#store.recordJob({ ...this.#record, payload: this.#payload })).catch(
      () => undefined,
    );
  }

  /**
   * The user has their answer (or was told why not): nothing to apologise for if the process dies
   * now. Never rejects (the result is out whatever the store says): false if the job stays recorded.
   */
  async done(): Promise<boolean> {
    if (this.#state !== 'running') return true;
    this.#state = 'done';
    return this.#write(() => this.#store.finishJob(this.id)).then(
      () => true,
      () => false,
    );
  }

  /** Its user was told a restart cut it short and offered a retry: kept until retried or purged. */
  async interrupted(now = Date.now()): Promise<void> {
    if (this.#state !== 'running') return;
    this.#state = 'interrupted';
    this.#payload = { ...this.#payload, interruptedAt: now };
    await this.#write(() => this.#store.recordJob({ ...this.#record, payload: this.#payload }));
  }

  /** The notice could not be sent after all: left running, so that the next start tells the user. */
  async untold(): Promise<void> {
    if (this.#state !== 'interrupted') return;
    this.#state = 'running';
    this.#payload = { ...this.#payload, interruptedAt: null };
    await this.#write(() => this.#store.recordJob({ ...this.#record, payload: this.#payload }));
  }

  #write(step: () => Promise<unknown>): Promise<unknown> {
    this.#writes = this.#writes.catch(() => undefined).then(step);
    return this.#writes;
  }
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
  info: JobInfo,
  work: (ctx: RequestContext) => Promise<T>,
): Promise<T> {
  const { retry, ...record } = info;
  const job = await JobHandle.start(
    ctx.bot.service.store,
    { id: ctx.requestId, ...record, startedAt: Date.now() },
    retry,
  );
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
