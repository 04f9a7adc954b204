#!/usr/bin/env node
// Bundles the `verbatim` command (src/cli.ts) for `bin/verbatim.cjs` (part of `npm run build`). A
// one-shot command pays its start-up on every run, so this build makes three things in dist/cli/:
//
// 1. `verbatim.cjs`: the command and all of our code and zod's, one CommonJS file. One file because
//    Node 20's ESM loader reads, compiles and links each module separately; CommonJS because only a
//    script run through node:vm can use V8's code cache on Node 20 (`module.enableCompileCache()`
//    is Node 22). Whatever only some runs need (the model engine, fetching, HTML, PDF, the store,
//    `check`, `schema`) sits behind the source's dynamic imports, which esbuild turns into lazy
//    initialisers inside the file: their code is in the file but runs only when imported. The
//    packages behind them stay in node_modules and load (with `require`) only then.
// 2. `verbatim.cjs.cache`: V8's code cache for that file, written after training runs of the
//    common commands (`TRAINING`): the bin deserializes their compiled functions instead of parsing
//    and compiling them. A run on another Node or with other V8 flags finds the cache rejected and
//    compiles as usual (bin/verbatim.cjs).
// 3. `worker.js`, `worker-jobs.js` and `chunks/`: the worker thread's ES modules (its entry awaits at
//    top level), found beside the bundle by `siblingModule`.
//
// The build fails when a plain run would load more than it needs (see `mustNotLoad`): a static
// import added in the wrong place shows here first. It also fails when the command reaches Discord
// code, when the bundle keeps an `import()` (inside node:vm it fails once the cache is accepted),
// when the bundle is not ASCII (the bin reads it as latin1), and when V8 rejects the fresh cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist', 'cli');
const bin = join(root, 'bin', 'verbatim.cjs');
const { BUNDLE, CACHE } = createRequire(import.meta.url)(bin);

/** Packages every run uses, bundled; every other dependency stays in node_modules. */
const BUNDLED = new Set(['zod', 'dotenv']);

/**
 * What a run evaluates at start, and what a plain offline run on a text file evaluates besides
 * (`plainRun`), must not include: zod's full API (building its schemas is slow; the config uses
 * zod/mini, the `schema` command and the model engine load the rest), the worker pool (it starts
 * only when an HTML or PDF file is parsed, within the bot's time and memory bounds; the offline
 * engine runs in-process), or any package that is not bundled.
 */
const mustNotLoad = [/node_modules\/zod\/v4\/classic\//, /^src\/article\/worker\//];
/** What the command must never reach, even lazily. */
const mustNotReach = [/^src\/discord\//, /node_modules\/discord\.js\//];
/** The sources a plain `summarize`/`ask`/`extract` of a text file imports dynamically. */
const plainRun = ['src/app/system.ts', 'src/app/load-given.ts', 'src/engines/extractive/index.ts'];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
};

const result = await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: BUNDLE,
  format: 'cjs',
  // ASCII only, so that the bin reads the file as latin1: a one-byte string, half the memory of the
  // two-byte one any other character makes, and read faster. esbuild escapes strings and templates
  // but not a regular expression literal: it rewrites those with the u flag as \`new RegExp("…", "u")\`
  // (the same pattern, in an escaped string), and the few other non-ASCII literals in the source use
  // \u escapes. The check below fails the build on any character left.
  charset: 'ascii',
  supported: { 'regexp-sticky-and-unicode-flags': false },
  external: Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name)),
  // The source's `import.meta.url` (createRequire, the worker's files, the repository root) is the
  // bundle's own URL. `import.meta.resolve` serves only code run under tsx, never the bundle.
  define: { 'import.meta.url': '__verbatimUrl', 'import.meta.resolve': '__verbatimResolve' },
  banner: {
    js: 'var __verbatimUrl=require("node:url").pathToFileURL(__filename).href,__verbatimResolve=s=>{throw new Error("import.meta.resolve in the bundle: "+s)};',
  },
});
// The worker thread's entries, as ES modules sharing chunks: it runs once per pool slot, not per run.
await build({
  ...common,
  entryPoints: { worker: 'src/article/worker/worker.ts', 'worker-jobs': 'src/app/worker-jobs.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  packages: 'external',
  metafile: false,
});
// What went where, for esbuild's analyzer when start-up grows.
writeFileSync(join(outdir, 'metafile.json'), JSON.stringify(result.metafile));

const { inputs } = result.metafile;
/** The inputs `from` evaluates at once (static imports, followed), and the packages they import. */
function staticClosure(from, seen = new Set([from])) {
  for (const i of inputs[from]?.imports ?? []) {
    if (i.kind !== 'import-statement' && i.kind !== 'require-call') continue;
    if (i.external || !inputs[i.path] || seen.has(i.path)) continue;
    seen.add(i.path);
    staticClosure(i.path, seen);
  }
  return seen;
}
const problems = [];
const dynamicTargets = Object.values(inputs).flatMap((input) =>
  input.imports.filter((i) => i.kind === 'dynamic-import' && plainRun.includes(i.path)).map((i) => i.path),
);
for (const missing of plainRun.filter((p) => !dynamicTargets.includes(p)))
  problems.push(`${missing} is no longer imported dynamically: update plainRun`);
const loaded = new Set([...staticClosure('src/cli.ts'), ...plainRun.flatMap((p) => [...staticClosure(p)])]);
for (const input of loaded) {
  if (mustNotLoad.some((re) => re.test(input))) problems.push(`a plain run would load ${input}`);
  for (const i of inputs[input]?.imports ?? []) {
    if (i.external && i.kind === 'import-statement' && !i.path.startsWith('node:'))
      problems.push(`a plain run would load ${i.path} (imported by ${input})`);
  }
}
for (const input of Object.keys(inputs).filter((p) => mustNotReach.some((re) => re.test(p))))
  problems.push(`the command reaches ${input}`);

const code = readFileSync(BUNDLE);
const size = code.length;
const nonAscii = code.findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1)
  problems.push(
    `${relative(root, BUNDLE)} is not ASCII at byte ${nonAscii}: …${code.subarray(Math.max(0, nonAscii - 60), nonAscii + 20).toString('utf8')}… (write the character as an escape in the source)`,
  );
