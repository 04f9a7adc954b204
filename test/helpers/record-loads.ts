/**
 * Preloaded into a child process with `node --import <this file>`: appends the URL of every module
 * the process loads, one per line, to the file named by `VERBATIM_RECORD_LOADS`. ES modules are
 * seen by a resolve hook (which runs on the loader's own thread, hence the synchronous append);
 * CommonJS files, which Node 20 does not pass through that hook, are read from the require cache
 * at exit.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.VERBATIM_RECORD_LOADS;
if (!file) throw new Error('record-loads: set VERBATIM_RECORD_LOADS to the file to write');

const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { file } });

const requireCache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const files = Object.keys(requireCache).map((f) => pathToFileURL(f).href);
  appendFileSync(file, files.map((url) => `${url}\n`).join(''));
});
