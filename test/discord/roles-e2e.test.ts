import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { WORK_QUEUE } from '../../src/app/work-queue.js';
import { eventually } from '../../testkit/discord/harness.js';
import {
  ACTIVE_MIX,
  type Cluster,
  MIX,
  runMixedRequests,
  SHARDS,
  startCluster,
  takenOver,
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
    const startedAt = performance.now();
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
    const startMs = performance.now() - startedAt;
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
      `processes ready in ${Math.round(startMs)} ms; ${report.sessions.length} requests (${report.sent} interactions and messages: ${JSON.stringify(report.byKind)}) in ${Math.round(report.elapsedMs)} ms; ` +
        `worker killed with ${report.runningAtWorkerKill.length} jobs running; ` +
        `gateway killed with ${report.queuedAtGatewayKill} of its jobs unfinished, back in ${Math.round(report.gatewayDownMs)} ms; ` +
        `kinds not yet in the mix: ${MIX.filter((e) => e.waitsFor !== null)
          .map((e) => e.kind)
          .join(', ')}`,
    );

    // Quiet: every job row finished, the queue empty (a dead worker's jobs taken up again even when
    // their users already had the answer), no live worker running anything. Only then is it counted.
    const queue = redis.own(new Queue(WORK_QUEUE, { connection: redis.connection(), prefix: redis.prefix }));
    await eventually(
      async () => {
        const counts = await queue.getJobCounts(
          'active',
          'wait',
          'delayed',
          'prioritized',
          'waiting-children',
        );
        return (
          Object.values(counts).every((n) => n === 0) &&
          running(cluster).length === 0 &&
          (await cluster.unfinishedJobs()) === 0
        );
      },
      30_000,
      'every job finished',
    );
    t.diagnostic(
      `quiet ${Math.round(performance.now() - startedAt - startMs - report.elapsedMs)} ms after the last answer`,
    );
    const problems = report.sessions.flatMap((s) =>
      s.problems().map((p) => `${s.label} (${s.kind}, shard ${s.place.shard}): ${p}`),
    );
    for (const s of report.sessions.filter((s) => s.problems().length > 0)) {
      const lines = cluster.everyProcess.flatMap((p, n) =>
        p
          .lines()
          .filter((l) => s.ids?.includes(String(l.requestId)))
          .map((l) => `  process ${n} (pid ${p.process.pid}): ${JSON.stringify(l)}`),
      );
      t.diagnostic(`${s.label} ${s.kind} ids ${s.ids?.join(', ')}:\n${lines.join('\n')}`);
    }
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
    for (const id of report.runningAtWorkerKill) {
      const lines = cluster.everyProcess.flatMap((p, n) =>
        p
          .lines()
          .filter((l) => l.requestId === id || String(l.queueJob ?? '').endsWith(id))
          .map((l) => `  process ${n}: ${JSON.stringify(l)}`),
      );
      const job = await queue.getJob(`summarize-${id}`);
      t.diagnostic(
        `left by the killed worker: ${id} (queue job: ${JSON.stringify({ finishedOn: job?.finishedOn, failedReason: job?.failedReason, stalled: job?.stalledCounter, attempts: job?.attemptsMade })}):\n${lines.join('\n')}`,
      );
    }
    assert.deepEqual(
      takenOver(cluster, report.runningAtWorkerKill),
      report.runningAtWorkerKill,
      'another worker took each of its jobs up again',
    );
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
