import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../src/core/paths.js';

describe('npm start', () => {
  it('GIVEN no DISCORD_TOKEN THEN it exits 2 with one plain line naming the variable and the fix', () => {
    const main = join(repoRoot(), 'dist', 'src', 'discord', 'main.js');
    const run = spawnSync(process.execPath, [main], {
      cwd: mkdtempSync(join(tmpdir(), 'verbatim-start-')),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^verbatim: DISCORD_TOKEN is missing: set it in \.env[^\n]*\n$/);
  });
});
