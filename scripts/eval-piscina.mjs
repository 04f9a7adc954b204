#!/usr/bin/env node
// Issue 11 §4: would piscina serve instead of our hand-written worker pool? Runs the experiments
// behind docs/worker-pool.md against this repository's build and piscina, side by side with our
// `WorkerPool` where both can do the same thing. piscina is not a dependency; install it for the run:
//
//   npm run build && npm i --no-save -E piscina@5.3.2 && node scripts/eval-piscina.mjs
//
// (1) a running CPU-bound task aborted; (2) a worker heap limit and out-of-memory; (3) our job
// tables (dist/ and the bundled CLI's chunk) run by piscina, and piscina bundled by esbuild;
// (4) per-user fairness through its pluggable taskQueue and loadBalancer; (5) start-up and size.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = (line) => process.stdout.write(`${line}\n`);
let Piscina;
try {
  ({ Piscina } = await import('piscina'));
} catch {
  out('piscina is not installed: npm i --no-save -E piscina@5.3.2');
  process.exit(2);
}
const { WorkerPool } = await import(pathToFileURL(join(root, 'dist/src/article/worker/index.js')).href);
const { FairQueue, defaultShareOf } = await import(
  pathToFileURL(join(root, 'dist/src/core/fair-queue.js')).href
);

// Generated files go in a scratch folder under dist/ (build output), where `import 'piscina'` resolves.
const dir = mkdtempSync(join(root, 'dist', 'piscina-eval-'));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
// The same three jobs for both pools: piscina calls a module's named export with one argument, our
// pool a `jobs` table's entry with an argument list (and expects a Result).
writeFileSync(
  join(dir, 'piscina-jobs.mjs'),
  `export function spin({ ms }) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n; }
export function hog() { const kept = []; for (;;) kept.push({ at: kept.length, text: 'item ' + kept.length }); }
export function echo({ label }) { return label; }`,
);
writeFileSync(
  join(dir, 'our-jobs.mjs'),
  `const ok = (value) => ({ ok: true, value });
export const jobs = {
  spin: async (ms) => { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return ok(n); },
  hog: async () => { const kept = []; for (;;) kept.push({ at: kept.length, text: 'item ' + kept.length }); },
};`,
);
// A piscina task module over one of our job tables (the allow-list), named in workerData.
writeFileSync(
  join(dir, 'adapter.mjs'),
  `import { workerData } from 'node:worker_threads';
const { jobs } = await import(workerData.jobsModule);
export default async function run({ name, args }) {
  if (!Object.hasOwn(jobs, name)) throw new Error('no job named ' + name);
  return jobs[name](...args);
}`,
);
const piscinaJobs = pathToFileURL(join(dir, 'piscina-jobs.mjs')).href;
const ourJobs = pathToFileURL(join(dir, 'our-jobs.mjs'));
const ms = (t) => `${Math.round(performance.now() - t)} ms`;
const sleep = (n) => new Promise((resolve) => setTimeout(resolve, n));

