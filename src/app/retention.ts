import type { Logger } from '../log.js';
import type { PurgeCounts, Store } from '../store/store.js';

export interface RetentionOptions {
  readonly store: Pick<Store, 'purgeOlderThan'>;
  /** Data older than this many days is purged; 0 keeps everything. */
  readonly retentionDays: number;
  /** How often the purge runs, in milliseconds (default one hour). */
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly log: Logger;
}

export interface Retention {
  /** The purge run at start. */
  readonly first: Promise<PurgeCounts | null>;
  /** Purges once now; null when retention is off. Never throws: a failed purge is logged and retried next time. */
  runOnce(): Promise<PurgeCounts | null>;
  stop(): void;
}

const DAY_MS = 86_400_000;

/**
 * Enforces the retention period: purges at start and then every `intervalMs` what the store holds
 * past `retentionDays` (articles no thread refers to, threads and turns, cached results, jobs,
 * usage rows). The timer is unref'd, so it never keeps a process alive.
 */
export function startRetention(options: RetentionOptions): Retention {
  const now = options.now ?? Date.now;
  const runOnce = async (): Promise<PurgeCounts | null> => {
    if (options.retentionDays <= 0) return null;
    try {
      const counts = await options.store.purgeOlderThan(now() - options.retentionDays * DAY_MS);
      options.log.info({ retentionDays: options.retentionDays, ...counts }, 'retention purge');
      return counts;
    } catch (err) {
      options.log.warn({ err }, 'retention purge failed');
      return null;
    }
  };
  if (options.retentionDays <= 0) return { first: Promise.resolve(null), runOnce, stop: () => {} };
  const first = runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return { first, runOnce, stop: () => clearInterval(timer) };
}
