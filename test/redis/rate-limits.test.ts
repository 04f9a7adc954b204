import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { testRedis } from './redis.js';

type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * One call for either backend, as the pipeline's declared rate limit would make it: a refusal is a
 * `RateLimiterRes` (a value), anything else thrown is a store failure.
 */
async function take(limiter: RateLimiterAbstract, key: string): Promise<Take> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) return { ok: false, retryAfterMs: refusal.msBeforeNext };
    throw refusal;
  }
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

describe('rate-limiter-flexible 11.4.0: per-user limits shared by processes on Redis', () => {
  it('GIVEN two RateLimiterRedis instances on separate connections (two processes) THEN 20 concurrent requests of one user get exactly 5 points between them, another user is untouched, and memory limiters each count alone', async (t) => {
    const { prefix, connection } = await testRedis(t);
    const options = { keyPrefix: `${prefix}:summaries`, points: 5, duration: 60 };
    const [a, b] = [
      new RateLimiterRedis({ ...options, storeClient: connection() }),
      new RateLimiterRedis({ ...options, storeClient: connection() }),
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => take(i % 2 === 0 ? a : b, 'user-1')),
    );
    assert.equal(results.filter((r) => r.ok).length, 5);
    for (const r of results.filter((x) => !x.ok)) {
      assert.ok(!r.ok && r.retryAfterMs > 0 && r.retryAfterMs <= 60_000, 'a refusal says when to retry');
    }
    assert.deepEqual(await take(b, 'user-2'), { ok: true });
    const remaining = await a.get('user-1');
    assert.equal(remaining?.remainingPoints, 0);

    const memory = [new RateLimiterMemory(options), new RateLimiterMemory(options)];
    const local = await Promise.all(
      Array.from({ length: 20 }, (_, i) => take(memory[i % 2] as RateLimiterMemory, 'user-1')),
    );
    assert.equal(local.filter((r) => r.ok).length, 10, 'in memory, each process has its own 5');
  });

  it('GIVEN Redis unreachable THEN rejectIfRedisNotReady fails at once with a store error (not a refusal), and an insurance RateLimiterMemory keeps counting', async (t) => {
    const port = await closedPort();
    const down = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    down.on('error', () => {});
    t.after(() => down.disconnect());
    await down.connect().catch(() => {});
    const options = { keyPrefix: 'vt-unreachable', points: 2, duration: 60 };

    const strict = new RateLimiterRedis({ ...options, storeClient: down, rejectIfRedisNotReady: true });
    const started = Date.now();
    await assert.rejects(take(strict, 'user-1'), (error: unknown) => !(error instanceof RateLimiterRes));
    assert.ok(Date.now() - started < 1000, 'no waiting for a reconnect');

    const insured = new RateLimiterRedis({
      ...options,
      storeClient: down,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    const takes = [
      await take(insured, 'user-1'),
      await take(insured, 'user-1'),
      await take(insured, 'user-1'),
    ];
    assert.deepEqual(
      takes.map((r) => r.ok),
      [true, true, false],
    );
  });
});
