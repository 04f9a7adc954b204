import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * Every setting Verbatim reads, from the environment (and `.env`). This is the only module that
 * reads `process.env`; everything else receives the frozen `Config` (or the part it needs).
 * `.env.example` documents each variable. An empty (or blank) value is the same as no value: the
 * default applies (`parseConfig` drops such values before the schema sees them).
 */
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z.string().trim().nullable().default(null);
const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of the health and metrics HTTP server (/healthz, /readyz, /metrics); 0 or empty: no server. */
  HEALTH_PORT: intFrom(0, 65_535).default(0),
  /** Interface the health server listens on. It has no authentication: keep it off public networks. */
  HEALTH_HOST: z.string().trim().default('127.0.0.1'),

  VERBATIM_ENGINE: z.enum(['auto', 'extractive', 'openai']).default('auto'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.url().nullable().default(null),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: intFrom(1000, 600_000).default(60_000),
  OPENAI_MAX_RETRIES: intFrom(0, 10).default(2),
  OPENAI_CONCURRENCY: intFrom(1, 64).default(4),
  /** Characters of article text per model request (after a safety margin); longer articles are chunked. */
  OPENAI_CONTEXT_CHARS: intFrom(2000, 2_000_000).default(48_000),

  DATABASE_PATH: z.string().min(1).default('.verbatim/verbatim.db'),
  DATABASE_URL: optionalString,
  CACHE_TTL_SECONDS: intFrom(0, 365 * 86400).default(7 * 86400),
  /** A Refresh within this many seconds of the page's last fetch reuses it instead of fetching again. */
  REFRESH_MIN_INTERVAL_SECONDS: intFrom(0, 86400).default(60),

  FETCH_ALLOW: list,
  FETCH_ALLOWED_PORTS: list.pipe(
    z.array(
      z
        .string()
        .regex(/^\d{1,5}$/, 'a port number')
        .transform(Number),
    ),
  ),
  FETCH_TIMEOUT_MS: intFrom(500, 120_000).default(15_000),
  FETCH_CONNECT_TIMEOUT_MS: intFrom(100, 60_000).default(5_000),
  FETCH_MAX_HTML_BYTES: intFrom(1024, 100_000_000).default(5_000_000),
  FETCH_MAX_PDF_BYTES: intFrom(1024, 200_000_000).default(20_000_000),

  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  DISCORD_MESSAGE_CONTENT: bool.default(false),
  /** Summaries one user may request per minute (0: no limit). */
  DISCORD_USER_SUMMARIES_PER_MINUTE: intFrom(0, 10_000).default(5),
  /** Follow-up questions one user may ask per minute (0: no limit). */
  DISCORD_USER_QUESTIONS_PER_MINUTE: intFrom(0, 10_000).default(20),
  /** Largest attachment the bot downloads, in bytes, checked against Discord's stated size first. */
  DISCORD_MAX_ATTACHMENT_BYTES: intFrom(1024, 100_000_000).default(8_000_000),
  /** A step that takes longer than this many milliseconds is shown in the reply ("Fetching…"). */
  DISCORD_PROGRESS_DELAY_MS: intFrom(0, 60_000).default(1000),
  /** Earlier questions and answers of a thread sent along with a follow-up question. */
  DISCORD_HISTORY_TURNS: intFrom(0, 50).default(6),

  /** Summaries and answers computed at once across all users; more wait in line. */
  ENGINE_MAX_ACTIVE: intFrom(1, 256).default(4),
  /** Requests that may wait for the engine; beyond that users are told the bot is busy. */
  ENGINE_MAX_WAITING: intFrom(0, 10_000).default(64),
  /** Worker threads for CPU-heavy steps (HTML and PDF parsing, the offline engine). */
  WORKER_THREADS: intFrom(1, 64).default(2),
  /** Days after which articles, threads, turns, cached results and usage rows are purged (0: keep). */
  RETENTION_DAYS: intFrom(0, 3650).default(30),

  /**
   * Model tokens (input + output) one guild may spend per UTC day (0: no limit). The default and
   * the ceiling: guild admins may lower it for their server with `/budget`, never raise it.
   */
  BUDGET_GUILD_DAILY_TOKENS: intFrom(0, 1_000_000_000_000).default(1_000_000),
  /** Model tokens one user may spend per UTC day in one guild, or in DMs (0: no limit); also a ceiling. */
  BUDGET_USER_DAILY_TOKENS: intFrom(0, 1_000_000_000_000).default(100_000),
  /**
   * Milliseconds running work may take to finish after SIGTERM before it is stopped and its users are
   * offered a retry; keep it well under the process manager's kill timeout (compose: 30 s).
   */
  SHUTDOWN_GRACE_MS: intFrom(0, 600_000).default(10_000),
  /** Hours after which a request interrupted by a restart can no longer be retried with its button. */
  DISCORD_RETRY_HOURS: intFrom(1, 720).default(24),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** The name of every variable the config reads, in the schema's order (for checking `.env.example`). */
export const CONFIG_VARIABLES: readonly (keyof Config)[] = Object.freeze(
  Object.keys(schema.shape) as (keyof Config)[],
);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment into a frozen Config; throws ConfigError naming the first bad variable.
 * A variable that is unset, empty or only whitespace takes its default (`KEY=` in `.env` = no line).
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(
    CONFIG_VARIABLES.flatMap((k) => {
      const value = env[k];
      return value === undefined || value.trim() === '' ? [] : [[k, value]];
    }),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(
      `${name} is invalid (${issue?.message ?? 'bad value'}): fix it in .env or the environment; .env.example shows every variable.`,
    );
  }
  return Object.freeze(parsed.data);
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
