import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { defaultShareOf, FairQueue } from '../../core/fair-queue.js';
import { fail, type Result } from '../../core/result.js';
import type { jobs as defaultJobs } from './jobs.js';
import { transferablesOf } from './transfer.js';

/** A job a worker can run: cloneable arguments in, a Result out. */
// biome-ignore lint/suspicious/noExplicitAny: job parameters are checked per table by `run`'s signature
export type Job = (...args: any[]) => Promise<Result<unknown>>;
export type JobTable = Readonly<Record<string, Job>>;
export type DefaultJobs = typeof defaultJobs;

export interface WorkerPoolOptions {
  /** Worker threads, started on demand. Default 1; 2 suits a 2-core host that also serves requests. */
  readonly size?: number;
  /** Per-job limit from the moment a worker takes the job; past it the worker is terminated and replaced. Milliseconds, default 30 000. */
  readonly timeoutMs?: number;
  /** Jobs waiting for a worker beyond which `run` answers `busy`. Default 64. */
  readonly maxQueue?: number;
  /** The module whose `jobs` export is the allow-list; default `./jobs` beside this file. */
  readonly jobsModule?: URL;
  /**
   * V8 heap limits per worker: a hostile PDF then kills a worker, not the process, and its job
   * answers `too_large` with details.reason `memory`.
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Workers one owner's jobs may hold at once (see `RunOptions.owner`); default half the pool,
   * rounded up, so another user's job finds a worker free however many one user queued.
   */
  readonly maxPerOwner?: number;
}

/** How one job is run. */
export interface RunOptions {
  /** Overrides the pool's per-job limit, in milliseconds. */
  readonly timeoutMs?: number;
  /**
   * Who the job is for (a Discord user id). Waiting jobs are taken in turn across owners, not in
   * arrival order, and one owner holds at most `maxPerOwner` workers. A job with no owner (warm-up,
   * a command-line run) is an owner of its own.
   */
  readonly owner?: string;
}

/** A job threw inside the worker (a bug: jobs report expected failures as Results). */
export class WorkerJobError extends Error {
  override readonly name = 'WorkerJobError';
  constructor(
    readonly job: string,
    readonly remoteName: string,
    message: string,
  ) {
    super(`worker job "${job}" threw ${remoteName}: ${message}`);
  }
}

/** The worker running a job died (out of memory, crash) before answering. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
  constructor(
    readonly job: string,
    readonly exitCode: number | null,
    cause?: Error,
  ) {
    super(
      `worker died while running "${job}"${exitCode === null ? '' : ` (exit code ${exitCode})`}${cause ? `: ${cause.message}` : ''}`,
      cause ? { cause } : undefined,
    );
  }
}

/**
 * `relative` (written with a `.js` extension) resolved against `base`: `.ts` under tsx, else `.js`
 * (compiled code in dist/, and the command's CommonJS bundle, whose worker files are ES modules).
 */
export function siblingModule(relative: string, base: string): URL {
  const extension = extname(fileURLToPath(base)) === '.ts' ? '.ts' : '.js';
  return new URL(relative.replace(/\.js$/, extension), base);
}

const WORKER_URL = siblingModule('./worker.js', import.meta.url);

/**
 * Under tsx the worker is TypeScript and needs tsx's loader too. On Node 20 `execArgv: ['--import',
 * 'tsx']` does not reach a worker's entry module (ERR_UNKNOWN_FILE_EXTENSION), so a one-line
 * JavaScript bootstrap registers tsx through its API and then imports the entry.
 */
function createWorker(options: ConstructorParameters<typeof Worker>[1]): Worker {
  if (extname(fileURLToPath(WORKER_URL)) !== '.ts') return new Worker(WORKER_URL, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

interface Pending {
  readonly id: number;
  readonly name: string;
  readonly args: readonly unknown[];
  readonly timeoutMs: number;
  readonly owner: string;
  readonly resolve: (result: Result<unknown>) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  job: Pending | null;
  timer: NodeJS.Timeout | undefined;
}

type Reply =
  | { readonly id: number; readonly ok: true; readonly result: Result<unknown> }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string };
    };

/**
 * What callers need of a pool: run a named job, close. `WorkerPool` is one; a pool started on first
 * use (the CLI's) or a scheduler in front of one are others.
 */
export interface JobRunner<J extends JobTable = DefaultJobs> {
  run<N extends keyof J & string>(
    name: N,
    args: Parameters<J[N]>,
    options?: RunOptions,
  ): Promise<Awaited<ReturnType<J[N]>> | Result<never>>;
  close(): Promise<void>;
}

/**
 * A small worker_threads pool for CPU-heavy steps (PDF text, HTML parsing) so they never stall the
 * event loop that serves users. Runs only the named jobs of its jobs module. Top-level typed-array
 * arguments covering their whole buffer are moved to the worker, not copied (the caller's copy
 * becomes empty). Idle workers do not keep the process alive; call `close()` on shutdown.
 */
