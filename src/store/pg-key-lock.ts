import pg from 'pg';
import type { StoreLogger } from './store.js';

/** First key of the advisory locks held while a process works for a request key (the second is its hash). */
const WORK_LOCK_CLASS = 7_310_003;

export interface PgKeyLockOptions {
  /** Connections at most, one per key this process works on or waits for at once. Default 16. */
  readonly maxConnections?: number;
  /**
   * Milliseconds a caller waits for another process's work on the same key before running its own
   * anyway (PostgreSQL's lock_timeout). Default 5 minutes: longer than a fetch, a parse or a model
   * call with its retries, so only a holder that hangs is ever overtaken.
   */
  readonly waitMs?: number;
  /** Milliseconds to wait for a connection before running without the lock. Default 10 s. */
  readonly connectMs?: number;
  readonly logger?: StoreLogger;
}

/**
 * Work one at a time per key across every process sharing a PostgreSQL database: a session-level
 * advisory lock on `hashtext(current_schema() | key)`, held on a connection of its own (never the
 * store's pool: a holder's work reads and writes the store while others wait on their locks) for
 * as long as the work runs. A lock dies with its session, so a holder whose process is killed or
 * whose connection drops frees the key at once; nothing has to expire.
 *
 * The lock only saves duplicate work, it is never a reason to fail: when the database cannot be
 * reached, no connection is free within `connectMs`, or the wait passes `waitMs`, the work runs
 * without it (logged). Two keys with the same 32-bit hash merely wait for each other.
 */
export class PgKeyLock {
  readonly #pool: pg.Pool;
  readonly #log: StoreLogger | null;

  constructor(url: string, options: PgKeyLockOptions = {}) {
    this.#log = options.logger ?? null;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 16,
      connectionTimeoutMillis: options.connectMs ?? 10_000,
      options: `-c lock_timeout=${Math.max(1, Math.round(options.waitMs ?? 300_000))}`,
    });
    this.#pool.on('error', (err) => this.#warn(err, 'key lock: idle connection failed'));
  }

  /** Runs `work` once no other holder of `key` (in any process) runs; returns what it returns. */
  async exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = await this.#acquire(key);
    try {
      return await work();
    } finally {
      if (client) await this.#release(client, key);
    }
  }

  /** Closes the connections; locks still held are freed with them. */
  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #acquire(key: string): Promise<pg.PoolClient | null> {
    let client: pg.PoolClient | null = null;
    try {
      client = await this.#pool.connect();
      client.on('error', ignore);
      await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema() || $2))', [
        WORK_LOCK_CLASS,
        `|${key}`,
      ]);
      return client;
    } catch (err) {
      this.#warn(err, 'key lock: not taken; working without it');
      if (client) {
        client.off('error', ignore);
        client.release(true);
      }
      return null;
    }
  }

  async #release(client: pg.PoolClient, key: string): Promise<void> {
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema() || $2))', [
        WORK_LOCK_CLASS,
        `|${key}`,
      ]);
      client.off('error', ignore);
      client.release();
    } catch (err) {
      // A connection that cannot unlock is closed: its session, and so its lock, ends with it.
      this.#warn(err, 'key lock: unlock failed; connection closed');
      client.off('error', ignore);
      client.release(true);
    }
  }

  #warn(err: unknown, message: string): void {
    this.#log?.warn({ backend: 'postgres', code: (err as { code?: string }).code ?? null }, message);
  }
}

/** Errors of a checked-out connection surface in its next query; the event itself needs a listener. */
function ignore(): void {}
