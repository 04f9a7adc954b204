import type { FetchOptions } from '../article/fetch/index.js';
import type { JobRunner, RunOptions } from '../article/worker/index.js';
import { type Config, ConfigError } from '../config.js';
import { ok, type Result } from '../core/result.js';
import type { Prompts } from '../engines/openai/prompts.js';
import { defaultEngineChoice, type EngineChoice } from '../engines/select.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import { lazyStore } from '../store/lazy-store.js';
import type { PgKeyLock } from '../store/pg-key-lock.js';
import { openStore, type Store } from '../store/store.js';
import { AutoSummaries } from './auto-summaries.js';
import { Budgets } from './budget.js';
import { Conversations } from './conversations.js';
import { EngineRunner } from './engine-runner.js';
import { ConcurrencyGate } from './gate.js';
import { Guilds } from './guilds.js';
import { JobOwners } from './job-owners.js';
import { Jobs } from './jobs.js';
import type { LoadedArticle, SourceSpec } from './load-article.js';
import type { LoadOptions, Parts } from './parts.js';
import { MemoryRateLimits, type RateLimits } from './rate-limits.js';
import { ResultCache } from './result-cache.js';
import { type Retention, startRetention } from './retention.js';
import { ServerSettings } from './server-settings.js';
import type { SharedInFlight } from './shared-in-flight.js';
import { Summaries } from './summaries.js';
import { UserData } from './user-data.js';
import type { AppJobs } from './worker-jobs.js';

/** Every use case, by what it is about. Adapters (Discord, the CLI) call these; they never open the store. */
export interface App {
  readonly summaries: Summaries;
  readonly conversations: Conversations;
  /** Requests recorded while they run; "Try again"; requests a restart interrupted. */
  readonly jobs: Jobs;
  /** What is kept about a user: `/forget`. */
  readonly userData: UserData;
  /** The guilds the bot is in; purging one it left. */
  readonly guilds: Guilds;
  /** Model budgets: `/usage`, `/budget`. */
  readonly budgets: Budgets;
  /** Channels that summarize links by themselves: `/autosummarize`. */
  readonly autoSummaries: AutoSummaries;
  /** Server defaults for summaries and the reaction that asks for one: `/settings`. */
  readonly settings: ServerSettings;
}

export interface SystemOptions {
  /**
   * `workers`: article parsing and the offline engine run in a pool of WORKER_THREADS worker threads,
   * off the event loop that answers users (the bot). `parse-in-worker`: the offline engine runs
   * in-process (a small article pays no thread start-up), HTML and PDF are parsed in one worker
   * started on first need, within the same time and memory bounds as the bot's (one command-line
   * run). `in-process`: no worker at all.
   */
  readonly run: 'workers' | 'parse-in-worker' | 'in-process';
  /** The engine asked for instead of config's (the CLI's `--engine`). */
  readonly engine?: EngineChoice | null;
  /** Keep results in the store (default true; the CLI's `--no-cache` turns it off). */
  readonly cacheResults?: boolean;
  /**
   * Keep the offline engine's summaries too (default true, the bot: a summary is shown to many and
   * takes a worker to recompute); the CLI does not, so a local file never opens the store.
   */
  readonly cacheOfflineSummaries?: boolean;
  /** The process's metrics (the bot's, served at /metrics); null or absent: none (the CLI). */
  readonly metrics?: Metrics | null;
  /** Milliseconds since the epoch, for every part (the store too); default `Date.now`. Tests move it. */
  readonly now?: () => number;
  /** Bound on the store's cache entries and unreferenced articles (default 5,000; tests shrink it). */
  readonly maxCacheEntries?: number;
  /** The model's prompts; default read once from the repository's `prompts/` (tests change them). */
  readonly prompts?: Prompts;
}

/** The assembled parts of one process: what the bot and the CLI run on. */
export interface System {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: Metrics | null;
  /** PostgreSQL when DATABASE_URL is set, else SQLite at DATABASE_PATH; opened on first use. */
  readonly store: Store;
  /** Where HTML and PDF are parsed (and, for the bot, the offline engine runs); null: in-process. */
  readonly pool: JobRunner<AppJobs> | null;
  /** Per-user request limits: in memory (one process's), or in Redis when REDIS_URL is set (shared). */
  readonly rateLimits: RateLimits;
  readonly app: App;
  /** The engines and what runs them (cache, sharing, fallback), built on first use (the model SDK loads only then). */
  engines(): Promise<Result<EngineRunner>>;
  /** Any source → a checked article; links go through the store (fetched again after CACHE_TTL_SECONDS). */
  loadArticle(spec: SourceSpec, options?: LoadOptions): Promise<Result<LoadedArticle>>;
  /**
   * Opens the store, builds the engines and checks the fetch settings now, so that a setting that
   * cannot work stops start-up (a ConfigError naming it) instead of the first request.
   */
  open(): Promise<void>;
  /** Whether the store answers (for `/readyz`): opened, migrated, reachable. */
  storeAnswers(): Promise<boolean>;
  /** Starts the retention purge (RETENTION_DAYS): at once, then hourly, on `now`'s clock. */
  startRetention(now?: () => number): Retention;
  /** Closes the worker pool and the store (whatever was opened). */
  close(): Promise<void>;
}