export class WorkerPool<J extends JobTable = DefaultJobs> implements JobRunner<J> {
  readonly #size: number;
  readonly #timeoutMs: number;
  readonly #maxQueue: number;
  readonly #jobsModule: string;
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #maxPerOwner: number;
  readonly #slots = new Set<Slot>();
  readonly #queue = new FairQueue<Pending>();
  /** Jobs running per owner, for `maxPerOwner`. */
  readonly #running = new Map<string, number>();
  #nextId = 1;
  #closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    this.#size = Math.max(1, Math.floor(options.size ?? 1));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxQueue = options.maxQueue ?? 64;
    this.#jobsModule = (options.jobsModule ?? siblingModule('./jobs.js', import.meta.url)).href;
    this.#resourceLimits = options.resourceLimits;
    this.#maxPerOwner = Math.max(1, Math.floor(options.maxPerOwner ?? defaultShareOf(this.#size)));
  }

  /**
   * Runs job `name` with `args` in a worker. Resolves to the job's own Result, or `timeout` (the
   * worker was terminated and will be replaced), `too_large` with details.reason `memory` (the job
   * ran out of the worker's `resourceLimits`), or `busy` (queue full, or the pool closed). Rejects
   * with WorkerJobError / WorkerCrashedError on a bug or any other crash. Jobs wait their owner's
   * turn (see `RunOptions.owner`).
   */
  run<N extends keyof J & string>(
    name: N,
    args: Parameters<J[N]>,
    options: RunOptions = {},
  ): Promise<Awaited<ReturnType<J[N]>> | Result<never>> {
    if (this.#closed)
      return Promise.resolve(fail('busy', 'The document processor is shutting down.', { job: name }));
    if (this.#queue.size >= this.#maxQueue) {
      return Promise.resolve(
        fail('busy', 'Too many documents are being processed; try again shortly.', {
          job: name,
          queued: this.#queue.size,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      // No Discord id starts with a control character.
      const owner = options.owner ?? `\u0000job ${id}`;
      this.#queue.push(owner, {
        id,
        name,
        args,
        timeoutMs: options.timeoutMs ?? this.#timeoutMs,
        owner,
        resolve: resolve as (result: Result<unknown>) => void,
        reject,
      });
      this.#dispatch();
    });
  }

  /** Workers currently alive (for tests and metrics). */
  get workerCount(): number {
    return this.#slots.size;
  }

  /** Terminates every worker; running and queued jobs resolve to `busy`. */
  async close(): Promise<void> {
    this.#closed = true;
    const closing = fail('busy', 'The document processor is shutting down.');
    for (const job of this.#queue.drain()) job.resolve(closing);
    const slots = [...this.#slots];
    this.#slots.clear();
    this.#running.clear();
    await Promise.all(
      slots.map((slot) => {
        clearTimeout(slot.timer);
        slot.job?.resolve(closing);
        slot.job = null;
        return slot.worker.terminate();
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.size > 0 && !this.#closed) {
      const idle = [...this.#slots].find((s) => s.job === null);
      if (idle === undefined && this.#slots.size >= this.#size) return;
      const running = (owner: string) => this.#running.get(owner) ?? 0;
      const next = this.#queue.shift((owner) => running(owner) < this.#maxPerOwner, running);
      if (next === undefined) return;
      this.#start(idle ?? this.#spawn(), next.item);
    }
  }

  #start(slot: Slot, job: Pending): void {
    slot.job = job;
    this.#running.set(job.owner, (this.#running.get(job.owner) ?? 0) + 1);
    slot.worker.ref();
    const target = slot;
    slot.timer = setTimeout(() => this.#timedOut(target), job.timeoutMs);
    try {
      slot.worker.postMessage({ id: job.id, name: job.name, args: job.args }, transferablesOf(job.args));
    } catch (error) {
      this.#finish(slot);
      job.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #spawn(): Slot {
    const worker = createWorker({
      workerData: { jobsModule: this.#jobsModule },
      ...(this.#resourceLimits === undefined ? {} : { resourceLimits: this.#resourceLimits }),
    });
    const slot: Slot = { worker, job: null, timer: undefined };
    worker.on('message', (reply: Reply) => this.#replied(slot, reply));
    worker.on('error', (error) => this.#died(slot, null, error));
    worker.on('exit', (code) => this.#died(slot, code));
    worker.unref();
    this.#slots.add(slot);
    return slot;
  }

  #replied(slot: Slot, reply: Reply): void {
    const job = slot.job;
    if (job === null || reply.id !== job.id) return;
    this.#finish(slot);
    if (reply.ok) job.resolve(reply.result);
    else job.reject(new WorkerJobError(job.name, reply.error.name, reply.error.message));
    this.#dispatch();
  }

  #timedOut(slot: Slot): void {
    const job = slot.job;
    if (job === null) return;
    this.#finish(slot);
    this.#slots.delete(slot);
    void slot.worker.terminate();
    job.resolve(
      fail('timeout', 'Processing the document took too long.', { job: job.name, timeoutMs: job.timeoutMs }),
    );
    this.#dispatch();
  }

  #died(slot: Slot, exitCode: number | null, cause?: Error): void {
    if (!this.#slots.delete(slot)) return;
    const job = slot.job;
    this.#finish(slot);
    void slot.worker.terminate();
    if (job !== null && (cause as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      job.resolve(
        fail('too_large', 'Processing the document needed more memory than Verbatim allows.', {
          reason: 'memory',
          job: job.name,
          limitMb: this.#resourceLimits?.maxOldGenerationSizeMb ?? null,
        }),
      );
    } else job?.reject(new WorkerCrashedError(job.name, exitCode, cause));
    this.#dispatch();
  }

  #finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const owner = slot.job?.owner;
    if (owner !== undefined) {
      const running = (this.#running.get(owner) ?? 1) - 1;
      if (running > 0) this.#running.set(owner, running);
      else this.#running.delete(owner);
    }
    slot.job = null;
    slot.worker.unref();
  }
}
