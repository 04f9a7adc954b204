import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../src/core/paths.js';
import { type HealthServer, startHealthServer } from '../../src/ops/health.js';
import { createMetrics } from '../../src/ops/metrics.js';

const read = (name: string) => readFileSync(join(repoRoot(), name), 'utf8');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerInstructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function dockerHealthScript(): string {
  const line = dockerInstructions(read('Dockerfile')).find((l) => l.startsWith('HEALTHCHECK '));
  const json = /\bCMD\s+(\[.*\])$/.exec(line ?? '')?.[1];
  const command = JSON.parse(json ?? 'null') as unknown;
  assert.ok(Array.isArray(command) && command.length === 3, `HEALTHCHECK CMD: ${json}`);
  assert.deepEqual(command.slice(0, 2), ['node', '-e']);
  return String(command[2]);
}

function composeHealthScript(): string {
  const match = /^ {8}- -e\n {8}- "([^"\n]*)"$/m.exec(read('compose.yaml'));
  assert.ok(match, 'compose.yaml healthcheck: CMD node -e "<script>"');
  return match[1] as string;
}

/** Runs the health check script as Docker would, with only the given environment. */
function runHealthScript(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { env, timeout: 10_000 }, (err) => {
      resolve(err ? (typeof err.code === 'number' ? err.code : -1) : 0);
    });
  });
}

describe('container health check', () => {
  let ready = true;
  let server: HealthServer;
  const log = { info: () => {}, warn: () => {} };
  before(async () => {
    server = await startHealthServer({
      port: 0,
      metrics: createMetrics(),
      checks: [{ name: 'gateway', check: () => ready }],
      log,
    });
  });
  after(() => server.close());

  it('GIVEN the Dockerfile and compose.yaml THEN both run the same health check script', () => {
    assert.equal(composeHealthScript(), dockerHealthScript());
  });

  it('GIVEN a ready bot THEN the health check exits 0; GIVEN a not-ready bot THEN 1', async () => {
    const script = dockerHealthScript();
    ready = true;
    assert.equal(
      await runHealthScript(script, { HEALTH_PORT: String(server.port), HEALTH_HOST: '127.0.0.1' }),
      0,
    );
    assert.equal(
      await runHealthScript(script, { HEALTH_PORT: String(server.port), HEALTH_HOST: '0.0.0.0' }),
      0,
    );
    for (const blank of ['', '  ']) {
      assert.equal(
        await runHealthScript(script, { HEALTH_PORT: String(server.port), HEALTH_HOST: blank }),
        0,
        `HEALTH_HOST=${JSON.stringify(blank)} is the default, 127.0.0.1, as the config reads it`,
      );
    }
    ready = false;
    assert.equal(
      await runHealthScript(script, { HEALTH_PORT: String(server.port), HEALTH_HOST: '127.0.0.1' }),
      1,
    );
  });

  it('GIVEN no health server configured THEN the check passes; GIVEN nothing listening THEN it fails', async () => {
    const script = dockerHealthScript();
    assert.equal(await runHealthScript(script, { HEALTH_PORT: '' }), 0);
    assert.equal(await runHealthScript(script, { HEALTH_PORT: '0' }), 0);
    assert.equal(await runHealthScript(script, {}), 0);
    const closed = await startHealthServer({ port: 0, metrics: createMetrics(), log });
    await closed.close();
    assert.equal(await runHealthScript(script, { HEALTH_PORT: String(closed.port) }), 1);
  });
});

describe('container image', () => {
  it('GIVEN the Dockerfile THEN the runtime stage runs the bot as node with the database in /data', () => {
    const lines = dockerInstructions(read('Dockerfile'));
    const runtime = lines.slice(lines.findIndex((l) => /^FROM \S+ AS runtime$/.test(l)));
    assert.ok(runtime.length > 1, 'a stage named runtime');
    assert.ok(lines.includes('ARG NODE_IMAGE=node:20-bookworm-slim'));
    assert.ok(runtime.some((l) => l.startsWith('ENV ') && l.includes('NODE_ENV=production')));
    assert.ok(runtime.some((l) => l.startsWith('ENV ') && l.includes('DATABASE_PATH=/data/verbatim.db')));
    assert.ok(runtime.indexOf('USER node') > 0);
    assert.ok(runtime.includes('VOLUME ["/data"]'));
    assert.equal(runtime.at(-1), 'CMD ["node", "dist/src/discord/main.js"]');
    assert.equal(JSON.parse(read('package.json')).scripts.start, 'node dist/src/discord/main.js');
    for (const path of ['package.json', 'node_modules', 'dist', 'prompts']) {
      assert.ok(
        runtime.includes(`COPY --from=build /app/${path} ./${path === 'package.json' ? '' : path}`),
        path,
      );
    }
  });

  it('GIVEN .dockerignore THEN secrets, databases and build output stay out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of ['node_modules', 'dist', '.git', '.env', '*.db'])
      assert.ok(ignored.includes(pattern), pattern);
  });
});
