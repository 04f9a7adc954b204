import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config.js';
import { runVerbatim } from '../helpers/cli-process.js';
import { craftedPdf, nestedHtml } from '../helpers/crafted.js';

async function cli(args: string[], stdin: AsyncIterable<Uint8Array>, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin,
    config: () => parseConfig({ LOG_LEVEL: 'silent', ...env }),
  });
  return { code, stdout, stderr };
}

/** The command as it ships (the bundle, whose HTML and PDF parsing runs in its own worker thread). */
async function shipped(args: string[]) {
  return runVerbatim(args, { env: { LOG_LEVEL: 'silent' } });
}

describe('verbatim reads files and standard input within the bot’s bounds', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verbatim-bounds-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN a 20,000-page PDF THEN extract refuses it as too_large (pages) without reading its pages', {
    timeout: 120_000,
  }, async () => {
    const path = join(dir, 'book.pdf');
    await writeFile(path, craftedPdf(20_000));
    const { code, stdout } = await shipped(['extract', path, '--json']);
    assert.equal(code, 3);
    const line = JSON.parse(stdout) as { error: { code: string; details: Record<string, unknown> } };
    assert.equal(line.error.code, 'too_large');
    assert.equal(line.error.details.reason, 'pages');
  });

  it('GIVEN a page nested 200,000 deep THEN extract answers in seconds (it took 35 s of CPU, ~60 s under load)', {
    timeout: 20_000,
  }, async () => {
    const path = join(dir, 'deep.html');
    const paragraph =
      'The council voted on Tuesday to keep the east side clinic open until a replacement is built, after hearing from more than thirty residents.';
    await writeFile(path, nestedHtml(200_000, paragraph));
    const started = performance.now();
    const { code, stdout } = await shipped(['extract', path, '--json']);
    // Checked here too, as the runner's own timeout is: the command must answer well within it.
    assert.ok(performance.now() - started < 20_000, `${Math.round(performance.now() - started)} ms`);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { text: string }).text, paragraph);
  });

  it('GIVEN standard input that never ends THEN timeout at step read after FETCH_TIMEOUT_MS, not a hang', {
    timeout: 30_000,
  }, async () => {
    const endless: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}),
      }),
    };
    const started = performance.now();
    const { code, stderr } = await cli(['extract', '-'], endless, { FETCH_TIMEOUT_MS: '500' });
    assert.equal(code, 4);
    assert.match(stderr, /Reading the input took longer than/);
    assert.match(stderr, /\[timeout\]/);
    assert.doesNotMatch(stderr, /site|page/i);
    assert.ok(performance.now() - started < 20_000);
  });
});
