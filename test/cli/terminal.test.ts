import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config.js';
import { CheckLineSchema, ExtractLineSchema, SummarizeLineSchema } from '../../src/core/schema.js';
import { readFixture } from '../helpers/fixtures.js';

/** What a terminal acts on: C0 controls but line feed and tab, DEL, C1, bidi embeddings/overrides/isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** The same, as `JSON.stringify` would leave them raw (C0 it escapes itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

let dir = '';
let page = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verbatim-terminal-'));
  page = join(dir, 'hostile.html');
  await writeFile(page, readFixture('html', 'hostile-metadata.html'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {})(),
    config: () => parseConfig({ LOG_LEVEL: 'silent' }),
  });
  return { code, stdout, stderr };
}

describe('what the command prints to a terminal', () => {
  it('GIVEN a page whose title, byline and site name carry escape sequences, C1 controls and bidi overrides THEN extract, summarize, ask and check print none of them, and keep the words', async () => {
    const runs = [
      await cli(['extract', page]),
      await cli(['summarize', page, '--length', 'short']),
      await cli(['ask', page, 'How much did the barrier cost?\u001b]0;pwned\u0007']),
      await cli(['check', page, 'The barrier cost 310 million euros \u202eevil', '\u009b2J']),
    ];
    for (const { code, stdout, stderr } of runs) {
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stdout, UNSAFE);
      assert.doesNotMatch(stderr, UNSAFE);
    }
    const [extract, summary, answer, check] = runs.map((r) => r.stdout);
    assert.match(extract ?? '', /^Harbor Town\]0;pwned Opens \[2JIts 31mTidal Barrier evil\n/u);
    assert.match(extract ?? '', /A sign read evil and 2J nothing\./u, 'the body, too');
    assert.match(summary ?? '', /^The Coastal Courier\[5m · Ines\[31m Calloway · 2024-05-02 · /mu);
    assert.match(answer ?? '', /^Q: How much did the barrier cost\?\]0;pwned$/mu);
    assert.match(check ?? '', /^✓ supported: The barrier cost 310 million euros evil$/mu);
  });

  it('GIVEN --json THEN every line parses back to clean metadata and the exact values given, and no raw DEL, C1 or bidi control reaches the terminal', async () => {
    const extract = await cli(['extract', page, '--json']);
    const summary = await cli(['summarize', page, '--json', '--length', 'short']);
    const claim = 'The barrier cost 310 million euros \u202eevil\u202c\u009b2J\u007f';
    const check = await cli(['check', page, claim, '--json']);
    for (const { code, stdout } of [extract, summary, check]) {
      assert.equal(code, 0);
      assert.doesNotMatch(stdout, RAW_IN_JSON);
    }
    const line = ExtractLineSchema.parse(JSON.parse(extract.stdout));
    for (const value of [
      line.title,
      line.byline,
      line.siteName,
      line.source,
      line.publishedTime,
      line.text,
    ]) {
      assert.doesNotMatch(value ?? '', UNSAFE);
    }
    assert.equal(SummarizeLineSchema.parse(JSON.parse(summary.stdout)).article.title, line.title);
    assert.equal(CheckLineSchema.parse(JSON.parse(check.stdout)).claim, claim, 'exact, through \\u escapes');
    assert.ok(check.stdout.includes('evil\\u202c\\u009b2J\\u007f'));
  });

  it('GIVEN a source name carrying escape sequences that cannot be read THEN the one error line on stderr carries none', async () => {
    const { code, stdout, stderr } = await cli([
      'summarize',
      join(dir, 'gone\u001b]0;pwned\u0007\u202e.txt'),
    ]);
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.doesNotMatch(stderr, UNSAFE);
    assert.match(stderr, /gone\]0;pwned\.txt/u);
  });
});
