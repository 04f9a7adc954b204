import type { JobRecord, JobReply, Store } from '../store/store.js';
import type { Conversation, Conversations } from './conversations.js';
import type { JobPayload, RetryRequest, RetrySource } from './job-payload.js';
import type { Parts } from './parts.js';
import type { RemoteFile, SourceInput } from './source-input.js';

export type { JobRecord, JobReply } from '../store/store.js';
export type { JobPayload, RetryRequest, RetrySource } from './job-payload.js';

/** How a summary's source is kept for a retry (an article from the store, by its hash). */
export function retrySourceOf(input: SourceInput): RetrySource {
  switch (input.kind) {
    case 'article':
      return { kind: 'stored', contentHash: input.article.contentHash };
    case 'attachment':
      return {
        kind: 'attachment',
        attachment: input.attachment,
        ...(input.source !== undefined ? { source: input.source } : {}),
      };
    default:
      return input;
  }
}

/** A message a job sent: its id and channel. */
export interface SentRecord {
  readonly id: string;
  readonly channelId: string;
}

/** What a job record needs: who asked, where the result goes, and what running it again needs. */
export interface JobInfo {
  /** The request's id (an interaction's or a message's): also what users quote. */
  readonly id: string;
  readonly kind: 'summarize' | 'answer';
  readonly guildId: string | null;
  readonly channelId: string;
  readonly userId: string;
  readonly reply: JobReply;
  /** What running it again needs; null when it cannot be run again. */
  readonly retry: RetryRequest | null;
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

