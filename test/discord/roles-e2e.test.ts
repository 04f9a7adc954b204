import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../../testkit/discord/harness.js';
import {
  ACTIVE_MIX,
  type Cluster,
  MIX,
  runMixedRequests,
  SHARDS,
  startCluster,
} from '../../testkit/drivers/roles-e2e.js';
import { freshDatabase } from '../../testkit/services.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';

/** Request ids a live worker has started and not finished. */
const running = (cluster: Cluster): string[] =>
  cluster.workers.flatMap((w) => {
    const lines = w.lines();
    const done = new Set(lines.filter((l) => l.msg === 'queued job done').map((l) => l.requestId));
    return lines
      .filter((l) => l.msg === 'queued job started' && !done.has(l.requestId))
      .map((l) => String(l.requestId));
  });

describe('split roles end to end: gateways per shard, workers, kills', () => {
  it('GIVEN two gateways (one shard each) and three workers on PostgreSQL and Redis WHEN 100 users send mixed requests over four guilds while a worker and a gateway are SIGKILLed and restarted THEN every request is answered exactly once, none lost, none doubled', async (t) => {
    const redis = await testRedis(t);
    const databaseUrl = await freshDatabase(t, 'verbatim_e2e');
    const cluster = await startCluster({
      databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix: redis.prefix,
      workers: 3,
      guildsPerShard: 2,
      // A dead worker's jobs are found within seconds (the default is 30 s).
      lockMs: 2000,
      workerConcurrency: 2,
    });
    t.after(() => cluster.close());
    assert.deepEqual(
      cluster.fake
        .sessionShards()
        .map((s) => s.join('/'))
        .sort(),
      ['0/2', '1/2'],
      'one gateway process per shard',
    );
    assert.deepEqual(
      [...new Set(cluster.places.map((p) => p.shard))].sort(),
      Array.from({ length: SHARDS }, (_, i) => i),
      'guilds on every shard',
    );

    const report = await runMixedRequests(cluster, {
      requests: 100,
      concurrentUsers: 12,
      killWorkerAt: 30,
      killGatewayAt: 60,
    });
    t.diagnostic(
      `${report.sessions.length} requests (${report.sent} interactions and messages: ${JSON.stringify(report.byKind)}) in ${Math.round(report.elapsedMs)} ms; ` +
        `worker killed with ${report.runningAtWorkerKill.length} running, ${report.rerun.length} run again; ` +
        `gateway killed with ${report.queuedAtGatewayKill} of its jobs unfinished, back in ${Math.round(report.gatewayDownMs)} ms; ` +
        `kinds not yet in the mix: ${MIX.filter((e) => e.waitsFor !== null)
          .map((e) => e.kind)
          .join(', ')}`,
    );

    // Quiet: every job row finished and no live worker has anything running; then nothing more comes.
    await eventually(
      async () => running(cluster).length === 0 && (await cluster.unfinishedJobs()) === 0,
      30_000,
      'every job finished',
    );
    const problems = report.sessions.flatMap((s) =>
      s.problems().map((p) => `${s.label} (${s.kind}, shard ${s.place.shard}): ${p}`),
    );
    assert.deepEqual(problems, [], 'every request answered exactly once, with its own answer');
    assert.ok(report.sent >= 100, `${report.sent} interactions and messages`);
    assert.deepEqual(
      Object.keys(report.byKind).sort(),
      ACTIVE_MIX.map((e) => e.kind).sort(),
      'every active kind was sent',
    );
    assert.deepEqual(
      [...new Set(report.sessions.map((s) => s.place.guildId))].length,
      cluster.places.length,
      'every guild asked',
    );

    assert.ok(report.runningAtWorkerKill.length > 0, 'the worker died with work running');
    assert.deepEqual(report.rerun, report.runningAtWorkerKill, 'another worker ran each of its jobs again');
    assert.ok(
      cluster.workers.some((w) => w.lines().some((l) => l.msg === 'job of a worker that is gone runs again')),
      'found by the stalled check, not by anyone pressing anything',
    );
    assert.equal(
      cluster.gateways.filter((g) => g !== undefined).length,
      SHARDS,
      'both shards have a gateway again',
    );
    for (const gateway of cluster.everyProcess.filter((p) => p.lines().some((l) => l.role === 'gateway'))) {
      assert.equal(
        gateway.lines().filter((l) => l.msg === 'summary posted').length,
        0,
        'a gateway did no summary itself',
      );
    }
    for (const p of cluster.everyProcess) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(cluster.fake.problems(), []);
  });
});
