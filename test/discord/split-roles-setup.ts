import type { TestContext } from 'node:test';
import { type BotProcess, startBotProcess, stopBotProcess } from '../../testkit/discord/bot-process.js';
import { deployToFake, splitRolesEnv } from '../../testkit/discord/split-roles.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from '../../testkit/fakes/discord/index.js';
import { freshDatabase } from '../../testkit/services.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';

/** A gateway/worker test's shared parts (see `startSplitRoles`). */
export interface SplitRoles {
  readonly fake: FakeDiscord;
  readonly databaseUrl: string;
  /** The settings every process shares. */
  readonly env: Readonly<Record<string, string>>;
  /** Starts one process with `env` and then `extra`; it is stopped when the test ends. */
  start(extra: Record<string, string>): Promise<BotProcess>;
}

/**
 * What every gateway/worker test starts from: a fresh database (named from `database`) and Redis key
 * prefix, the fake Discord (`discord`) with the commands registered, and the settings every process
 * shares (`splitRolesEnv`, then `env`). The first process started migrates the fresh database:
 * start it alone.
 */
export async function startSplitRoles(
  t: TestContext,
  options: {
    readonly database: string;
    readonly discord?: FakeDiscordOptions;
    /** The local article server's port, when the test has one. */
    readonly articlesPort?: number;
    readonly env: Record<string, string>;
  },
): Promise<SplitRoles> {
  const redis = await testRedis(t);
  const databaseUrl = await freshDatabase(t, options.database);
  const fake = await startFakeDiscord(options.discord);
  t.after(() => fake.close());
  await deployToFake(fake);
  const env = {
    ...splitRolesEnv(fake, {
      databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix: redis.prefix,
      ...(options.articlesPort === undefined ? {} : { articlesPort: options.articlesPort }),
    }),
    ...options.env,
  };
  const processes: BotProcess[] = [];
  t.after(async () => {
    for (const p of processes) await stopBotProcess(p);
  });
  return {
    fake,
    databaseUrl,
    env,
    start: async (extra) => {
      const p = await startBotProcess({ ...env, ...extra });
      processes.push(p);
      return p;
    },
  };
}
