import { randomUUID } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';

/** The Redis the tests use: CI starts one on 127.0.0.1:6379 (`.ci/run`). */
export const REDIS_URL = process.env.VERBATIM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  /** A connection for the test's own reads and writes. */
  readonly redis: Redis;
  /** Unique to this test: every key the test makes starts with it, and all of them are deleted after. */
  readonly prefix: string;
  /**
   * Another connection (closed after the test). `maxRetriesPerRequest: null`, which BullMQ requires
   * of connections passed to a Worker, so a command waits for a reconnect instead of failing.
   */
  connection(): Redis;
  /** Closes `thing` (a Queue, Worker, …) after the test, before the keys are deleted; returns it. */
  own<T extends { close(): Promise<unknown> }>(thing: T): T;
}

/**
 * Connects to the test Redis under a fresh key prefix; after the test, closes what the test `own`ed
 * (newest first), deletes every key under the prefix and closes every connection it handed out. Fails with a message naming the fix when Redis
 * is down.
 */
export async function testRedis(t: Pick<TestContext, 'after'>): Promise<TestRedis> {
  const connections: Redis[] = [];
  const owned: { close(): Promise<unknown> }[] = [];
  const connection = (): Redis => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    connections.push(redis);
    return redis;
  };
  const redis = connection();
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is unreachable at ${REDIS_URL} (${(error as Error).message}). ` +
        'Start it (.ci/run does) or point VERBATIM_TEST_REDIS_URL at a server whose keys under "vt-" tests may delete.',
    );
  }
  const prefix = `vt-${process.pid}-${randomUUID().slice(0, 8)}`;
  t.after(async () => {
    for (const thing of owned.reverse()) await thing.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    for (const c of connections) c.disconnect();
  });
  return {
    redis,
    prefix,
    connection,
    own: (thing) => {
      owned.push(thing);
      return thing;
    },
  };
}
