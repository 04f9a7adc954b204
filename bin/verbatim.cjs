#!/usr/bin/env node
// @ts-check
'use strict';
// The `verbatim` command. `npm run build` bundles it into dist/cli/verbatim.cjs, one CommonJS file,
// and writes V8's code cache for that file beside it (scripts/bundle-cli.mjs says why). This file
// runs the bundle through node:vm with that cache, so the command's functions are deserialized
// instead of parsed and compiled on every run. A cache V8 rejects (another Node version, other V8
// flags such as --max-old-space-size) is ignored: the run compiles as usual, only slower.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'dist', 'cli', 'verbatim.cjs');
const CACHE = `${BUNDLE}.cache`;

/**
 * The bundle compiled, with its code cache when there is one; `cached` says whether V8 took it.
 * @returns {{ script: Script, cached: boolean }}
 */
function compile() {
  // The build checks that the bundle is ASCII, which latin1 reads exactly: a one-byte string, read
  // faster than utf8 makes one.
  const source = readFileSync(BUNDLE, 'latin1');
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = readFileSync(CACHE);
  } catch {
    cachedData = undefined;
  }
  // CommonJS's wrapper, on the bundle's first line so that its line numbers stay right.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  return { script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/**
 * Runs the command on `process.argv`. With `writeCodeCache` (the build's training runs), writes the
 * code cache at exit: every function compiled by then, those read from the old cache included.
 * @param {{ writeCodeCache?: boolean }} [options]
 */
function run(options = {}) {
  let compiled;
  try {
    compiled = compile();
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOENT') throw err;
    process.stderr.write(`verbatim: ${BUNDLE} is missing: run \`npm run build\` first\n`);
    process.exitCode = 1;
    return;
  }
  const { script } = compiled;
  if (options.writeCodeCache) process.on('exit', () => writeFileSync(CACHE, script.createCachedData()));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
}

module.exports = { BUNDLE, CACHE, compile, run };
if (require.main === module) run();
