/**
 * Benchmarks the extractive engine's `summarize` on a 200,000-character article (the bar: under 1 s
 * of whole-process wall time on this machine). The article is built deterministically from the
 * sample in `examples/` and, when present, `../shared/corpus/news/`: paragraphs in a seeded shuffle,
 * repeated until long enough.
 *
 * Reports medians: in-process `summarize` time (fresh engine, nothing cached), and the wall time of a
 * whole Node process that loads the engine, reads the file, summarizes and prints JSON; plus the
 * `verbatim summarize` command's when the CLI is built.
 *
 * Usage: node dist/scripts/bench-summarize.js [--runs N] [--chars N] [--shared DIR]
 * Exported as `benchSummarize` for `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeArticle } from '../src/article/article.js';
import { repoRoot, sharedDir } from '../src/core/paths.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';

export interface SummarizeBench {
  readonly chars: number;
  readonly runs: number;
  /** Median milliseconds of `summarize` (standard length) inside one process, fresh engine each run. */
  readonly inProcessMs: number;
  /** Median wall milliseconds of a whole process: start Node, load, read, summarize, print. */
  readonly processMs: number;
  /** The same through `bin/verbatim.cjs summarize --json`, or null when the CLI is not built. */
  readonly cliMs: number | null;
}

export async function benchSummarize(
  options: { runs?: number; chars?: number; shared?: string } = {},
): Promise<SummarizeBench> {
  const runs = options.runs ?? 5;
  const text = buildArticleText(options.chars ?? 200_000, options.shared);
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-bench-'));
  try {
    const file = join(dir, 'article.txt');
    writeFileSync(file, text);

    const inProcess: number[] = [];
    for (let i = 0; i < runs; i++) {
      const article = makeArticle(text);
      const started = performance.now();
      const result = await createExtractiveEngine().summarize(article, { length: 'standard', lang: null });
      inProcess.push(performance.now() - started);
      if (!result.ok) throw new Error(`summarize failed: ${result.error.code}`);
    }

    const self = fileURLToPath(import.meta.url);
    const processMs = medianWall(runs, [self, '--once', file]);
    const cli = join(repoRoot(), 'bin', 'verbatim.cjs');
    const cliBuilt = existsSync(join(repoRoot(), 'dist', 'cli', 'verbatim.cjs'));
    const cliMs = cliBuilt
      ? medianWall(runs, [cli, 'summarize', file, '--engine', 'extractive', '--json'])
      : null;
    return { chars: text.length, runs, inProcessMs: median(inProcess), processMs, cliMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function medianWall(runs: number, args: readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    times.push(performance.now() - started);
    if (child.status !== 0)
      throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
  }
  return median(times);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** At least `chars` characters of news prose, cut at a paragraph break; the same text every time. */
export function buildArticleText(chars: number, shared?: string): string {
  const sources = [readFileSync(join(repoRoot(), 'examples', 'lavrov-china.txt'), 'utf8')];
  const news = join(sharedDir(shared), 'corpus', 'news');
  if (existsSync(news)) {
    for (const name of readdirSync(news).sort()) {
      if (name.endsWith('.txt')) sources.push(readFileSync(join(news, name), 'utf8'));
    }
  }
  const paragraphs = sources.flatMap((s) =>
    s
      .split(/\n\s*\n/u)
      .map((p) => p.trim())
      .filter(Boolean),
  );
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    const order = paragraphs.map((p) => ({ p, key: random() })).sort((a, b) => a.key - b.key);
    for (const { p } of order) {
      out.push(p);
      length += p.length + 2;
      if (length >= chars) break;
    }
  }
  return out.join('\n\n');
}

async function runOnce(file: string): Promise<void> {
  const article = makeArticle(readFileSync(file, 'utf8'));
  const result = await createExtractiveEngine().summarize(article, { length: 'standard', lang: null });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!result.ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      once: { type: 'string' },
      runs: { type: 'string' },
      chars: { type: 'string' },
      shared: { type: 'string' },
    },
  });
  if (values.once) return runOnce(values.once);
  const bench = await benchSummarize({
    runs: values.runs ? Number(values.runs) : 5,
    chars: values.chars ? Number(values.chars) : 200_000,
    ...(values.shared ? { shared: values.shared } : {}),
  });
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(`extractive summarize, ${bench.chars} characters, median of ${bench.runs}:`);
  console.log(`  in process:     ${ms(bench.inProcessMs)}`);
  console.log(`  whole process:  ${ms(bench.processMs)} (bar: 1000 ms)`);
  console.log(`  verbatim CLI:   ${bench.cliMs === null ? 'not built' : ms(bench.cliMs)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