/**
 * The one composition of Verbatim, for the bot and the CLI alike: config and logger in; the store,
 * the worker pool, the engines, the result cache, the budgets, the rate limits and every use case
 * out. Nothing slow is done here: the store opens, the engines and the fetcher load, on first use
 * (`open()` does it all at once for the bot), so a command-line run pays only for what it uses.
 */
export async function createSystem(config: Config, log: Logger, options: SystemOptions): Promise<System> {
  const now = options.now ?? Date.now;
  const store = lazyStore(config.DATABASE_URL ? 'postgres' : 'sqlite', () =>
    openStore({
      path: config.DATABASE_PATH,
      url: config.DATABASE_URL,
      pgTimeouts: {
        connectMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        queryMs: config.DATABASE_QUERY_TIMEOUT_MS,
      },
      logger: log.child({ component: 'store' }),
      ...(options.now ? { now: options.now } : {}),
      ...(options.maxCacheEntries === undefined ? {} : { maxCacheEntries: options.maxCacheEntries }),
    }),
  );
  const owners = new JobOwners();
  const workers =
    options.run === 'workers'
      ? (await import('./pooled-engine.js')).createAppWorkerPool(config.WORKER_THREADS)
      : options.run === 'parse-in-worker'
        ? startedOnFirstJob(async () => (await import('./pooled-engine.js')).createAppWorkerPool(1))
        : null;
  // Every job carries the user whose request started it: the pool takes users in turn.
  const pool = workers ? owners.stamp(workers) : null;
  const enginePool = options.run === 'workers' ? pool : null;
  const choice = options.engine ?? defaultEngineChoice(config);
  const cacheResults = options.cacheResults ?? true;

  // Split roles (gateway, worker) share fetches and model calls across processes through PostgreSQL
  // advisory locks; one process (`all`) shares them in memory only, as always.
  const sharedUrl = config.VERBATIM_ROLE === 'all' ? null : config.DATABASE_URL;
  const shared = sharedUrl ? await sharedInFlight(sharedUrl, log) : null;

  const results = cacheResults
    ? new ResultCache(store.cache, { ttlSeconds: config.CACHE_TTL_SECONDS || null, log })
    : null;
  let engines: Promise<Result<EngineRunner>> | null = null;
  const buildEngines = async (): Promise<Result<EngineRunner>> => {
    // The offline engine runs in the worker pool when there is one: as the fallback during a model
    // outage too, so that it never holds up the event loop that acknowledges other users.
    const offline = enginePool
      ? (await import('./pooled-engine.js')).createPooledExtractiveEngine(enginePool)
      : (await import('../engines/extractive/index.js')).createExtractiveEngine();
    let primary = offline;
    if (choice === 'openai') {
      const { selectEngine } = await import('../engines/select.js');
      const model = await selectEngine('openai', config, {
        log,
        currentOwner: () => owners.current,
        ...(options.prompts ? { prompts: options.prompts } : {}),
      });
      if (!model.ok) return model;
      primary = model.value;
    }
    return ok(
      new EngineRunner({
        primary,
        offline,
        results,
        cacheOfflineSummaries: options.cacheOfflineSummaries ?? true,
        ...(shared ? { inFlight: shared.inFlight } : {}),
        log,
      }),
    );
  };

  let fetchOptions: Promise<Omit<FetchOptions, 'signal'>> | null = null;
  const loadArticle = async (spec: SourceSpec, load: LoadOptions = {}): Promise<Result<LoadedArticle>> => {
    if (spec.kind !== 'url') return (await import('./load-given.js')).loadGiven(spec, { pool, now });
    fetchOptions ??= import('./fetch-options.js').then((m) => m.fetchOptionsFrom(config));
    const [{ loadArticle: load_ }, fetch] = await Promise.all([import('./load-article.js'), fetchOptions]);
    return load_(
      spec,
      {
        fetch,
        store,
        cacheTtlSeconds: load.refresh
          ? Math.min(config.REFRESH_MIN_INTERVAL_SECONDS, config.CACHE_TTL_SECONDS)
          : config.CACHE_TTL_SECONDS,
        pool,
        now,
        ...(shared
          ? { oneAtATime: <T>(key: string, work: () => Promise<T>) => shared.inFlight.oneAtATime(key, work) }
          : {}),
      },
      {
        ...(load.noCache ? { noCache: true } : {}),
        ...(load.signal ? { signal: load.signal } : {}),
      },
    );
  };

  const parts: Parts = {
    config,
    log,
    store,
    now,
    pool,
    enginePool,
    owners,
    gate: new ConcurrencyGate(config.ENGINE_MAX_ACTIVE, config.ENGINE_MAX_WAITING),
    budgets: new Budgets({ usesModel: choice === 'openai', store, config, now, log }),
    results,
    engines: () => {
      engines ??= buildEngines();
      return engines;
    },
    loadArticle,
  };
  const conversations = new Conversations(parts);
  const app: App = {
    summaries: new Summaries(parts, conversations),
    conversations,
    jobs: new Jobs(parts, conversations),
    userData: new UserData(parts, conversations),
    guilds: new Guilds(parts),
    budgets: parts.budgets,
    autoSummaries: new AutoSummaries(parts, conversations),
    settings: new ServerSettings(parts),
  };

  const perMinute = {
    summaries: config.DISCORD_USER_SUMMARIES_PER_MINUTE,
    questions: config.DISCORD_USER_QUESTIONS_PER_MINUTE,
  };
  // Split roles share the per-user limits through Redis; one process keeps them in memory.
  // A command unanswered within RATE_LIMIT_REDIS_MS (Redis slow or its packets dropped) fails, and
  // the limiter counts in this process instead: the limit is checked before Discord's 3 s are up.
  const redis = config.REDIS_URL
    ? (await import('./shared-rate-limits.js')).rateLimitRedis(config.REDIS_URL, RATE_LIMIT_REDIS_MS)
    : null;
  redis?.on('error', (err: Error) => log.debug({ err: err.message }, 'redis connection error (rate limits)'));
  const rateLimits: RateLimits = redis
    ? new (await import('./shared-rate-limits.js')).SharedRateLimits(redis, perMinute, config.QUEUE_PREFIX)
    : new MemoryRateLimits(perMinute, now);

  return {
    config,
    log,
    metrics: options.metrics ?? null,
    store,
    pool,
    rateLimits,
    app,
    engines: parts.engines,
    loadArticle,
    open: async () => {
      await redis?.connect();
      await store.schemaVersion();
      const built = await parts.engines();
      if (!built.ok) throw new ConfigError(built.error.message);
      fetchOptions ??= import('./fetch-options.js').then((m) => m.fetchOptionsFrom(config));
      await fetchOptions;
    },
    storeAnswers: async () => (await store.schemaVersion()) > 0,
    startRetention: (clock = now) =>
      startRetention({
        store,
        retentionDays: config.RETENTION_DAYS,
        log: log.child({ component: 'retention' }),
        now: clock,
      }),
    close: async () => {
      redis?.disconnect();
      await shared?.lock.close();
      await pool?.close();
      await store.close();
    },
  };
}