// A dynamic import() left in the file (a package's, whose path esbuild could not see) would throw
// ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING inside node:vm once the code cache is accepted.
for (const output of Object.values(result.metafile.outputs))
  for (const i of output.imports.filter((x) => x.kind === 'dynamic-import'))
    problems.push(`the bundle keeps import(${JSON.stringify(i.path)}): import it with a static string`);
if (problems.length > 0) fail(problems);

/**
 * The runs that train the code cache, on the repository's sample article: what most runs do. Each
 * run starts from the cache the previous one wrote and adds what it compiled. Rarer commands are
 * left out: the whole cache is read on every run, so each function in it costs every run.
 */
const sample = join(root, 'examples', 'lavrov-china.txt');
const question = 'What does China want from Russia?';
const TRAINING = [
  ['summarize', sample, '--length', 'short'],
  ['ask', sample, question],
  ['extract', sample],
  ['summarize', sample, '--json'],
  ['ask', sample, question, '--json'],
  ['extract', sample, '--json'],
  ['--help'],
];
rmSync(CACHE, { force: true });
const cwd = mkdtempSync(join(tmpdir(), 'verbatim-code-cache-'));
try {
  for (const args of TRAINING) {
    // No .env (an empty folder) and no environment but PATH: the offline engine, nothing written
    // but the cache. No NODE_OPTIONS either: V8 rejects a cache written under other flags.
    const run = spawnSync(
      process.execPath,
      // As `node bin/verbatim.cjs …args` (argv[1] is the script), writing the cache at exit.
      [
        '-e',
        `process.argv.splice(1, 0, ${JSON.stringify(bin)}); require(process.argv[1]).run({ writeCodeCache: true })`,
        '--',
        ...args,
      ],
      { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    if (run.status !== 0) fail([`training run "verbatim ${args.join(' ')}" failed: ${run.stderr}`]);
  }
  const check = spawnSync(
    process.execPath,
    ['-e', `process.stdout.write(String(require(${JSON.stringify(bin)}).compile().cached))`],
    { cwd, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
  );
  if (check.stdout !== 'true')
    fail([`V8 rejects the code cache it just wrote: ${check.stdout}${check.stderr}`]);
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
process.stdout.write(
  `bundle-cli: ${relative(root, BUNDLE)} ${Math.round(size / 1024)} KB, code cache ${Math.round(statSync(CACHE).size / 1024)} KB\n`,
);

function fail(lines) {
  process.stderr.write(`bundle-cli: ${[...new Set(lines)].join('\n  ')}\n`);
  process.exit(1);
}
