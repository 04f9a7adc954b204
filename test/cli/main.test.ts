import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeArticle } from '../../src/article/article.js';
import { repoRoot } from '../../src/core/paths.js';
import {
  AskLineSchema,
  CheckLineSchema,
  contractProblems,
  ErrorLineSchema,
  ExtractLineSchema,
  SummarizeLineSchema,
} from '../../src/core/schema.js';
import { processWarnings } from '../../testkit/process-warnings.js';
import { runVerbatim } from '../helpers/cli-process.js';

const sample = join(repoRoot(), 'examples', 'lavrov-china.txt');

async function cli(args: string[], stdinText = '') {
  const { code, stdout, stderr } = await runVerbatim(args, {
    env: { LOG_LEVEL: 'silent' },
    stdin: stdinText,
  });
  assert.deepEqual(processWarnings(stderr), [], 'the command printed no process warning');
  const lines = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => (args.includes('--json') ? (JSON.parse(l) as Record<string, unknown>) : null));
  return { code, stdout, stderr, lines };
}

describe('verbatim command', () => {
  it('GIVEN the sample article THEN summarize --json meets the contract and quotes no clutter', async () => {
    const { code, lines } = await cli(['summarize', sample, '--json']);
    assert.equal(code, 0);
    assert.equal(lines.length, 1);
    const line = SummarizeLineSchema.parse(lines[0]);
    assert.ok(line.summary.length >= 1 && line.summary.length <= 3);
    assert.ok(line.keyPoints.length >= 3);
    assert.deepEqual(
      contractProblems(line.article.text, {
        grounding: line.grounding,
        claims: [...line.summary, ...line.keyPoints],
      }),
      [],
    );
    assert.equal(line.engine, 'extractive');
    assert.equal(line.model, null);
    assert.equal(line.fallback, null);
    assert.deepEqual(line.usage, { inputTokens: 0, outputTokens: 0 });
    for (const claim of [...line.summary, ...line.keyPoints]) {
      for (const q of claim.quotes)
        assert.doesNotMatch(q.text, /Home »|#Russias|Leave a Comment|Akismet|POOL$/);
    }
  });

  it('GIVEN text on stdin THEN summarize reads it', async () => {
    const text =
      'The city council approved a new budget on Tuesday. The budget adds money for parks and libraries. ' +
      'Council members debated the plan for three hours. The mayor said the vote was a victory for residents.';
    const { code, lines } = await cli(['summarize', '-', '--json', '--length', 'short'], text);
    assert.equal(code, 0);
    const line = SummarizeLineSchema.parse(lines[0]);
    assert.equal(line.article.source, '-');
    assert.ok(line.summary.length >= 1);
  });

  it('GIVEN two questions THEN ask prints one line each, in order, answering or saying the article does not', async () => {
    const { code, lines } = await cli([
      'ask',
      sample,
      'When will Lavrov visit China?',
      'What is the recipe for blueberry pancakes?',
      '--json',
    ]);
    assert.equal(code, 0);
    assert.equal(lines.length, 2);
    const [first, second] = lines.map((l) => AskLineSchema.parse(l));
    assert.ok(first && second);
    assert.equal(first.question, 'When will Lavrov visit China?');
    assert.equal(first.answerable, true);
    assert.ok(first.answer.some((c) => c.quotes.some((q) => /Monday and tomorrow, Tuesday/.test(q.text))));
    assert.equal(second.answerable, false);
    assert.deepEqual(second.answer, []);
  });

  it('GIVEN a question the article answers only in part THEN ask shows the closest passages, marked as not an answer', async () => {
    const question = 'How much trade is there between China and Russia?';
    const json = await cli(['ask', sample, question, '--json']);
    assert.equal(json.code, 0);
    const line = AskLineSchema.parse(json.lines[0]);
    assert.equal(line.answerable, false);
    assert.deepEqual(line.answer, []);
    assert.ok(line.nearest.length >= 1);
    const text = readFileSync(sample, 'utf8');
    const article = makeArticle(text);
    assert.deepEqual(
      contractProblems(article.text, { grounding: line.grounding, claims: [], nearest: line.nearest }),
      [],
    );
    const plain = await cli(['ask', sample, question]);
    assert.match(
      plain.stdout,
      /A: The article doesn't answer this directly\.\n {3}The closest it comes \(not an answer\):\n {3}> “Trade with China is a lifeline/u,
    );
  });

  it('GIVEN check with an empty claim among others THEN a line per claim, in order: an empty_input error line for the empty one, and exit 3', async () => {
    const claims = ['Lavrov will visit China.', '', '   ', 'Lavrov will visit Japan.'];
    const json = await cli(['check', sample, ...claims, '--json']);
    assert.equal(json.code, 3);
    assert.equal(json.lines.length, 4);
    const [first, empty, blank, last] = json.lines;
    assert.equal(CheckLineSchema.parse(first).supported, true);
    for (const [line, claim, index] of [
      [empty, '', 1],
      [blank, '   ', 2],
    ] as const) {
      const error = ErrorLineSchema.parse(line);
      assert.equal(error.error.code, 'empty_input');
      assert.equal(error.claim, claim);
      assert.deepEqual(error.error.details, { index });
    }
    assert.equal(CheckLineSchema.parse(last).supported, false);

    const human = await cli(['check', sample, ...claims]);
    assert.equal(human.code, 3);
    assert.equal(human.stdout.match(/^[✓✗] /gmu)?.length, 2);
    assert.deepEqual(human.stderr.match(/^verbatim: .*\[empty_input\]$/gmu)?.length, 2);
  });

  it('GIVEN --engine openai and no model configured THEN exit 2 saying what to set', async () => {
    const { code, stderr } = await cli(['summarize', sample, '--engine', 'openai']);
    assert.equal(code, 2);
    assert.match(stderr, /OPENAI_API_KEY/);
  });

  it('GIVEN bad usage THEN exit 2 with the usage text', async () => {
    for (const args of [
      ['summarize'],
      ['frobnicate', 'x'],
      ['summarize', sample, '--length', 'huge'],
      ['summarize', sample, '--bogus'],
    ]) {
      const { code, stderr } = await cli(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /usage:/);
    }
  });

  it('GIVEN one good and one missing source THEN extract --json prints both lines and exits 3', async () => {
    const { code, lines } = await cli(['extract', sample, '/nonexistent/a.txt', '--json']);
    assert.equal(code, 3);
    const good = ExtractLineSchema.parse(lines[0]);
    assert.equal(good.chars, good.text.length);
    assert.ok(good.words > 500);
    const bad = ErrorLineSchema.parse(lines[1]);
    assert.equal(bad.error.code, 'unreadable');
  });

  it('GIVEN a missing source without --json THEN one line on stderr and nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli(['summarize', '/nonexistent/a.txt']);
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.equal(stderr.trim().split('\n').length, 1);
    assert.match(stderr, /\[unreadable\]/);
  });

  it('GIVEN the sample THEN the readable output shows markers and the quotes they point to', async () => {
    const { code, stdout } = await cli(['summarize', sample]);
    assert.equal(code, 0);
    assert.match(stdout, /SUMMARY/);
    assert.match(stdout, /KEY POINTS/);
    assert.match(stdout, /“[^”]+” \(¶\d+\)/);
    assert.match(stdout, /quotes found in the article · extractive/);
  });

  it('GIVEN schema THEN it prints JSON Schema for every output', async () => {
    const { code, stdout } = await cli(['schema']);
    assert.equal(code, 0);
    const schemas = JSON.parse(stdout) as Record<string, { type?: string }>;
    assert.deepEqual(Object.keys(schemas).sort(), ['ask', 'check', 'error', 'extract', 'summarize']);
    assert.equal(schemas.summarize?.type, 'object');
  });
});
