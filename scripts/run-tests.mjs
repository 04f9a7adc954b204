#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner. Node 20's
// `node --test <dir>` would also load helper modules (fakes, harnesses) as tests; a test file
// deleted from test/ must not linger either, which `npm run build` ensures by cleaning dist/.
// Every test process preloads test/helpers/fail-on-warning: a process warning fails the test.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../dist/test/', import.meta.url).pathname;
const files = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.test.js'))
  .map((e) => join(e.parentPath ?? e.path, e.name))
  .sort();
if (files.length === 0) {
  process.stderr.write('no test files found under dist/test\n');
  process.exit(1);
}
const failOnWarning = fileURLToPath(new URL('../dist/test/helpers/fail-on-warning.js', import.meta.url));
const args = [
  '--import',
  failOnWarning,
  '--test',
  '--test-concurrency=2',
  ...process.argv.slice(2),
  ...files,
];
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
