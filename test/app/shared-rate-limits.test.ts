import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { SharedRateLimits } from '../../src/app/shared-rate-limits.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';

describe('per-user rate limits shared through Redis', () => {
  it('GIVEN two processes’ limits on one Redis WHEN one user asks 8 times through both at once THEN 5 pass in all, the rest are told how long to wait, and another user is not affected', async (t) => {
    const { prefix, connection } = await testRedis(t);
    const perMinute = { summaries: 5, questions: 0 };
    const [a, b] = [connection(), connection()];
    await Promise.all([a.connect(), b.connect()]);
    const limits = [new SharedRateLimits(a, perMinute, prefix), new SharedRateLimits(b, perMinute, prefix)];
    const waits = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (limits[i % 2] as SharedRateLimits).take('summaries', 'alice')),
    );
    assert.equal(waits.filter((w) => w === null).length, 5);
    for (const wait of waits.filter((w) => w !== null))
      assert.ok(wait > 0 && wait <= 60_000, `waits ${wait} ms`);
    assert.equal(await limits[1]?.take('summaries', 'bob'), null);
    assert.equal(await limits[0]?.take('questions', 'alice'), null, '0: no limit');
  });

  it('GIVEN Redis unreachable THEN each process still limits on its own, at once', async () => {
    const down = new Redis(REDIS_URL.replace(/:\d+$/u, ':1'), {
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const limits = new SharedRateLimits(down, { summaries: 2, questions: 2 }, 'vt-down');
    const started = performance.now();
    const waits = [];
    for (let i = 0; i < 3; i++) waits.push(await limits.take('summaries', 'alice'));
    assert.deepEqual(
      waits.map((w) => w === null),
      [true, true, false],
    );
    assert.ok(performance.now() - started < 1000, 'no waiting for Redis');
    down.disconnect();
  });
});
