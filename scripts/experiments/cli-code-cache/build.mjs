#!/usr/bin/env node
// Issue 13 §5 experiment (not part of the build): the `verbatim` command as ONE CommonJS file run
// through vm.Script with a V8 code cache. README.md beside this file has the figures and why it
// was not adopted. Run after `npm run build`, from the repository root:
//   node scripts/experiments/cli-code-cache/build.mjs          # dist/cli/verbatim.cjs, every path inlined
//   node scripts/experiments/cli-code-cache/build.mjs --plain  # dist/cli/verbatim-plain.cjs: only what a
//     plain run needs; other dynamic imports are left unresolved (`lazy:...`), so those paths FAIL.
//     It is an upper bound on the gain, not a working command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = process.cwd();
const plainOnly = process.argv.includes('--plain');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const BUNDLED = new Set(['zod', 'dotenv']);
const plainRun = ['src/app/system.ts', 'src/app/load-given.ts', 'src/engines/extractive/index.ts'];
const leaveLazyOut = {
  name: 'leave-lazy-out',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'inner') return undefined;
      const r = await b.resolve(args.path, {
        importer: args.importer,
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'inner',
      });
      const rel = r.path.replace(`${root}/`, '');
      return r.external || plainRun.includes(rel) ? undefined : { path: `lazy:${rel}`, external: true };
    });
  },
};
const outfile = join(root, 'dist', 'cli', plainOnly ? 'verbatim-plain.cjs' : 'verbatim.cjs');
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli.ts'],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  external: Object.keys(pkg.dependencies).filter((n) => !BUNDLED.has(n)),
  // run.mjs passes these: the ESM entry's URL (so `siblingModule` still finds the worker files in
  // dist/cli/chunks/) and an ESM `import.meta.resolve`.
  define: { 'import.meta.url': '__verbatimModuleUrl', 'import.meta.resolve': '__verbatimResolve' },
  plugins: plainOnly ? [leaveLazyOut] : [],
  logLevel: 'warning',
});
process.stdout.write(`${outfile}: ${readFileSync(outfile).length} bytes\n`);
