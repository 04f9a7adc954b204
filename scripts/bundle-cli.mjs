#!/usr/bin/env node
// Bundles the `verbatim` command (src/cli.ts) into dist/cli/ for `bin/verbatim.js` (part of
// `npm run build`). A one-shot command pays its start-up on every run, and Node 20's ESM loader
// reads, compiles and links every file separately (~80 of ours and ~230 of zod's for a summarize):
// one bundled file costs about what one small module does. `npm run bench:cli` measures it.
//
// What a plain run needs (our code, dotenv and zod's mini API for the config, which is bundled on
// its own: see below) is the entry file and the chunks it imports. pino stays in node_modules: a
// logger loads it on the first line it writes (src/log.ts), and a plain run writes none. Whatever only some runs need (the model engine, fetching, HTML,
// PDF, the store, `check`, `schema`) stays behind the source's dynamic imports, as chunks, and the
// packages behind them stay in node_modules and load only then. Without code splitting esbuild
// would hoist those packages' imports to the top of the one file, so every run would load them.
//
// The build fails when a plain run would load more than that (see `mustNotLoad`): a static import
// added in the wrong place shows here first. It also fails when the command reaches Discord code.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = 'dist/cli/chunks/verbatim.js';

/** Packages every run uses, bundled; every other dependency stays in node_modules. */
const BUNDLED = new Set(['zod', 'dotenv']);

/**
 * What every run loads, and what a plain offline run on a text file loads besides (`plainRun`),
 * must not include: zod's full API (building its schemas is slow; the config uses zod/mini, the
 * `schema` command and the model engine load the rest), the worker pool (it starts only when an
 * HTML or PDF file is parsed, within the bot's time and memory bounds; the offline engine runs
 * in-process), or any package that is not bundled.
 */
const mustNotLoad = [/node_modules\/zod\/v4\/classic\//, /^src\/article\/worker\//];
/** What the command must never reach, even lazily. */
const mustNotReach = [/^src\/discord\//, /node_modules\/discord\.js\//];

/**
 * The config module (zod/mini and dotenv with it) is bundled on its own first, and the CLI's bundle
 * imports that file. zod/mini and zod's full API share zod's core modules: bundled together with
 * code splitting, the chunk every run loads would hold all the core the full API uses (~650 KB,
 * compiled on every run); bundled alone, unused code is dropped (~60 KB).
 */
const CONFIG_SOURCE = join(root, 'src', 'config.ts');
const CONFIG_OUTPUT = 'config.js';
/** Every output file lands in one folder, so one relative path reaches the config from any of them. */
const outdir = join(root, 'dist', 'cli', 'chunks');
await build({
  absWorkingDir: root,
  entryPoints: [CONFIG_SOURCE],
  outfile: join(outdir, CONFIG_OUTPUT),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  banner: {
    js: "import { createRequire as __verbatimCreateRequire } from 'node:module'; const require = __verbatimCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
/** Resolves the source's imports of src/config.ts to the file bundled above. */
const configFromItsBundle = {
  name: 'config-from-its-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)config\.js$/ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const resolved = await b.resolve(args.path, {
        importer: args.importer,
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'inner',
      });
      return resolved.path === CONFIG_SOURCE ? { path: `./${CONFIG_OUTPUT}`, external: true } : undefined;
    });
  },
};

const result = await build({
  absWorkingDir: root,
  // The worker thread's script and its jobs module are entries of their own, written beside the
  // chunks: the pool finds both as sibling files of its own code (`siblingModule`), which lives in
  // a chunk when bundled, as it finds them beside the compiled pool in dist/src/.
  entryPoints: {
    verbatim: 'src/cli.ts',
    worker: 'src/article/worker/worker.ts',
    'worker-jobs': 'src/app/worker-jobs.ts',
  },
  outdir,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name)),
  // No `require` banner here: dotenv, the one CommonJS package bundled, lives in the config's
  // bundle, and each chunk would otherwise build a require function on load (checked below).
  plugins: [configFromItsBundle],
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const { inputs, outputs } = result.metafile;
// What went where, for esbuild's analyzer when start-up grows.
writeFileSync(join(root, 'dist', 'cli', 'metafile.json'), JSON.stringify(result.metafile));

/** The inputs and the external imports of `file` and of every chunk it imports statically. */
function staticClosure(file, seen = new Set([file])) {
  for (const i of outputs[file]?.imports ?? []) {
    if (i.kind === 'import-statement' && !i.external && !seen.has(i.path)) {
      seen.add(i.path);
      staticClosure(i.path, seen);
    }
  }
  const files = [...seen];
  return {
    inputs: files.flatMap((f) => Object.keys(outputs[f]?.inputs ?? {})),
    externals: files.flatMap((f) =>
      (outputs[f]?.imports ?? [])
        .filter((i) => i.external && i.kind === 'import-statement')
        .map((i) => i.path),
    ),
  };
}

/** The sources a plain `summarize`/`ask`/`extract` of a text file imports dynamically. */
const plainRun = ['src/app/system.ts', 'src/app/load-given.ts', 'src/engines/extractive/index.ts'];
const plainChunks = Object.keys(outputs).filter((f) => plainRun.includes(outputs[f]?.entryPoint ?? ''));
if (plainChunks.length !== plainRun.length) {
  process.stderr.write(`bundle-cli: expected a chunk for each of ${plainRun.join(', ')}\n`);
  process.exit(1);
}
const loaded = [entry, ...plainChunks].map((f) => staticClosure(f));
const problems = [
  ...loaded.flatMap((c) => c.inputs).filter((p) => mustNotLoad.some((re) => re.test(p))),
  ...loaded.flatMap((c) => c.externals).filter((p) => !p.startsWith('node:') && p !== `./${CONFIG_OUTPUT}`),
]
  .map((p) => `a plain run would load ${p}`)
  .concat(
    Object.keys(inputs)
      .filter((p) => mustNotReach.some((re) => re.test(p)))
      .map((p) => `the command reaches ${p}`),
  );
// esbuild turns a require() it cannot resolve into a shim that throws "Dynamic require of …" when
// called: with no `require` in these chunks, a bundled CommonJS package would fail at run time.
for (const file of Object.keys(outputs)) {
  if (
    file.endsWith('.js') &&
    !file.endsWith(CONFIG_OUTPUT) &&
    readFileSync(join(root, file), 'utf8').includes('Dynamic require of')
  )
    problems.push(`${file} bundles a require() call; bundle its package with the config or keep it external`);
}
if (problems.length > 0) {
  process.stderr.write(`bundle-cli: ${[...new Set(problems)].join('\n  ')}\n`);
  process.exit(1);
}
