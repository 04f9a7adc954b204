import { config as loadDotenv } from 'dotenv';
import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * One setting: the value it takes when the variable is unset (or blank), and the zod schema a given
 * value must pass, built on first use. The `verbatim` command reads the config on every run and
 * usually sets none of these variables: building all ~60 schemas up front cost ~10 ms of its
 * start-up (measured), building none costs nothing. Zod's messages are English (`en`).
 */
interface Setting<T> {
  readonly fallback: T;
  readonly schema: () => z.ZodMiniType<T, unknown>;
}

z.config(en());

function setting<T>(fallback: T, build: () => z.ZodMiniType<T, unknown>): Setting<T> {
  let built: z.ZodMiniType<T, unknown> | undefined;
  return {
    fallback,
    schema: () => {
      built ??= build();
      return built;
    },
  };
}

/**
 * Every setting Verbatim reads, from the environment (and `.env`). This is the only module that
 * reads `process.env`; everything else receives the frozen `Config` (or the part it needs).
 * `.env.example` documents each variable. An empty (or blank) value is the same as no value: the
 * default applies (`parseConfig` skips such values).
 */
const intFrom = (min: number, max: number, fallback: number) =>
  setting(fallback, () => z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)));
const bool = (fallback: boolean) =>
  setting(fallback, () =>
    z.pipe(
      z.enum(['true', 'false', '1', '0', 'yes', 'no']),
      z.transform((v) => v === 'true' || v === '1' || v === 'yes'),
    ),
  );
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  setting<T[number]>(fallback, () => z.enum(values));
const optionalString = setting<string | null>(null, () => z.string().check(z.trim()));
const optionalUrl = setting<string | null>(null, () => z.url());
const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const list = setting<readonly string[]>([], () => z.pipe(z.string(), z.transform(commaList)));
/** A comma-separated list of numbers of at most five digits (ports, shard ids); `what` names them. */
const numberList = (what: string) =>
  setting<readonly number[]>([], () =>
    z.pipe(
      z.pipe(z.string(), z.transform(commaList)),
      z.array(z.pipe(z.string().check(z.regex(/^\d{1,5}$/, what)), z.transform(Number))),
    ),
  );

