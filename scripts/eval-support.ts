/**
 * Scores the offline claim-support check (`checkClaims`, what `verbatim check` runs) on the shared
 * news corpus: `corpus/news/summaries.jsonl` holds summaries of `corpus/news/<article>` labelled
 * consistent or not, with the kinds of edit that made them inconsistent.
 *
 *   node --import tsx scripts/eval-support.ts [sharedDir]
 *
 * A summary counts as supported iff every one of its sentences is. The two thresholds (sentences
 * quoted per claim, words the article never uses allowed per claim) are chosen on half of the
 * articles (every other one by name) and reported on the other half, and on all. Prints balanced
 * accuracy (mean of the true-positive rate on consistent summaries and the true-negative rate on
 * inconsistent ones), the confusion matrix, recall per edit type, then one JSON line.
 * Published reference points: best large models ≈ 0.82, people ≈ 0.9.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeArticle } from '../src/article/article.js';
import { sharedDir } from '../src/core/paths.js';
import {
  type ClaimEvidence,
  CONTENT_WORD_TOLERANCE,
  DEFAULT_MAX_QUOTES,
  gatherEvidence,
  prepareArticle,
  type SupportIndex,
  verdictFrom,
} from '../src/grounding/support/index.js';
import { splitSentences } from '../src/text/index.js';

interface Row {
  readonly article: string;
  readonly summary: string;
  readonly consistent: boolean;
  readonly edit_types: readonly string[];
}

interface Scored {
  readonly row: Row;
  /** Evidence per summary sentence, per maxQuotes tried. */
  readonly evidence: ReadonlyMap<number, readonly ClaimEvidence[]>;
}

interface Params {
  readonly maxQuotes: number;
  readonly tolerance: number;
}

