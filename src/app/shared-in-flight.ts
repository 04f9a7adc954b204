import type { InFlight } from './engine-runner.js';
import { LocalInFlight } from './engine-runner.js';
import { KeyedQueue } from './keyed-queue.js';

/**
 * Work one at a time per key across processes (VERBATIM_ROLE=gateway|worker: a PostgreSQL advisory
 * lock, `PgKeyLock`). A holder that dies frees its key; a lock that cannot be taken lets the work run.
 */
export interface KeyLock {
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Requests in flight shared by every worker process: within this process identical requests share
 * one promise (as `LocalInFlight`); across processes they run one after another under the key's
 * lock, and each run starts by reading the shared store (the result cache, the stored articles),
 * so the second finds what the first left there instead of fetching or asking the model again.
 * Only for work whose result is kept in that store: anything else would merely be serialized.
 */
export class SharedInFlight implements InFlight {
  readonly #lock: KeyLock;
  readonly #local = new LocalInFlight();
  readonly #queue = new KeyedQueue();

  constructor(lock: KeyLock) {
    this.#lock = lock;
  }

  share<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.#local.share(key, () => this.oneAtATime(key, work));
  }

  /**
   * Runs this caller's own `work` once no other work for `key` runs, here or in another process.
   * Callers of this process queue here first, so a key holds one database connection per process.
   */
  oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.#queue.run(key, () => this.#lock.exclusive(key, work));
  }
}