  /**
   * A job recorded by another process (a gateway), to be run and finished by this one (a worker),
   * with what an earlier run of it sent.
   */
  static resume(store: Store, record: JobRecord, payload: JobPayload): JobHandle {
    const { payload: _, ...rest } = record;
    const job = new JobHandle(store, rest, payload.retry);
    job.#payload = payload;
    job.#record = { ...rest, payload };
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
   * What running it again needs, once known after the job was recorded (a message link is opened
   * only after the acknowledgement). Awaited: a worker reads it from the record.
   */
  async retryWith(retry: RetryRequest): Promise<void> {
    if (this.#state !== 'running') return;
    this.#payload = { ...this.#payload, retry };
    await this.#write(() => this.#store.recordJob({ ...this.#record, payload: this.#payload }));
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

  /** The message sent at `step` by this run or an earlier run of the job (see `recordSent`). */
  sent(step: string): SentRecord | undefined {
    return this.#payload.sent?.[step];
  }

  /**
   * Records a message the job sent at `step` (a part of a summary, a notice), in its row, so that
   * a run after a crash sends it no second time. Awaited; rejects if the store cannot. Nothing is
   * written once the job is finished (by this process or, after its lock was lost, another).
   */
  async recordSent(step: string, message: SentRecord): Promise<void> {
    if (this.#state !== 'running') return;
    this.#payload = { ...this.#payload, sent: { ...this.#payload.sent, [step]: message } };
    const payload = this.#payload;
    this.#record = { ...this.#record, payload };
    await this.#write(() => this.#store.updateJobPayload(this.id, payload));
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

/** A question recorded by a gateway and waiting in its thread for a worker (see `Jobs.nextQuestion`). */
export interface WaitingQuestion {
  readonly record: JobRecord;
  readonly retry: Extract<RetryRequest, { kind: 'answer' }>;
  /** Finishes the row like any job (`done`); `Jobs.finishQuestion` says whether this run did. */
  readonly handle: JobHandle;
}

/** Orders decimal snowflakes (ids without leading zeros) as numbers: the older first. */
function compareSnowflakes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Why "Try again" cannot run a request (see `Jobs.claimRetry`). */
export type RetryRefusal =
  /** Already run again (by another press or process), or never recorded. */
  | 'taken'
  | 'not_yours'
  /** Older than DISCORD_RETRY_HOURS. */
  | 'too_old'
  /** Its conversation (a question's) or stored text (a summary's) was deleted or purged. */
  | 'gone'
  /** Its file's URL has expired. */
  | 'file_gone';

/** A claimed retry: the interrupted job is removed and the caller runs the request again. */
export type RetryClaim =
  | { readonly ok: false; readonly refusal: RetryRefusal; readonly job: JobRecord | null }
  | {
      readonly ok: true;
      readonly job: JobRecord;
      readonly retry: Extract<RetryRequest, { kind: 'summarize' }>;
      readonly input: SourceInput;
    }
  | {
      readonly ok: true;
      readonly job: JobRecord;
      readonly retry: Extract<RetryRequest, { kind: 'answer' }>;
      readonly conversation: Conversation & { readonly article: NonNullable<Conversation['article']> };
    };

/**
 * Requests recorded while they run (so that a restart can tell their users and offer a retry), the
 * retry itself, and the scan for requests a restart interrupted.
 */
export class Jobs {
  readonly #parts: Parts;
  readonly #conversations: Conversations;

  constructor(parts: Parts, conversations: Conversations) {
    this.#parts = parts;
    this.#conversations = conversations;
  }

  /** Records a request as running, with what running it again needs (see `JobHandle`). */
  start(info: JobInfo): Promise<JobHandle> {
    const { retry, ...record } = info;
    return JobHandle.start(this.#parts.store, { ...record, startedAt: this.#parts.now() }, retry);
  }

  /**
   * A job a gateway recorded and queued, for the worker that takes it: its record, what to run and
   * a handle to finish it; null when it is finished already (an earlier run delivered it, or its
   * user forgot it) — then there is nothing to do.
   */
  async resume(jobId: string): Promise<{
    readonly record: JobRecord;
    readonly retry: RetryRequest;
    readonly handle: JobHandle;
  } | null> {
    const { store } = this.#parts;
    const record = await store.getJob(jobId);
    if (!record) return null;
    const { parseJobPayload } = await import('./job-payload.js');
    const payload = parseJobPayload(record.payload);
    const retry = payload.retry;
    if (!retry) return null;
    return { record, retry, handle: JobHandle.resume(store, record, payload) };
  }

  /**
   * A job a gateway recorded and queued that carries no retry (a refresh: pressing Refresh again is
   * its retry), for the worker that takes it; null when it is finished already.
   */
  async resumeRecorded(
    jobId: string,
  ): Promise<{ readonly record: JobRecord; readonly handle: JobHandle } | null> {
    const { store } = this.#parts;
    const record = await store.getJob(jobId);
    if (!record) return null;
    const { parseJobPayload } = await import('./job-payload.js');
    return { record, handle: JobHandle.resume(store, record, parseJobPayload(record.payload)) };
  }

  /**
   * The oldest question of a thread not answered yet (VERBATIM_ROLE=worker, draining the thread):
   * the job rows of kind `answer` about this conversation, neither finished nor handed to a "Try
   * again", in the order they were asked (their snowflake ids: Discord's order, whatever order
   * gateways recorded them in); null when none is left. Reads every unfinished job (few: a job row
   * lives while its request runs).
   */
  async nextQuestion(threadId: string): Promise<WaitingQuestion | null> {
    const { store } = this.#parts;
    const { parseJobPayload } = await import('./job-payload.js');
    let next: WaitingQuestion | null = null;
    for (const record of await store.unfinishedJobs()) {
      const payload = parseJobPayload(record.payload);
      const retry = payload.retry;
      if (retry?.kind !== 'answer' || retry.conversationId !== threadId) continue;
      if (payload.interruptedAt !== null) continue;
      if (next && compareSnowflakes(next.record.id, record.id) <= 0) continue;
      next = { record, retry, handle: JobHandle.resume(store, record, payload) };
    }
    return next;
  }

  /**
   * Marks a question answered (its user has the answer or was told why not) by finishing its job
   * row, conditionally: false when it already was (by another worker that lost its lock, say), so
   * that only one run records it.
   */
  finishQuestion(id: string): Promise<boolean> {
    return this.#parts.store.finishJob(id);
  }

  /**
   * Finishes, in the background, a job whose recording or finishing got no answer from the store
   * (a gateway's, after it told the user to try again): a write sent just before the connection was
   * lost may have landed all the same, and would be left running with nothing queued. Tries every
   * `intervalMs` until the store answers, at most `attempts` times (default: a minute).
   */
  discardLater(jobId: string, { attempts = 20, intervalMs = 3000 } = {}): void {
    const { store, log } = this.#parts;
    const attempt = (left: number) => {
      store.finishJob(jobId).then(
        () => undefined,
        (err: unknown) => {
          if (left > 1) setTimeout(() => attempt(left - 1), intervalMs).unref();
          else log.warn({ err, jobId }, 'could not finish a job the store did not answer for');
        },
      );
    };
    attempt(attempts);
  }

  /** What a summary job runs on: a stored article by its hash (null once purged), else the link, paste or file. */
  async inputOf(source: RetrySource): Promise<SourceInput | null> {
    if (source.kind === 'stored') {
      const stored = await this.#parts.store.getArticle(source.contentHash);
      return stored ? { kind: 'article', article: stored.article } : null;
    }
    return source.kind === 'attachment' ? { kind: 'attachment', attachment: source.attachment } : source;
  }

  /**
   * "Try again" on an interrupted request: only its requester may, within DISCORD_RETRY_HOURS. Loads
   * what the retry runs on (a question's conversation, a summary's source), then claims the job by
   * removing it: whoever removes it runs it, so a second press (or a second process) finds it
   * taken. A request that can no longer run (too old, its data gone) is removed too, and refused.
   * `fileExpired` says whether an attachment's URL can still be downloaded (the adapter knows).
   */
  async claimRetry(
    jobId: string,
    userId: string,
    fileExpired: (file: RemoteFile) => boolean,
  ): Promise<RetryClaim> {
    const { store, config, now } = this.#parts;
    const job = await store.getJob(jobId);
    const { parseJobPayload } = await import('./job-payload.js');
    const retry = job ? parseJobPayload(job.payload).retry : null;
    if (!job || !retry) return { ok: false, refusal: 'taken', job: job ?? null };
    if (job.userId !== userId) return { ok: false, refusal: 'not_yours', job };
    const gone = async (refusal: RetryRefusal): Promise<RetryClaim> => {
      await store.finishJob(job.id);
      return { ok: false, refusal, job };
    };
    if (now() - job.startedAt > config.DISCORD_RETRY_HOURS * 3_600_000) return gone('too_old');
    let ready: RetryClaim;
    if (retry.kind === 'answer') {
      const conversation = await this.#conversations.get(retry.conversationId);
      if (!conversation?.article) return gone('gone');
      ready = { ok: true, job, retry, conversation: { ...conversation, article: conversation.article } };
    } else {
      const source = retry.source;
      let input: SourceInput;
      if (source.kind === 'stored') {
        const stored = await store.getArticle(source.contentHash);
        if (!stored) return gone('gone');
        input = { kind: 'article', article: stored.article };
      } else if (source.kind === 'attachment') {
        if (fileExpired(source.attachment)) return gone('file_gone');
        input = {
          kind: 'attachment',
          attachment: source.attachment,
          ...(source.source !== undefined ? { source: source.source } : {}),
        };
      } else {
        input = source;
      }
      ready = { ok: true, job, retry, input };
    }
    if (!(await store.finishJob(job.id))) return { ok: false, refusal: 'taken', job };
    return ready;
  }

  /**
   * After a restart, for every request recorded before `startedBefore` and not finished: `tell`
   * its user that it was interrupted (where the result would have gone), offering a retry when the
   * job holds what running it again needs and is within `retryWindowMs`. A job offered a retry is
   * kept, marked interrupted (before `tell`, since its button may be pressed at once); any other is
   * forgotten. Jobs already told (by the process that stopped them, or an earlier start) are kept
   * until their retry window passes. Returns how many users were told.
   */
  async recoverInterrupted(
    options: { readonly startedBefore: number; readonly retryWindowMs: number },
    tell: (job: JobRecord, retry: boolean) => Promise<boolean>,
  ): Promise<number> {
    const { store, log, now } = this.#parts;
    const jobs = (await store.unfinishedJobs()).filter((job) => job.startedAt < options.startedBefore);
    const { parseJobPayload } = await import('./job-payload.js');
    let told = 0;
    for (const job of jobs) {
      const payload = parseJobPayload(job.payload);
      const expired = now() - job.startedAt > options.retryWindowMs;
      if (payload.interruptedAt !== null) {
        if (expired) await store.finishJob(job.id);
        continue;
      }
      const retry = payload.retry !== null && !expired;
      if (retry) await store.recordJob({ ...job, payload: { ...payload, interruptedAt: now() } });
      try {
        if (await tell(job, retry)) {
          told++;
          if (retry) continue;
        }
      } catch (err) {
        log.warn({ err, jobId: job.id }, 'could not tell a user about an interrupted request');
      }
      await store.finishJob(job.id);
    }
    if (told > 0) log.info({ jobs: told }, 'told users about interrupted requests');
    return told;
  }
}
