/**
 * Checks the output contract on real articles: the sample, every article in corpus/news, and the
 * text extracted from every page in corpus/extraction. For each: summarize (every length) and ask
 * two questions with the offline engine; every JSON line must parse with the zod schema and every
 * quote must slice back from article.text with its offsets.
 *
 * usage: npm run eval:contract [-- SHARED_DIR]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Article } from '../src/article/article.js';
import { articleFromBytes } from '../src/article/ingest.js';
import { askLine, summarizeLine } from '../src/cli/lines.js';
import { sharedDir } from '../src/core/paths.js';
import { AskLineSchema, contractProblems, SummarizeLineSchema } from '../src/core/schema.js';
import { SUMMARY_LENGTHS } from '../src/engines/engine.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';

const shared = sharedDir(process.argv[2]);
const engine = createExtractiveEngine();

interface Input {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly filename: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  const sample = join(shared, 'articles', 'lavrov-china.txt');
  out.push({ name: 'articles/lavrov-china.txt', bytes: readFileSync(sample), filename: 'lavrov-china.txt' });
  const news = join(shared, 'corpus', 'news');
  for (const f of readdirSync(news)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    out.push({ name: `news/${f}`, bytes: readFileSync(join(news, f)), filename: f });
  }
  const html = join(shared, 'corpus', 'extraction', 'html');
  for (const f of readdirSync(html)
    .filter((f) => f.endsWith('.html.gz'))
    .sort()) {
    out.push({
      name: `extraction/${f}`,
      bytes: gunzipSync(readFileSync(join(html, f))),
      filename: f.replace(/\.gz$/, ''),
    });
  }
  return out;
}

function firstWords(article: Article): string {
  const sentence = article.text.split(/(?<=[.!?])\s/)[Math.floor(article.text.length / 2000)] ?? article.text;
  return `What about ${sentence.split(/\s+/).slice(0, 6).join(' ')}?`;
}

let checked = 0;
let lines = 0;
let quotes = 0;
const failures: string[] = [];
const skipped: string[] = [];
const started = performance.now();
for (const input of inputs()) {
  const article = await articleFromBytes({
    bytes: input.bytes,
    filename: input.filename,
    contentType: null,
    meta: { source: input.name },
  });
  if (!article.ok) {
    skipped.push(`${input.name}: ${article.error.code}`);
    continue;
  }
  checked++;
  const a = article.value;
  for (const length of SUMMARY_LENGTHS) {
    const options = { length, lang: null };
    const result = await engine.summarize(a, options);
    if (!result.ok) {
      failures.push(`${input.name} summarize ${length}: ${result.error.code}`);
      continue;
    }
    const line = SummarizeLineSchema.safeParse(
      JSON.parse(JSON.stringify(summarizeLine(a, options, result.value))),
    );
    lines++;
    if (!line.success) {
      failures.push(`${input.name} summarize ${length}: schema: ${line.error.message.slice(0, 200)}`);
      continue;
    }
    const claims = [...line.data.summary, ...line.data.keyPoints];
    quotes += claims.reduce((n, c) => n + c.quotes.length, 0);
    for (const p of contractProblems(a.text, { grounding: line.data.grounding, claims }))
      failures.push(`${input.name} ${length}: ${p}`);
    if (line.data.summary.length < 1 || line.data.summary.length > 3)
      failures.push(`${input.name} ${length}: ${line.data.summary.length} summary claims`);
  }
  for (const question of [firstWords(a), 'What is the airspeed velocity of an unladen swallow?']) {
    const result = await engine.answer(a, question, []);
    if (!result.ok) {
      failures.push(`${input.name} ask: ${result.error.code}`);
      continue;
    }
    const line = AskLineSchema.safeParse(JSON.parse(JSON.stringify(askLine(a, question, result.value))));
    lines++;
    if (!line.success) {
      failures.push(`${input.name} ask: schema: ${line.error.message.slice(0, 200)}`);
      continue;
    }
    quotes += line.data.answer.reduce((n, c) => n + c.quotes.length, 0) + line.data.nearest.length;
    const shown = { grounding: line.data.grounding, claims: line.data.answer, nearest: line.data.nearest };
    for (const p of contractProblems(a.text, shown)) failures.push(`${input.name} ask: ${p}`);
    if (line.data.answerable !== line.data.answer.length > 0)
      failures.push(`${input.name} ask: answerable disagrees with answer`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`articles checked: ${checked}; JSON lines: ${lines}; quotes verified: ${quotes}; ${seconds} s`);
if (skipped.length > 0)
  console.log(`refused at ingest (not counted): ${skipped.length}\n  ${skipped.join('\n  ')}`);
if (failures.length > 0) {
  console.log(`contract FAILED (${failures.length}):\n  ${failures.slice(0, 50).join('\n  ')}`);
  process.exitCode = 1;
} else {
  console.log('contract holds: every line parses, every quote slices back from article.text, counts add up');
}
