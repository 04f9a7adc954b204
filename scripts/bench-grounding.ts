/**
 * Grounding benchmark: a 200,000-character article built from shuffled, lightly varied sentences
 * of examples/lavrov-china.txt; 100 proposed quotes, half real with small perturbations (straight
 * quote marks, case, typos, whitespace, ellipsis), half fabricated from article words. Reports the
 * median index build time and the median time to locate all 100, over repeated runs.
 *
 * Run: node --import tsx scripts/bench-grounding.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../src/core/paths.js';
import { buildSourceIndex, locateQuote } from '../src/grounding/index.js';

export interface GroundingBenchFigures {
  readonly articleChars: number;
  readonly quotes: number;
  readonly runs: number;
  /** Median milliseconds to build the index of the article. */
  readonly indexBuildMsMedian: number;
  /** Median milliseconds to locate all quotes (index already built), wall clock. */
  readonly locateAllMsMedian: number;
  /** Median process CPU milliseconds for the same (less sensitive to other processes on a shared machine). */
  readonly locateAllCpuMsMedian: number;
  /** Slowest single quote over all runs, milliseconds. */
  readonly slowestQuoteMs: number;
  /** Real (perturbed) quotes that were found, out of `quotes / 2`. */
  readonly realFound: number;
  /** Fabricated quotes that were rejected, out of `quotes / 2`. */
  readonly fabricatedRejected: number;
  readonly methods: Readonly<Record<string, number>>;
  /** Target: locating all quotes takes under this many milliseconds. */
  readonly targetMs: number;
  readonly withinTarget: boolean;
}

const ARTICLE_CHARS = 200_000;
const QUOTES = 100;
const TARGET_MS = 50;

/** Deterministic PRNG (mulberry32) so every run benchmarks the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function buildArticle(source: string, rand: () => number): { text: string; words: string[] } {
  const sentences = source
    .split(/(?<=[.!?])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length >= 30);
  const words = [...new Set(source.match(/\p{L}[\p{L}’'-]*/gu) ?? [])];
  const paragraphs: string[] = [];
  let length = 0;
  while (length < ARTICLE_CHARS) {
    const count = 2 + Math.floor(rand() * 5);
    const paragraph: string[] = [];
    for (let i = 0; i < count; i++) {
      let sentence = pick(rand, sentences);
      if (rand() < 0.6) {
        const tokens = sentence.split(' ');
        const edits = 1 + Math.floor(rand() * 2);
        for (let e = 0; e < edits; e++) tokens[Math.floor(rand() * tokens.length)] = pick(rand, words);
        sentence = tokens.join(' ');
      }
      paragraph.push(sentence);
    }
    const p = paragraph.join(' ');
    paragraphs.push(p);
    length += p.length + 2;
  }
  return { text: paragraphs.join('\n\n').slice(0, ARTICLE_CHARS), words };
}

function realQuote(text: string, rand: () => number, kind: number): string {
  let start = Math.floor(rand() * (text.length - 400));
  start = text.indexOf(' ', start) + 1;
  const length = 60 + Math.floor(rand() * 200);
  let end = text.indexOf(' ', start + length);
  if (end < 0) end = start + length;
  const quote = text.slice(start, end);
  switch (kind % 5) {
    case 0:
      return quote.replace(/[’‘]/gu, "'").replace(/[“”]/gu, '"');
    case 1:
      return rand() < 0.5 ? quote.toLowerCase() : quote.toUpperCase();
    case 2: {
      const chars = [...quote];
      const typos = 1 + Math.floor(rand() * 2);
      for (let t = 0; t < typos; t++) {
        const at = Math.floor(rand() * chars.length);
        if (/\p{L}/u.test(chars[at] ?? '')) chars[at] = chars[at] === 'e' ? 'a' : 'e';
      }
      return chars.join('');
    }
    case 3:
      return quote.replace(/ /gu, () => (rand() < 0.2 ? '\n ' : '  '));
    default: {
      const tokens = quote.split(/\s+/u);
      const third = Math.max(1, Math.floor(tokens.length / 3));
      return `${tokens.slice(0, third + 2).join(' ')} … ${tokens.slice(2 * third).join(' ')}`;
    }
  }
}

function fabricatedQuote(words: readonly string[], rand: () => number): string {
  const count = 12 + Math.floor(rand() * 14);
  const chosen = Array.from({ length: count }, () => pick(rand, words).toLowerCase());
  const sentence = chosen.join(' ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The benchmark's article and proposals (even indexes real, odd fabricated); deterministic. */
export function groundingWorkload(): { text: string; proposals: string[] } {
  const source = readFileSync(join(repoRoot(), 'examples', 'lavrov-china.txt'), 'utf8');
  const rand = prng(20240409);
  const { text, words } = buildArticle(source, rand);
  const proposals = Array.from({ length: QUOTES }, (_, i) =>
    i % 2 === 0 ? realQuote(text, rand, i / 2) : fabricatedQuote(words, rand),
  );
  return { text, proposals };
}

/** Runs the benchmark `runs` times (at least 7) and returns the figures; prints nothing. */
export function runGroundingBench(runs = 9): GroundingBenchFigures {
  const rounds = Math.max(7, runs);
  const { text, proposals } = groundingWorkload();

  const buildTimes: number[] = [];
  const locateTimes: number[] = [];
  const locateCpu: number[] = [];
  let slowest = 0;
  let realFound = 0;
  let fabricatedRejected = 0;
  const methods: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const index = buildSourceIndex(text);
    const t1 = performance.now();
    buildTimes.push(t1 - t0);
    let total = 0;
    const cpu0 = process.cpuUsage();
    proposals.forEach((proposal, i) => {
      const q0 = performance.now();
      const result = locateQuote(index, proposal);
      const took = performance.now() - q0;
      total += took;
      slowest = Math.max(slowest, took);
      if (round !== 0) return;
      const key = result.found ? result.method : result.reason;
      methods[key] = (methods[key] ?? 0) + 1;
      if (i % 2 === 0 && result.found) realFound++;
      if (i % 2 === 1 && !result.found) fabricatedRejected++;
    });
    const cpu = process.cpuUsage(cpu0);
    locateCpu.push((cpu.user + cpu.system) / 1000);
    locateTimes.push(total);
  }
  const locateAllMsMedian = median(locateTimes);
  return {
    articleChars: text.length,
    quotes: QUOTES,
    runs: rounds,
    indexBuildMsMedian: median(buildTimes),
    locateAllMsMedian,
    locateAllCpuMsMedian: median(locateCpu),
    slowestQuoteMs: slowest,
    realFound,
    fabricatedRejected,
    methods,
    targetMs: TARGET_MS,
    withinTarget: locateAllMsMedian < TARGET_MS,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = runGroundingBench();
  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  console.log(`grounding: ${f.articleChars} chars, ${f.quotes} quotes, medians over ${f.runs} runs`);
  console.log(`  index build            ${ms(f.indexBuildMsMedian)}`);
  console.log(
    `  locate all ${f.quotes}         ${ms(f.locateAllMsMedian)} (target < ${f.targetMs} ms: ${f.withinTarget ? 'met' : 'MISSED'})`,
  );
  console.log(`  locate all, CPU time    ${ms(f.locateAllCpuMsMedian)}`);
  console.log(`  slowest single quote   ${ms(f.slowestQuoteMs)}`);
  console.log(`  real found             ${f.realFound}/${f.quotes / 2}`);
  console.log(`  fabricated rejected    ${f.fabricatedRejected}/${f.quotes / 2}`);
  console.log(`  methods                ${JSON.stringify(f.methods)}`);
}
