import pg from 'pg';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import type { FakeDiscord } from '../fakes/discord/index.js';

/** Registers Verbatim's commands with the fake Discord globally (every guild and DM), as `npm run deploy` does. */
export async function deployToFake(fake: FakeDiscord): Promise<void> {
  await deployCommands(commands, {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: null,
    apiUrl: fake.apiUrl,
  });
}

export interface SplitRolesSettings {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** QUEUE_PREFIX: a fresh one per test (see test/redis/redis.ts), so tests share no queue. */
  readonly queuePrefix: string;
  /** The local page server's port (links are fetched from 127.0.0.1 only); absent: no pages. */
  readonly articlesPort?: number;
}

/**
 * The settings every process of a gateway/worker test shares: the fake Discord, PostgreSQL and
 * Redis, the local page server, info logs (the tests read them), one pool thread, no per-user
 * summary limit. Add VERBATIM_ROLE, the engine and the test's own settings.
 */
export function splitRolesEnv(fake: FakeDiscord, settings: SplitRolesSettings): Record<string, string> {
  return {
    LOG_LEVEL: 'info',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: settings.queuePrefix,
    FETCH_ALLOW: '127.0.0.1/32',
    ...(settings.articlesPort === undefined ? {} : { FETCH_ALLOWED_PORTS: String(settings.articlesPort) }),
    WORKER_THREADS: '1',
    DISCORD_USER_SUMMARIES_PER_MINUTE: '0',
  };
}

/** The rows a query returns, on a connection of its own (for tests to read what the processes wrote). */
export async function queryRows(databaseUrl: string, text: string): Promise<Record<string, unknown>[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query(text)).rows;
  } finally {
    await db.end();
  }
}

/** How many job rows the database holds (a request's row is finished, deleted, once its user has the answer). */
export async function countJobRows(databaseUrl: string): Promise<number> {
  const [row] = await queryRows(databaseUrl, 'SELECT count(*) AS n FROM jobs');
  return Number(row?.n);
}