const settings = {
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  /** Port of the health and metrics HTTP server (/healthz, /readyz, /metrics); 0 or empty: no server. */
  HEALTH_PORT: intFrom(0, 65_535, 0),
  /** Interface the health server listens on. It has no authentication: keep it off public networks. */
  HEALTH_HOST: setting('127.0.0.1', () => z.string().check(z.trim())),

  VERBATIM_ENGINE: oneOf(['auto', 'extractive', 'openai'], 'auto'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: setting('gpt-4o-mini', () => z.string().check(z.minLength(1))),
  OPENAI_TIMEOUT_MS: intFrom(1000, 600_000, 60_000),
  OPENAI_MAX_RETRIES: intFrom(0, 10, 2),
  OPENAI_CONCURRENCY: intFrom(1, 64, 4),
  /** Characters of article text per model request (after a safety margin); longer articles are chunked. */
  OPENAI_CONTEXT_CHARS: intFrom(2000, 2_000_000, 48_000),

  DATABASE_PATH: setting('.verbatim/verbatim.db', () => z.string().check(z.minLength(1))),
  DATABASE_URL: optionalString,
  /** PostgreSQL: milliseconds opening a connection may take before the request using it fails. */
  DATABASE_CONNECT_TIMEOUT_MS: intFrom(100, 120_000, 5_000),
  /**
   * PostgreSQL: milliseconds a query's answer is awaited (0: forever), so that an unreachable server
   * fails requests ("busy, try again shortly") instead of holding them. Migrations are not limited.
   */
  DATABASE_QUERY_TIMEOUT_MS: intFrom(0, 3_600_000, 15_000),
  CACHE_TTL_SECONDS: intFrom(0, 365 * 86400, 7 * 86400),
  /** A Refresh within this many seconds of the page's last fetch reuses it instead of fetching again. */
  REFRESH_MIN_INTERVAL_SECONDS: intFrom(0, 86400, 60),

  FETCH_ALLOW: list,
  FETCH_ALLOWED_PORTS: numberList('a port number'),
  FETCH_TIMEOUT_MS: intFrom(500, 120_000, 15_000),
  FETCH_CONNECT_TIMEOUT_MS: intFrom(100, 60_000, 5_000),
  FETCH_MAX_HTML_BYTES: intFrom(1024, 100_000_000, 5_000_000),
  FETCH_MAX_PDF_BYTES: intFrom(1024, 200_000_000, 20_000_000),

  /**
   * What this process does: `all` (one process: gateway and work), `gateway` (the Discord gateway
   * for DISCORD_SHARD_IDS; acknowledges and queues) or `worker` (takes queued work, answers over REST).
   */
  VERBATIM_ROLE: oneOf(['all', 'gateway', 'worker'], 'all'),
  /** The shards this gateway connects, e.g. `0,1`; empty: every shard of DISCORD_SHARD_COUNT. */
  DISCORD_SHARD_IDS: numberList('shard numbers, e.g. 0,1'),
  /** Shards in all; null: the number Discord recommends (GET /gateway/bot). */
  DISCORD_SHARD_COUNT: setting<number | null>(null, () =>
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100_000)),
  ),
  /** Redis for the queue and state shared by gateways and workers (redis://host:6379). */
  REDIS_URL: optionalUrl,
  /**
   * Milliseconds a worker's hold on a queued job lasts without renewal, and between checks for jobs
   * whose worker is gone (BullMQ's lockDuration and stalledInterval; the same on every worker).
   * A dead worker's job runs again elsewhere within about twice this.
   */
  QUEUE_LOCK_MS: intFrom(500, 600_000, 30_000),
  /** Prefix of every Redis key Verbatim makes: several bots (or test runs) can share one Redis. */
  QUEUE_PREFIX: setting('verbatim', () =>
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _')),
  ),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: setting('https://discord.com/api', () => z.url()),
  DISCORD_MESSAGE_CONTENT: bool(false),
  /** Summaries one user may request per minute (0: no limit). */
  DISCORD_USER_SUMMARIES_PER_MINUTE: intFrom(0, 10_000, 5),
  /** Follow-up questions one user may ask per minute (0: no limit). */
  DISCORD_USER_QUESTIONS_PER_MINUTE: intFrom(0, 10_000, 20),
  /** Largest attachment the bot downloads, in bytes, checked against Discord's stated size first. */
  DISCORD_MAX_ATTACHMENT_BYTES: intFrom(1024, 100_000_000, 8_000_000),
  /** A step that takes longer than this many milliseconds is shown in the reply ("Fetching…"). */
  DISCORD_PROGRESS_DELAY_MS: intFrom(0, 60_000, 1000),
  /** Earlier questions and answers of a thread sent along with a follow-up question. */
  DISCORD_HISTORY_TURNS: intFrom(0, 50, 6),

  /** Summaries and answers computed at once across all users; more wait in line. */
  ENGINE_MAX_ACTIVE: intFrom(1, 256, 4),
  /** Requests that may wait for the engine; beyond that users are told the bot is busy. */
  ENGINE_MAX_WAITING: intFrom(0, 10_000, 64),
  /** Worker threads for CPU-heavy steps (HTML and PDF parsing, the offline engine). */
  WORKER_THREADS: intFrom(1, 64, 2),
  /** Days after which articles, threads, turns, cached results and usage rows are purged (0: keep). */
  RETENTION_DAYS: intFrom(0, 3650, 30),

  /**
   * Model tokens (input + output) one guild may spend per UTC day (0: no limit). The default and
   * the ceiling: guild admins may lower it for their server with `/budget`, never raise it.
   */
  BUDGET_GUILD_DAILY_TOKENS: intFrom(0, 1_000_000_000_000, 1_000_000),
  /** Model tokens one user may spend per UTC day in one guild, or in DMs (0: no limit); also a ceiling. */
  BUDGET_USER_DAILY_TOKENS: intFrom(0, 1_000_000_000_000, 100_000),
  /**
   * Milliseconds running work may take to finish after SIGTERM before it is stopped and its users are
   * offered a retry; keep it well under the process manager's kill timeout (compose: 30 s).
   */
  SHUTDOWN_GRACE_MS: intFrom(0, 600_000, 10_000),
  /** Hours after which a request interrupted by a restart can no longer be retried with its button. */
  DISCORD_RETRY_HOURS: intFrom(1, 720, 24),
};