/** Requests in flight shared by the processes of one PostgreSQL database, and the lock they hold. */
async function sharedInFlight(
  url: string,
  log: Logger,
): Promise<{ readonly lock: PgKeyLock; readonly inFlight: SharedInFlight }> {
  const [{ PgKeyLock }, { SharedInFlight }] = await Promise.all([
    import('../store/pg-key-lock.js'),
    import('./shared-in-flight.js'),
  ]);
  const lock = new PgKeyLock(url, { logger: log.child({ component: 'key-lock' }) });
  return { lock, inFlight: new SharedInFlight(lock) };
}

/** How long a rate limit waits for Redis before counting in this process (see `SharedRateLimits`). */
const RATE_LIMIT_REDIS_MS = 500;

/**
 * A pool whose module and worker load on its first job: a run that parses no HTML or PDF (a text
 * file, a cached link) never pays for either.
 */
function startedOnFirstJob(create: () => Promise<JobRunner<AppJobs>>): JobRunner<AppJobs> {
  let pool: Promise<JobRunner<AppJobs>> | null = null;
  return {
    async run<N extends keyof AppJobs & string>(
      name: N,
      args: Parameters<AppJobs[N]>,
      options?: RunOptions,
    ): Promise<Awaited<ReturnType<AppJobs[N]>> | Result<never>> {
      pool ??= create();
      return (await pool).run(name, args, options);
    },
    close: async () => {
      await (await pool)?.close();
    },
  };
}
