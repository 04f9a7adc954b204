#!/usr/bin/env node
// Runs a bundle made by build.mjs through vm.Script with a V8 code cache (`<bundle>.cache`).
//   VERBATIM_EXPERIMENT_BUNDLE  dist/cli/verbatim.cjs (default) or dist/cli/verbatim-plain.cjs
//   VERBATIM_EXPERIMENT_WRITE=1 write the cache when the process exits (after this run's work, so
//                               it holds the functions the run compiled lazily too)
//   VERBATIM_EXPERIMENT_DEBUG=1 print whether the cache was rejected and where the time went
// A missing or rejected cache only costs time: V8 compiles from source.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const file = join(root, process.env.VERBATIM_EXPERIMENT_BUNDLE ?? 'dist/cli/verbatim.cjs');
const cacheFile = `${file}.cache`;
const started = performance.now();
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const source = readFileSync(file, 'utf8');
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, __verbatimModuleUrl, __verbatimResolve) {${source}\n})`,
  { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER },
);
const compiled = performance.now();
const module = { exports: {} };
const moduleUrl = new URL('../../../dist/cli/chunks/verbatim.js', import.meta.url).href;
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), moduleUrl, (s) =>
  import.meta.resolve(s),
);
const ran = performance.now();
if (process.env.VERBATIM_EXPERIMENT_WRITE === '1')
  process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
if (process.env.VERBATIM_EXPERIMENT_DEBUG === '1')
  process.on('exit', () =>
    process.stderr.write(
      `cache ${cachedData ? `${cachedData.length} B, rejected ${script.cachedDataRejected}` : 'absent'}; ` +
        `ms since process start: bin ${started.toFixed(0)}, compiled ${compiled.toFixed(0)}, ` +
        `top level ran ${ran.toFixed(0)}, exit ${performance.now().toFixed(0)}\n`,
    ),
  );