type Settings = typeof settings;
export type Config = { readonly [K in keyof Settings]: Settings[K] extends Setting<infer T> ? T : never };

/** The name of every variable the config reads, in declaration order (for checking `.env.example`). */
export const CONFIG_VARIABLES: readonly (keyof Config)[] = Object.freeze(
  Object.keys(settings) as (keyof Config)[],
);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment into a frozen Config; throws ConfigError naming the first bad variable.
 * A variable that is unset, empty or only whitespace takes its default (`KEY=` in `.env` = no line).
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const config: Record<string, unknown> = {};
  for (const name of CONFIG_VARIABLES) {
    const { fallback, schema } = settings[name] as Setting<unknown>;
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      config[name] = Array.isArray(fallback) ? [...fallback] : fallback;
      continue;
    }
    const parsed = z.safeParse(schema(), value);
    if (!parsed.success) {
      throw new ConfigError(
        `${name} is invalid (${parsed.error.issues[0]?.message ?? 'bad value'}): fix it in .env or the environment; .env.example shows every variable.`,
      );
    }
    config[name] = parsed.data;
  }
  checkRole(config as Config);
  return Object.freeze(config as Config);
}

/** Settings that only make sense together: the split roles need PostgreSQL and Redis; shard ids in range. */
function checkRole(config: Config): void {
  const fail = (message: string): never => {
    throw new ConfigError(`${message}; .env.example shows every variable.`);
  };
  const role = config.VERBATIM_ROLE;
  if (role === 'all') {
    if (config.REDIS_URL) {
      fail(
        'REDIS_URL is set but VERBATIM_ROLE is all (one process, no Redis): set VERBATIM_ROLE=gateway or worker, or remove REDIS_URL',
      );
    }
  } else {
    if (!config.DATABASE_URL) {
      fail(
        `DATABASE_URL is missing: VERBATIM_ROLE=${role} needs PostgreSQL shared by every process (postgres://…)`,
      );
    }
    if (!config.REDIS_URL)
      fail(`REDIS_URL is missing: VERBATIM_ROLE=${role} needs Redis for the queue (redis://…)`);
  }
  if (role === 'worker' && (config.DISCORD_SHARD_IDS.length > 0 || config.DISCORD_SHARD_COUNT !== null)) {
    fail(
      `${config.DISCORD_SHARD_IDS.length > 0 ? 'DISCORD_SHARD_IDS' : 'DISCORD_SHARD_COUNT'} is set but VERBATIM_ROLE=worker has no gateway: remove it, or use it on a gateway`,
    );
  }
  const count = config.DISCORD_SHARD_COUNT;
  const outside = count === null ? undefined : config.DISCORD_SHARD_IDS.find((id) => id >= count);
  if (outside !== undefined) {
    fail(
      `DISCORD_SHARD_IDS has shard ${outside}, outside 0…${(count ?? 1) - 1} (DISCORD_SHARD_COUNT=${count})`,
    );
  }
  if (new Set(config.DISCORD_SHARD_IDS).size !== config.DISCORD_SHARD_IDS.length) {
    fail('DISCORD_SHARD_IDS names a shard twice');
  }
}

let loaded: Config | undefined;

/** The process's Config: `.env` (if any) + the environment, parsed once. */
export function loadConfig(): Config {
  if (!loaded) {
    loadDotenv({ quiet: true });
    loaded = parseConfig(process.env);
  }
  return loaded;
}
