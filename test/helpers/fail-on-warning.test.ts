import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../src/core/paths.js';
import { processWarnings } from '../../testkit/process-warnings.js';

const hook = fileURLToPath(new URL('./fail-on-warning.js', import.meta.url));

describe('the test suite and process warnings', () => {
  it('GIVEN a test that causes a process warning THEN with the preload that test fails, and the others pass', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-warn-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'warns.test.mjs');
    writeFileSync(
      file,
      [
        "import { test } from 'node:test';",
        "import { setTimeout as sleep } from 'node:timers/promises';",
        "test('quiet', () => {});",
        "test('leaks listeners', async () => { const c = new AbortController(); for (let i = 0; i < 11; i++) c.signal.addEventListener('abort', () => {}); await sleep(20); });",
      ].join('\n'),
    );
    // Without NODE_TEST_CONTEXT, which would make the child report into this test run instead.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, ['--import', hook, '--test', file], { encoding: 'utf8', env });
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stdout, /^not ok \d+ - leaks listeners$/mu);
    assert.match(run.stdout, /process warning: MaxListenersExceededWarning/u);
    assert.match(run.stdout, /^ok \d+ - quiet$/mu);
  });

  it('GIVEN scripts/run-tests.mjs THEN it preloads the hook into every test process', () => {
    const script = readFileSync(join(repoRoot(), 'scripts', 'run-tests.mjs'), 'utf8');
    assert.match(script, /\[\s*'--import',\s*failOnWarning,\s*'--test'/u);
    assert.match(script, /dist\/test\/helpers\/fail-on-warning\.js/u);
    assert.ok(existsSync(hook));
  });

  it('GIVEN a child process’s stderr THEN its warnings are found, and nothing else', () => {
    const stderr = [
      '{"level":30,"msg":"bot ready"}',
      '(node:4242) MaxListenersExceededWarning: Possible EventTarget memory leak detected.',
      '(Use `node --trace-warnings ...` to show where the warning was created)',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      'a Warning in a sentence',
    ].join('\n');
    assert.deepEqual(processWarnings(stderr), [
      '(node:4242) MaxListenersExceededWarning: Possible EventTarget memory leak detected.',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
    ]);
  });
});
