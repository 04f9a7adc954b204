import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events } from 'discord.js';
import { commands } from '../../commands/index.js';
import { type Config, parseConfig } from '../../src/config.js';
import { type RunningBot, startBot } from '../../src/discord/bot.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createLogger } from '../../src/log.js';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../fakes/discord/index.js';

/** Buckets wide enough for a suite that posts many summaries and threads in one channel at once. */
export const WIDE_BUCKETS = {
  'POST /channels/:channel/messages': { limit: 100, windowMs: 1000 },
  'POST /channels/:channel/messages/:message/threads': { limit: 100, windowMs: 1000 },
  'DELETE /channels/:channel/messages/:message': { limit: 100, windowMs: 1000 },
} as const;

/** A page the local article server answers with. */
export interface Page {
  readonly body: string | Uint8Array;
  readonly contentType?: string;
  readonly status?: number;
  /** Milliseconds before answering. */
  readonly delayMs?: number;
}

/** A local web server for article links: 127.0.0.1 only, counting requests per path. */
export interface ArticleServer {
  readonly port: number;
  url(path: string): string;
  readonly hits: Map<string, number>;
  set(path: string, page: Page): void;
  close(): Promise<void>;
}

export async function startArticleServer(pages: Record<string, Page> = {}): Promise<ArticleServer> {
  const routes = new Map(Object.entries(pages));
  const hits = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const page = routes.get(path);
    const send = () => {
      if (!page) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
        return;
      }
      res.writeHead(page.status ?? 200, { 'content-type': page.contentType ?? 'text/html; charset=utf-8' });
      res.end(page.body);
    };
    if (page?.delayMs) setTimeout(send, page.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    set: (path, page) => void routes.set(path, page),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** Environment for the `openai` engine against a fake OpenAI server at `baseURL`, without retries. */
export function modelEnv(openai: { readonly baseURL: string }): Record<string, string> {
  return {
    VERBATIM_ENGINE: 'openai',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
  };
}

export interface HarnessOptions {
  readonly fake?: FakeDiscordOptions;
  /** Environment on top of the harness's (fake Discord, temp database, local links allowed). */
  readonly env?: Record<string, string>;
  readonly articles?: ArticleServer;
  /** Register commands globally instead of to the fake's guild. */
  readonly global?: boolean;
  /** The bot's clock for retention (see StartOptions); tests move it instead of waiting days. */
  readonly now?: () => number;
}

export interface Harness {
  readonly fake: FakeDiscord;
  bot: RunningBot;
  readonly config: Config;
  /** The environment the config was parsed from (for starting the bot as its own process). */
  readonly env: Readonly<Record<string, string>>;
  /** Client `error` events of every bot started; a healthy run has none. */
  readonly errors: Error[];
  /** Every log line, parsed. */
  readonly logs: LogLine[];
  readonly dbPath: string;
  /**
   * Stops the bot (store closed, client destroyed) and starts a new one on the same database;
   * `whileStopped` runs in between (e.g. the bot is removed from a guild while offline).
   */
  restart(options?: { readonly graceMs?: number; readonly whileStopped?: () => void }): Promise<void>;
  /** Stops the bot, then the fake; removes the database. */
  close(): Promise<void>;
}

/**
 * A fake Discord, commands deployed to it with the real deploy function, and the real bot started
 * against it with a temporary SQLite database; torn down after the test (bot first, then the fake).
 */
export async function startHarness(
  t: { after(fn: () => Promise<void>): void } | null,
  options: HarnessOptions = {},
): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-discord-'));
  const dbPath = join(dir, 'verbatim.db');
  const env: Record<string, string> = {
    LOG_LEVEL: 'debug',
    VERBATIM_ENGINE: 'extractive',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: options.global ? '' : fake.guildId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: dbPath,
    WORKER_THREADS: '1',
    DISCORD_USER_SUMMARIES_PER_MINUTE: '0',
    DISCORD_USER_QUESTIONS_PER_MINUTE: '0',
    ...(options.articles
      ? { FETCH_ALLOW: '127.0.0.1/32', FETCH_ALLOWED_PORTS: String(options.articles.port) }
      : {}),
    ...options.env,
  };
  const config = parseConfig(env);
  const logs: LogLine[] = [];
  const log = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const errors: Error[] = [];
  await deployCommands(commands, {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: fake.apiUrl,
  });
  const start = async () => {
    const bot = await startBot(config, log, commands, undefined, options.now ? { now: options.now } : {});
    bot.client.on(Events.Error, (error) => errors.push(error));
    bot.client.on(Events.ShardError, (error) => errors.push(error));
    return bot;
  };
  const harness: Harness = {
    fake,
    bot: await start(),
    config,
    env,
    errors,
    logs,
    dbPath,
    restart: async (restartOptions = {}) => {
      await harness.bot.stop(restartOptions);
      restartOptions.whileStopped?.();
      harness.bot = await start();
    },
    close: async () => {
      await harness.bot.stop({ graceMs: 2000 });
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  t?.after(() => harness.close());
  return harness;
}

/** What a healthy run never has: client errors, fake-side problems, error-level log lines. */
export function problems(h: Harness): string[] {
  return [
    ...h.errors.map((e) => `client error: ${e.message}`),
    ...h.fake.problems(),
    ...h.logs
      .filter((l) => l.level >= 50)
      .map((l) => `logged error: ${l.msg} ${JSON.stringify(l.err ?? '')}`),
  ];
}

/** Polls `probe` until it returns a value (not undefined/null/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
