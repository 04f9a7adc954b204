import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { parseConfig } from '../../src/config.js';
import {
  type HealthLogger,
  type HealthServer,
  METRICS_CONTENT_TYPE,
  type ReadinessCheck,
  startHealthServer,
} from '../../src/ops/health.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { parseExposition } from './exposition-parser.js';

interface LogEntry {
  readonly level: 'info' | 'warn';
  readonly details: Record<string, unknown>;
  readonly message: string;
}

function recordingLogger(): HealthLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (details, message) => entries.push({ level: 'info', details, message }),
    warn: (details, message) => entries.push({ level: 'warn', details, message }),
  };
}

const running: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(checks: ReadinessCheck[] = [], checkTimeoutMs = 1000) {
  const log = recordingLogger();
  const metrics = createMetrics();
  const server = await startHealthServer({ port: 0, metrics, checks, checkTimeoutMs, log });
  running.push(server);
  return { server, log, metrics };
}

describe('startHealthServer', () => {
  it('GIVEN no host THEN it listens on 127.0.0.1 and /healthz answers 200 ok', async () => {
    const { server, log } = await start();

    const res = await fetch(`${server.url}/healthz`);

    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok\n');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(log.entries[0]?.details, { host: '127.0.0.1', port: server.port });
  });

  it('GIVEN every check passing THEN /readyz answers 200 with each check true', async () => {
    const { server, log } = await start([
      { name: 'discord', check: () => true },
      { name: 'store', check: async () => true },
    ]);

    const res = await fetch(`${server.url}/readyz?verbose=1`);

    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { ok: true, checks: { discord: true, store: true } });
    assert.equal(log.entries.filter((e) => e.level === 'warn').length, 0);
  });

  it('GIVEN a check returning false and one throwing THEN /readyz answers 503 and logs both reasons', async () => {
    const { server, log } = await start([
      { name: 'discord', check: () => false },
      {
        name: 'store',
        check: async () => {
          throw new Error('database is locked');
        },
      },
      { name: 'engine', check: () => true },
    ]);

    const res = await fetch(`${server.url}/readyz`);

    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { ok: false, checks: { discord: false, store: false, engine: true } });
    const warnings = log.entries.filter((e) => e.level === 'warn');
    assert.deepEqual(
      warnings.map((w) => [w.details.check, w.details.reason]),
      [
        ['discord', 'false'],
        ['store', 'threw'],
      ],
    );
    assert.ok(warnings[1]?.details.err instanceof Error);
  });

  it('GIVEN a check that never settles THEN /readyz gives up after the timeout, answers 503 and aborts its signal', async () => {
    let seen: AbortSignal | undefined;
    const { server, log } = await start(
      [
        {
          name: 'gateway',
          check: (signal) => {
            seen = signal;
            return new Promise<boolean>(() => {});
          },
        },
      ],
      50,
    );
    const began = performance.now();

    const res = await fetch(`${server.url}/readyz`);

    const elapsed = performance.now() - began;
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { ok: false, checks: { gateway: false } });
    assert.ok(elapsed >= 45 && elapsed < 1000, `took ${elapsed} ms`);
    assert.equal(seen?.aborted, true);
    assert.equal(log.entries.find((e) => e.level === 'warn')?.details.reason, 'timeout');
  });

  it('GIVEN GET /metrics THEN it answers the registry in exposition format 0.0.4', async () => {
    const { server, metrics } = await start();
    metrics.requests.inc({ kind: 'summarize', outcome: 'ok' });

    const res = await fetch(`${server.url}/metrics`);
    const body = await res.text();

    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), METRICS_CONTENT_TYPE);
    assert.equal(body, await metrics.render());
    assert.equal(parseExposition(body).get('verbatim_requests_total')?.samples[0]?.labels.kind, 'summarize');
  });

  it('GIVEN an unknown path THEN 404; GIVEN POST or DELETE on a known path THEN 405 with Allow', async () => {
    const { server } = await start();

    const missing = await fetch(`${server.url}/admin`);
    const post = await fetch(`${server.url}/healthz`, { method: 'POST', body: 'x' });
    const del = await fetch(`${server.url}/metrics`, { method: 'DELETE' });
    const postMissing = await fetch(`${server.url}/nope`, { method: 'POST' });

    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'not found\n');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    assert.equal(del.status, 405);
    assert.equal(postMissing.status, 404);
  });

  it('GIVEN HEAD /healthz THEN 200 with no body', async () => {
    const { server } = await start();

    const res = await fetch(`${server.url}/healthz`, { method: 'HEAD' });

    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '3');
    assert.equal(await res.text(), '');
  });

  it('GIVEN close() THEN the port refuses connections and a second close() resolves', async () => {
    const { server } = await start();
    await fetch(`${server.url}/healthz`);

    await server.close();
    await server.close();

    await assert.rejects(fetch(`${server.url}/healthz`), TypeError);
  });

  it('GIVEN a port already in use THEN starting rejects with EADDRINUSE', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      await assert.rejects(
        startHealthServer({ port, metrics: createMetrics(), log: recordingLogger() }),
        (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE',
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('GIVEN bad options THEN starting throws before listening', async () => {
    const base = { metrics: createMetrics(), log: recordingLogger() };
    await assert.rejects(startHealthServer({ ...base, port: 70_000 }), RangeError);
    await assert.rejects(startHealthServer({ ...base, port: 0, checkTimeoutMs: 0 }), RangeError);
    await assert.rejects(
      startHealthServer({
        ...base,
        port: 0,
        checks: [
          { name: 'a', check: () => true },
          { name: 'a', check: () => true },
        ],
      }),
      /two readiness checks are named a/,
    );
  });
});

describe('health settings in config', () => {
  it('GIVEN no HEALTH_* variables or an empty port THEN the server is off and bound to loopback', () => {
    const config = parseConfig({ HEALTH_PORT: '' });
    assert.equal(config.HEALTH_PORT, 0);
    assert.equal(config.HEALTH_HOST, '127.0.0.1');
    assert.equal(parseConfig({}).HEALTH_PORT, 0);
    assert.equal(parseConfig({ HEALTH_HOST: '  ' }).HEALTH_HOST, '127.0.0.1');
  });

  it('GIVEN a port and a host THEN they are parsed; GIVEN a port out of range THEN the error names it', () => {
    const config = parseConfig({ HEALTH_PORT: '9464', HEALTH_HOST: '0.0.0.0' });
    assert.equal(config.HEALTH_PORT, 9464);
    assert.equal(config.HEALTH_HOST, '0.0.0.0');
    assert.throws(() => parseConfig({ HEALTH_PORT: '65536' }), /HEALTH_PORT is invalid/);
  });
});