interface Confusion {
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

const MAX_QUOTES_TRIED = [1, 2, 3];
const TOLERANCES_TRIED = [0, 1, 2, 3, 4, 5, 6, 8, Number.POSITIVE_INFINITY];

function predict(s: Scored, p: Params): boolean {
  const evidence = s.evidence.get(p.maxQuotes) ?? [];
  return evidence.every((e) => verdictFrom(e, p.tolerance).supported);
}

function confusion(rows: readonly Scored[], p: Params): Confusion {
  const c = { tp: 0, fn: 0, tn: 0, fp: 0 };
  for (const s of rows) {
    const supported = predict(s, p);
    if (s.row.consistent) supported ? c.tp++ : c.fn++;
    else supported ? c.fp++ : c.tn++;
  }
  return c;
}

function balancedAccuracy(c: Confusion): number {
  const tpr = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const tnr = c.tn + c.fp === 0 ? 0 : c.tn / (c.tn + c.fp);
  return (tpr + tnr) / 2;
}

function main(): void {
  const shared = sharedDir(process.argv[2]);
  const corpus = join(shared, 'corpus', 'news');
  const rows = readFileSync(join(corpus, 'summaries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);

  const articles = new Map<string, SupportIndex>();
  const started = performance.now();
  const scored: Scored[] = rows.map((row) => {
    let index = articles.get(row.article);
    if (!index) {
      const text = readFileSync(join(corpus, row.article), 'utf8');
      index = prepareArticle(makeArticle(text, { source: row.article, lang: 'en' }));
      articles.set(row.article, index);
    }
    const sentences = splitSentences(row.summary, 'en').map((s) => s.text);
    const evidence = new Map(
      MAX_QUOTES_TRIED.map((k) => [k, sentences.map((s) => gatherEvidence(index, s, k))] as const),
    );
    return { row, evidence };
  });
  const elapsed = performance.now() - started;

  const names = [...articles.keys()].sort();
  const calibrationNames = new Set(names.filter((_, i) => i % 2 === 0));
  const calibration = scored.filter((s) => calibrationNames.has(s.row.article));
  const heldOut = scored.filter((s) => !calibrationNames.has(s.row.article));

  let best: Params = { maxQuotes: DEFAULT_MAX_QUOTES, tolerance: CONTENT_WORD_TOLERANCE };
  let bestScore = -1;
  for (const maxQuotes of MAX_QUOTES_TRIED) {
    for (const tolerance of TOLERANCES_TRIED) {
      const score = balancedAccuracy(confusion(calibration, { maxQuotes, tolerance }));
      if (score > bestScore + 1e-9) {
        best = { maxQuotes, tolerance };
        bestScore = score;
      }
    }
  }
  const defaults: Params = { maxQuotes: DEFAULT_MAX_QUOTES, tolerance: CONTENT_WORD_TOLERANCE };

  const fmt = (x: number) => x.toFixed(3);
  const line = (label: string, set: readonly Scored[], p: Params) => {
    const c = confusion(set, p);
    return `${label.padEnd(34)} n=${String(set.length).padStart(3)}  balanced accuracy ${fmt(balancedAccuracy(c))}  (TPR ${fmt(c.tp / Math.max(1, c.tp + c.fn))}, TNR ${fmt(c.tn / Math.max(1, c.tn + c.fp))})`;
  };
  console.log(`corpus: ${rows.length} summaries of ${names.length} articles (${corpus})`);
  console.log(`calibration half: ${[...calibrationNames].join(', ')}`);
  console.log(
    `calibrated: maxQuotes ${best.maxQuotes}, unseen-word tolerance ${best.tolerance} (code defaults: ${defaults.maxQuotes}, ${defaults.tolerance})`,
  );
  console.log(line('calibration half (calibrated)', calibration, best));
  console.log(line('held-out half (calibrated)', heldOut, best));
  console.log(line('all (calibrated)', scored, best));
  console.log(line('all (code defaults)', scored, defaults));

  const c = confusion(scored, best);
  console.log('\nconfusion matrix (all, calibrated)     predicted supported   predicted unsupported');
  console.log(
    `  consistent   (${String(c.tp + c.fn).padStart(3)})               ${String(c.tp).padStart(5)}                ${String(c.fn).padStart(5)}`,
  );
  console.log(
    `  inconsistent (${String(c.tn + c.fp).padStart(3)})               ${String(c.fp).padStart(5)}                ${String(c.tn).padStart(5)}`,
  );

  console.log(
    '\nrecall per edit type (inconsistent summaries flagged unsupported, calibrated)   all           held-out half',
  );
  const types = [...new Set(rows.flatMap((r) => r.edit_types))].sort();
  const perType: Record<string, { n: number; recall: number; heldOutN: number; heldOutRecall: number }> = {};
  const recall = (set: readonly Scored[], t: string) => {
    const withType = set.filter((s) => s.row.edit_types.includes(t));
    const caught = withType.filter((s) => !predict(s, best)).length;
    return { n: withType.length, caught, recall: caught / Math.max(1, withType.length) };
  };
  for (const t of types) {
    const a = recall(scored, t);
    const h = recall(heldOut, t);
    perType[t] = { n: a.n, recall: a.recall, heldOutN: h.n, heldOutRecall: h.recall };
    console.log(
      `  ${t.padEnd(30)} ${String(a.caught).padStart(3)}/${String(a.n).padEnd(3)} ${fmt(a.recall)}    ${String(h.caught).padStart(3)}/${String(h.n).padEnd(3)} ${fmt(h.recall)}`,
    );
  }

  const reasons = new Map<string, number>();
  for (const s of scored) {
    for (const e of s.evidence.get(best.maxQuotes) ?? []) {
      for (const r of verdictFrom(e, best.tolerance).reasons) {
        const kind = r
          .replace(/\s*".*$/u, '')
          .replace(/:.*$/u, '')
          .trim();
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }
    }
  }
  console.log('\nreasons given (per sentence, all)');
  for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(n).padStart(4)}  ${r}`);
  console.log(`\n${(elapsed / rows.length).toFixed(1)} ms per summary (all settings tried)`);
  console.log(
    JSON.stringify({
      calibrated: best,
      balancedAccuracy: {
        calibration: balancedAccuracy(confusion(calibration, best)),
        heldOut: balancedAccuracy(confusion(heldOut, best)),
        all: balancedAccuracy(confusion(scored, best)),
        allDefaults: balancedAccuracy(confusion(scored, defaults)),
      },
      confusion: c,
      perEditType: perType,
    }),
  );
}

main();
