/**
 * `npm run bench:fairness`: how long an ordinary summary by user B takes while user A floods the
 * worker pool with long ones (issue 10 §2: three slow uploads from one account took another user's
 * summary from ~1 s to ~28 s). Each round starts a fresh pool of the bot's size, warms its workers,
 * queues A's long jobs (the offline engine on a ~750,000-character article, a legitimate job of a
 * few seconds), then B's job on the sample article, and times B's job from asking to its result.
 *
 * The cases, interleaved in each round so that load on the shared machine falls on all alike:
 *   - `arrival order`: this build's pool with jobs that carry no owner, which is main's order
 *     before per-user fairness (first come, first served; one user may hold every worker);
 *   - `per user`: this build's pool with A's and B's jobs owned by them (taken in turn, one user
 *     holds at most half the workers);
 *   - `per user [DIR]`: the pool of another build (say `--pool ../main/dist`), given the same owners
 *     (a build before fairness ignores them: a cross-check of the first case).
 *
 * Usage: node dist/scripts/bench-fairness.js [--runs N] [--flood N] [--workers N] [--pool DIR]...
 *   --runs     rounds (default 5); figures are medians
 *   --flood    A's long jobs (default 4)
 *   --workers  pool size (default 2, the bot's WORKER_THREADS default)
 *   --pool     another build's dist/ folder to run the same rounds on
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AppJobs } from '../src/app/worker-jobs.js';
import { makeArticle } from '../src/article/article.js';
import type { JobRunner, RunOptions } from '../src/article/worker/index.js';
import { repoRoot } from '../src/core/paths.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    flood: { type: 'string', default: '4' },
    workers: { type: 'string', default: '2' },
    pool: { type: 'string', multiple: true },
  },
});
const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${text}`);
  return n;
};
const runs = positive('runs', values.runs);
const flood = positive('flood', values.flood);
const workers = positive('workers', values.workers);

type CreatePool = (size: number) => JobRunner<AppJobs>;
interface Case {
  readonly name: string;
  readonly create: CreatePool;
  readonly owned: boolean;
}

const poolOf = async (dist: string): Promise<CreatePool> =>
  (await import(pathToFileURL(resolve(dist, 'src', 'app', 'pooled-engine.js')).href))
    .createAppWorkerPool as CreatePool;
const here = await poolOf(resolve(repoRoot(), 'dist'));
const cases: Case[] = [
  { name: 'arrival order', create: here, owned: false },
  { name: 'per user', create: here, owned: true },
];
for (const dist of values.pool ?? []) {
  cases.push({ name: `per user [${dist}]`, create: await poolOf(dist), owned: true });
}

const sample = readFileSync(resolve(repoRoot(), 'examples', 'lavrov-china.txt'), 'utf8');
/** The sample a hundred times over, each copy told apart: ~750,000 characters, nothing shared between jobs. */
const longArticle = (tag: string) =>
  makeArticle(
    Array.from({ length: 100 }, (_, copy) => sample.replaceAll('China', `China-${tag}-${copy}`)).join('\n\n'),
    { source: `bench:${tag}` },
  );
const options = { length: 'standard', lang: null } as const;

/** One round of one case: B's latency and how long A's first job took, in ms. */
async function round(c: Case, n: number): Promise<{ readonly b: number; readonly a1: number }> {
  const pool = c.create(workers);
  const as = (owner: string): RunOptions => (c.owned ? { owner } : {});
  try {
    const warm = await Promise.all(
      Array.from({ length: workers }, (_, w) =>
        pool.run('extractiveSummarize', [makeArticle(sample, { source: `warm:${w}` }), options]),
      ),
    );
    if (!warm.every((r) => r.ok)) throw new Error('warm-up failed');
    const articles = Array.from({ length: flood }, (_, i) => longArticle(`${n}-${i}`));
    const floodStarted = performance.now();
    let a1 = Number.NaN;
    const aJobs = articles.map((article, i) =>
      pool.run('extractiveSummarize', [article, options], as('user-a')).then((r) => {
        if (i === 0) a1 = performance.now() - floodStarted;
        return r;
      }),
    );
    const asked = performance.now();
    const b = await pool.run(
      'extractiveSummarize',
      [makeArticle(sample.replaceAll('China', `China-b-${n}`), { source: 'bench:b' }), options],
      as('user-b'),
    );
    const latency = performance.now() - asked;
    if (!b.ok) throw new Error(`B's job failed: ${b.error.code}`);
    // A's first job runs from the start in every case: its time is one long job's, for scale.
    await aJobs[0];
    return { b: latency, a1 };
  } finally {
    await pool.close();
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const seen = new Map<string, { b: number[]; a1: number[] }>(cases.map((c) => [c.name, { b: [], a1: [] }]));
for (let n = 0; n < runs; n++) {
  // A rotating order, so that no case always runs first (or last) in a round.
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(n + k) % cases.length] as Case;
    const r = await round(c, n);
    seen.get(c.name)?.b.push(r.b);
    seen.get(c.name)?.a1.push(r.a1);
  }
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
process.stdout.write(
  `B's summary of the sample while A has ${flood} long summaries queued, ${workers} workers, ${runs} rounds\n\n`,
);
process.stdout.write('| case | B median | B min–max | one long job of A (median) |\n|---|---|---|---|\n');
for (const c of cases) {
  const { b, a1 } = seen.get(c.name) ?? { b: [], a1: [] };
  process.stdout.write(
    `| ${c.name} | ${ms(median(b))} | ${ms(Math.min(...b))}–${ms(Math.max(...b))} | ${ms(median(a1))} |\n`,
  );
}
