import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../src/core/paths.js';
import { runVerbatim } from '../helpers/cli-process.js';

const module = fileURLToPath(new URL('../../src/cli/fd-output.js', import.meta.url));

/** Runs a script that writes `lines` numbered lines through `fdOutput(1)`; `readBytes` stops reading (and closes the pipe) after that many bytes. */
function writeLines(lines: number, readBytes = Number.POSITIVE_INFINITY) {
  const script = `
    const { fdOutput } = await import(${JSON.stringify(module)});
    const out = fdOutput(1, () => process.stdout);
    for (let i = 0; i < ${lines}; i++) out.write('line ' + i + ' ' + 'é'.repeat(40) + '\\n');
    process.stderr.write('done');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
  const chunks: Buffer[] = [];
  let got = 0;
  child.stdout.on('data', (b: Buffer) => {
    chunks.push(b);
    got += b.length;
    if (got >= readBytes) child.stdout.destroy();
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8'), stderr })),
  );
}

describe('fdOutput', () => {
  it('GIVEN a pipe and more output than it holds THEN every line arrives, whole and in order', async () => {
    const run = await writeLines(20_000);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 20_000);
    for (const [i, line] of lines.entries()) assert.equal(line, `line ${i} ${'é'.repeat(40)}`);
  });

  it('GIVEN a reader that goes away (| head) THEN the writer stops quietly and the process ends normally', async () => {
    const run = await writeLines(200_000, 1000);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, 'done');
  });

  it('GIVEN the command writing a summary and an error to pipes THEN it loads neither net nor streams for them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-builtins-'));
    try {
      const file = join(dir, 'builtins.txt');
      const recorder = fileURLToPath(new URL('../helpers/record-builtins.js', import.meta.url));
      const sample = join(repoRoot(), 'examples', 'lavrov-china.txt');
      for (const args of [
        ['summarize', sample, '--length', 'short'],
        ['summarize', join(dir, 'missing.txt')],
      ]) {
        const run = await runVerbatim(args, {
          nodeArgs: ['--import', recorder],
          env: { VERBATIM_RECORD_BUILTINS: file },
        });
        assert.ok(run.stdout.length + run.stderr.length > 0, args.join(' '));
        const builtins = (await readFile(file, 'utf8')).split('\n');
        for (const name of ['net', 'tty', 'internal/fs/sync_write_stream'])
          assert.ok(!builtins.includes(name), `${args.join(' ')} loaded ${name}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