try {
  out('## (1) a running CPU-bound task stopped');
  {
    const pool = new Piscina({ filename: piscinaJobs, maxThreads: 1 });
    await pool.run({ label: 'warm' }, { name: 'echo' });
    const before = pool.threads.map((t) => t.threadId);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('too slow')), 300);
    const error = await pool.run({ ms: 10_000 }, { name: 'spin', signal: controller.signal }).catch((e) => e);
    out(`piscina, abort after 300 ms of a 10 s loop: ${error.name} after ${ms(started)}`);
    await sleep(100);
    out(
      `  worker threads before ${JSON.stringify(before)}, after ${JSON.stringify(pool.threads.map((t) => t.threadId))} (terminated)`,
    );
    const t2 = performance.now();
    const timedOut = await pool
      .run({ ms: 10_000 }, { name: 'spin', signal: AbortSignal.timeout(300) })
      .catch((e) => e);
    out(
      `piscina, AbortSignal.timeout(300): ${timedOut.name} (reason ${timedOut.cause?.name}) after ${ms(t2)}`,
    );
    out(`  next task: ${await pool.run({ label: 'runs' }, { name: 'echo' })}`);
    await pool.destroy();
    const ours = new WorkerPool({ size: 1, jobsModule: ourJobs });
    await ours.run('spin', [1]);
    const t3 = performance.now();
    const result = await ours.run('spin', [10_000], { timeoutMs: 300 });
    out(`ours, timeoutMs 300: ${result.ok ? 'ok' : result.error.code} after ${ms(t3)}`);
    await ours.close();
  }

  out('\n## (2) a worker heap limit; out of memory');
  {
    const limits = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 };
    const pool = new Piscina({ filename: piscinaJobs, maxThreads: 1, resourceLimits: limits });
    const started = performance.now();
    const error = await pool.run({}, { name: 'hog' }).catch((e) => e);
    out(`piscina: rejected with code ${error.code} after ${ms(started)}: ${error.message}`);
    out(`  next task: ${await pool.run({ label: 'runs' }, { name: 'echo' })}`);
    await pool.destroy();
    const ours = new WorkerPool({ size: 1, jobsModule: ourJobs, resourceLimits: limits });
    const t2 = performance.now();
    const result = await ours.run('hog', []);
    out(
      `ours: ${result.ok ? 'ok' : `${result.error.code} (${result.error.details.reason})`} after ${ms(t2)}`,
    );
    await ours.close();
  }

  out('\n## (3) our job tables under piscina; piscina bundled');
  {
    const pdf = readFileSync(join(root, 'test/fixtures/fetch/sample.pdf'));
    const html = `<html><head><title>Probe</title></head><body><article><p>${'The council met on Monday to discuss the new library. '.repeat(20)}</p></article></body></html>`;
    for (const table of ['dist/src/app/worker-jobs.js', 'dist/cli/worker-jobs.js']) {
      const jobsModule = pathToFileURL(join(root, table)).href;
      const pool = new Piscina({
        filename: pathToFileURL(join(dir, 'adapter.mjs')).href,
        maxThreads: 1,
        workerData: { jobsModule },
      });
      const bytes = new Uint8Array(pdf);
      const text = await pool.run(
        { name: 'pdfToText', args: [bytes, { maxChars: 1_000_000, maxPages: 1000 }] },
        { transferList: [bytes.buffer] },
      );
      const article = await pool.run({ name: 'extractHtml', args: [html, { source: 'probe', url: null }] });
      out(
        `${table}: pdfToText ${text.ok ? `${text.value.pages} pages` : text.error.code} (bytes moved: ${bytes.byteLength === 0}), extractHtml ${article.ok ? `"${article.value.title}"` : article.error.code}`,
      );
      await pool.destroy();
    }
    const { build } = createRequire(import.meta.url)('esbuild');
    writeFileSync(
      join(dir, 'entry.mjs'),
      `import { Piscina } from 'piscina';\nconst pool = new Piscina({ filename: ${JSON.stringify(piscinaJobs)}, maxThreads: 1 });\nprocess.stdout.write(String(await pool.run({ label: 'from the bundle' }, { name: 'echo' })));\nawait pool.destroy();\n`,
    );
    for (const external of [true, false]) {
      const outfile = join(dir, external ? 'external.js' : 'bundled.js');
      await build({
        entryPoints: [join(dir, 'entry.mjs')],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        nodePaths: [join(root, 'node_modules')],
        external: external ? ['piscina'] : [],
        banner: {
          js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
        },
        logLevel: 'silent',
      });
      let said;
      try {
        said = execFileSync(process.execPath, [outfile], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        }).toString();
      } catch (error) {
        said = `fails: ${/ReferenceError[^\n]*|Cannot find[^\n]*/.exec(String(error.stderr))?.[0] ?? `exit ${error.status}`}`;
      }
      out(
        `esbuild ESM bundle, piscina ${external ? 'external (as bundle-cli.mjs keeps every such package)' : 'bundled in'}: ${said} (${Math.round(readFileSync(outfile).length / 1024)} KB)`,
      );
    }
  }

  out('\n## (4) per-user fairness');
  {
    const ownerOf = (task) => task[Piscina.queueOptionsSymbol]?.owner ?? `task ${task.taskId}`;
    // Our FairQueue as piscina's pluggable taskQueue: owners in turn.
    class FairTaskQueue {
      #queue = new FairQueue();
      get size() {
        return this.#queue.size;
      }
      push(task) {
        this.#queue.push(ownerOf(task), task);
      }
      shift() {
        return this.#queue.shift()?.item ?? null;
      }
      remove(task) {
        this.#queue.remove(task);
      }
    }
    // A share per owner: the taskQueue cannot say "not this owner now" (shift must return a task, and
    // it is never told when one ends), so the balancer refuses a worker to an owner at its share.
    const capBalancer = (threads) => {
      const share = defaultShareOf(threads);
      const ownerOfWorker = new Map();
      return (task, workers) => {
        for (const w of workers) if (w.currentUsage === 0) ownerOfWorker.delete(w.id);
        const owner = ownerOf(task);
        if ([...ownerOfWorker.values()].filter((o) => o === owner).length >= share) return null;
        const free = workers.find((w) => w.currentUsage === 0 && !w.terminating && !w.destroyed);
        if (free) ownerOfWorker.set(free.id, owner);
        return free ?? null;
      };
    };
    const scenario = async (name, run, slowMs, others) => {
      await Promise.all([run(1, 'warm-1'), run(1, 'warm-2')]);
      const done = [];
      const jobs = [1, 2, 3].map((n) => run(slowMs, 'a').then(() => done.push(`a${n}`)));
      for (const [owner, ms_] of others) jobs.push(run(ms_, owner).then(() => done.push(owner)));
      await sleep(50);
      const asked = performance.now();
      await run(20, 'b');
      const waited = ms(asked);
      done.push('b');
      await Promise.all(jobs);
      out(`${name}: B waited ${waited}; finished ${done.join(', ')}`);
    };
    const options = (signal) => (signal ? { signal: AbortSignal.timeout(30_000) } : {});
    const piscinaRun = (pool, signal) => (ms_, owner) =>
      pool.run({ ms: ms_, [Piscina.queueOptionsSymbol]: { owner } }, { name: 'spin', ...options(signal) });
    for (const [label, extra, others] of [
      ['A (3 × 1.5 s) floods, then B', {}, []],
      ['A (3 × 1.5 s) floods, then B', 'cap', []],
      ['A (3 × 2 s) holds one worker, C (300 ms) the other, then B', 'cap', [['c', 300]]],
    ]) {
      const slow = others.length ? 2000 : 1500;
      const pool = new Piscina({
        filename: piscinaJobs,
        maxThreads: 2,
        minThreads: 2,
        taskQueue: new FairTaskQueue(),
        ...(extra === 'cap' ? { loadBalancer: capBalancer(2) } : {}),
      });
      await scenario(
        `piscina, fair taskQueue${extra === 'cap' ? ' + share balancer' : ''}, tasks with time limits; ${label}`,
        piscinaRun(pool, true),
        slow,
        others,
      );
      await pool.destroy();
      const ours = new WorkerPool({ size: 2, jobsModule: ourJobs });
      await scenario(`ours; ${label}`, (ms_, owner) => ours.run('spin', [ms_], { owner }), slow, others);
      await ours.close();
    }
  }

  out('\n## (5) start-up and size (medians of 7 fresh processes)');
  {
    const probe = (code) => {
      const file = join(dir, 'probe.mjs');
      writeFileSync(file, code);
      return JSON.parse(execFileSync(process.execPath, [file], { cwd: root }).toString());
    };
    const ours = `const t0 = performance.now(); const { WorkerPool } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/src/article/worker/index.js')).href)}); const t1 = performance.now();
const pool = new WorkerPool({ size: 1, jobsModule: new URL(${JSON.stringify(ourJobs.href)}) }); await pool.run('spin', [0]); const t2 = performance.now();
for (let i = 0; i < 200; i++) await pool.run('spin', [0]); const t3 = performance.now(); await pool.close();
process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, (t3 - t2) / 200]));`;
    const theirs = `const t0 = performance.now(); const { Piscina } = await import('piscina'); const t1 = performance.now();
const pool = new Piscina({ filename: ${JSON.stringify(piscinaJobs)}, maxThreads: 1 }); await pool.run({ ms: 0 }, { name: 'spin' }); const t2 = performance.now();
for (let i = 0; i < 200; i++) await pool.run({ ms: 0 }, { name: 'spin' }); const t3 = performance.now(); await pool.destroy();
process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, (t3 - t2) / 200]));`;
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const rows = { ours: [], piscina: [] };
    for (let i = 0; i < 7; i++) {
      rows.ours.push(probe(ours));
      rows.piscina.push(probe(theirs));
    }
    for (const [name, runs] of Object.entries(rows)) {
      const [load, first, each] = [0, 1, 2].map((k) => median(runs.map((r) => r[k])));
      out(
        `${name}: import ${load.toFixed(0)} ms, first task (worker start) ${first.toFixed(0)} ms, then ${each.toFixed(2)} ms a task`,
      );
    }
    const du = (path) => execFileSync('du', ['-sk', path]).toString().split('\t')[0];
    const installed = realpathSync(join(root, 'node_modules/piscina'));
    out(
      `on disk: piscina ${du(installed)} KB, @napi-rs/nice (optional, native) ${du(join(installed, '..', '@napi-rs'))} KB; our pool ${readFileSync(join(root, 'src/article/worker/pool.ts')).length} bytes of source`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
