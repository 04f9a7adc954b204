/**
 * Scores HTML → article extraction against the shared corpus (`corpus/extraction/`: gzipped pages
 * and human-written gold bodies) with the shared scorer `tools/score-extraction.py`.
 *
 *   node --import tsx scripts/eval-extraction.ts [sharedDir] [--baseline] [--pred FILE]
 *
 * --baseline scores plain Readability + linkedom (its `textContent`) instead of Verbatim's extractor;
 * --pred keeps the predictions file at FILE. Prints the scorer's JSON, the 10 worst pages by F1 and
 * median / p95 extraction time per page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractArticleFromHtml } from '../src/article/html/index.js';
import { sharedDir } from '../src/core/paths.js';

interface Gold {
  readonly articleBody: string;
  readonly url: string;
}

function main(): void {
  const args = process.argv.slice(2);
  const baseline = args.includes('--baseline');
  const predAt = args.indexOf('--pred');
  const keepPredictions = predAt >= 0 ? args[predAt + 1] : undefined;
  const positional = args.filter((a, i) => !a.startsWith('--') && (predAt < 0 || i !== predAt + 1));
  const shared = sharedDir(positional[0]);
  const corpus = join(shared, 'corpus', 'extraction');
  const goldPath = join(corpus, 'ground-truth.json');
  const gold = JSON.parse(readFileSync(goldPath, 'utf8')) as Record<string, Gold>;

  const predictions: Record<string, { articleBody: string }> = {};
  const times: number[] = [];
  const failures: string[] = [];
  const files = readdirSync(join(corpus, 'html')).filter((f) => f.endsWith('.html.gz'));
  for (const file of files.sort()) {
    const id = file.slice(0, -'.html.gz'.length);
    const html = decodeHtml(gunzipSync(readFileSync(join(corpus, 'html', file))));
    const url = gold[id]?.url ?? null;
    const started = performance.now();
    let body: string;
    if (baseline) {
      const { document } = parseHTML(html);
      body = new Readability(document as never).parse()?.textContent ?? '';
    } else {
      const result = extractArticleFromHtml(html, { source: url ?? file, url });
      body = result.ok ? result.value.text : '';
      if (!result.ok)
        failures.push(`${id.slice(0, 12)} ${result.error.code} ${JSON.stringify(result.error.details)}`);
    }
    times.push(performance.now() - started);
    predictions[id] = { articleBody: body };
  }

  const dir = mkdtempSync(join(tmpdir(), 'verbatim-eval-'));
  const predPath = keepPredictions ?? join(dir, 'predictions.json');
  try {
    writeFileSync(predPath, JSON.stringify(predictions));
    const scorer = join(shared, 'tools', 'score-extraction.py');
    const score = execFileSync('python3', [scorer, goldPath, predPath], { encoding: 'utf8' }).trim();
    console.log(`${baseline ? 'baseline (Readability + linkedom)' : 'verbatim'}: ${score}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = Object.entries(gold).map(([id, g]) => ({
    id,
    url: g.url,
    ...documentScore(g.articleBody, predictions[id]?.articleBody ?? ''),
  }));
  rows.sort((a, b) => a.f1 - b.f1);
  console.log('\nworst pages by F1:');
  for (const row of rows.slice(0, 10)) {
    console.log(
      `  ${row.f1.toFixed(3)}  P ${row.precision.toFixed(3)}  R ${row.recall.toFixed(3)}  ${row.id.slice(0, 12)}  ${row.url}`,
    );
  }
  if (failures.length > 0) {
    console.log(`\nrejected (${failures.length}):`);
    for (const line of failures) console.log(`  ${line}`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  console.log(
    `\nextraction time per page (${times.length} pages): median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`,
  );
  if (keepPredictions) console.log(`predictions kept at ${keepPredictions}`);
}

/** Bytes → string: the charset a `<meta>` in the first 2 KB declares, else UTF-8. */
function decodeHtml(bytes: Buffer): string {
  const head = bytes.subarray(0, 2048).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      // an unknown label: fall through to UTF-8
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Per-page precision/recall/F1 with the scorer's metric: 4-gram shingles over `\w+` tokens. */
function documentScore(gold: string, predicted: string): { precision: number; recall: number; f1: number } {
  const a = shingles(gold);
  const b = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, count] of a) {
    const other = b.get(key) ?? 0;
    tp += Math.min(count, other);
    fn += Math.max(0, count - other);
  }
  for (const [key, count] of b) fp += Math.max(0, count - (a.get(key) ?? 0));
  const precision = fp === 0 && fn === 0 ? 1 : tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = fp === 0 && fn === 0 ? 1 : tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function shingles(text: string, n = 4): Map<string, number> {
  const tokens = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i < Math.max(1, tokens.length - n + 1); i++) {
    const gram = tokens.slice(i, i + n);
    if (gram.length === 0) continue;
    const key = gram.join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

main();
