import type { JobRunner } from '../article/worker/index.js';
import type { Config } from '../config.js';
import type { Result } from '../core/result.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import type { Budgets } from './budget.js';
import type { EngineRunner } from './engine-runner.js';
import type { ConcurrencyGate } from './gate.js';
import type { JobOwners } from './job-owners.js';
import type { LoadedArticle, SourceSpec } from './load-article.js';
import type { ResultCache } from './result-cache.js';
import type { AppJobs } from './worker-jobs.js';

/** How an article is loaded (see `loadArticle`). */
export interface LoadOptions {
  /** Fetch a link even when a fresh copy is stored (the CLI's --no-cache). */
  readonly noCache?: boolean;
  /** Reuse a stored copy only when it was fetched less than REFRESH_MIN_INTERVAL_SECONDS ago. */
  readonly refresh?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * What every use case shares, one of each per process, assembled by `createSystem`: config, the
 * log, the store, the clock, the worker pool, the engine gate, the budgets, the result cache,
 * and the engines and article loader (built or loaded on first use, so a command-line run pays only
 * for what it uses).
 */
export interface Parts {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** HTML and PDF parsing off the event loop, within time and memory bounds; null parses in-process. */
  readonly pool: JobRunner<AppJobs> | null;
  /** The offline engine off the event loop (the bot); null runs it in-process (the CLI, a small article). */
  readonly enginePool: JobRunner<AppJobs> | null;
  /** Who the running request is for: its worker-pool jobs take their turn as that user's. */
  readonly owners: JobOwners;
  /** Bounds engine work across every user (ENGINE_MAX_ACTIVE, ENGINE_MAX_WAITING), fairly between users. */
  readonly gate: ConcurrencyGate;
  readonly budgets: Budgets;
  /** Null when results are not kept (the CLI's --no-cache). */
  readonly results: ResultCache | null;
  /**
   * The engines with the result cache, shared requests in flight and the fallback around them,
   * built once on first use; a failure is a setting to fix (`engine_unavailable`).
   */
  engines(): Promise<Result<EngineRunner>>;
  /** Any source → a checked article, links through the store (see `loadArticle`). */
  loadArticle(spec: SourceSpec, options?: LoadOptions): Promise<Result<LoadedArticle>>;
}
