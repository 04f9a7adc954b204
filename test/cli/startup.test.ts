import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '../../src/core/paths.js';
import { type CliRun, runVerbatim } from '../helpers/cli-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const root = repoRoot();
const sample = join(root, 'examples', 'lavrov-china.txt');
const recorder = fileURLToPath(new URL('../helpers/record-loads.js', import.meta.url));
const builtinsRecorder = fileURLToPath(new URL('../helpers/record-builtins.js', import.meta.url));

/**
 * Runs the shipped command with the module recorders; returns the run, every URL it loaded (files
 * and packages) and every Node built-in module it loaded.
 */
async function runRecorded(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ run: CliRun; loaded: string[]; builtins: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-loads-'));
  try {
    const file = join(dir, 'loaded.txt');
    const builtinsFile = join(dir, 'builtins.txt');
    const run = await runVerbatim(args, {
      nodeArgs: ['--import', recorder, '--import', builtinsRecorder],
      env: {
        LOG_LEVEL: 'silent',
        VERBATIM_RECORD_LOADS: file,
        VERBATIM_RECORD_BUILTINS: builtinsFile,
        ...env,
      },
    });
    const lines = async (f: string) =>
      (await readFile(f, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { run, loaded: await lines(file), builtins: await lines(builtinsFile) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The npm packages among `urls` (`undici`, `@mozilla/readability`), sorted, each once. */
function packagesIn(urls: readonly string[]): string[] {
  const names = urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//u.exec(u)?.[1] ?? []);
  return [...new Set(names)].sort();
}

/** Files of this repository among `urls`, relative to it (the recorder's own file left out). */
function ownFilesIn(urls: readonly string[]): string[] {
  const prefix = pathToFileURL(root).href;
  return [
    ...new Set(
      urls.filter(
        (u) => u.startsWith(`${prefix}/`) && !u.includes('/node_modules/') && !u.includes('/dist/test/'),
      ),
    ),
  ].map((u) => u.slice(prefix.length + 1));
}

describe('what the verbatim command loads', () => {
  it('GIVEN a plain-text article THEN summarize, extract and ask run from the bundle and load no package (no model SDK, fetcher, HTML or PDF parser, database driver, zod or Discord)', async () => {
    const question = 'What does China want from Russia?';
    for (const args of [
      ['summarize', sample, '--length', 'short'],
      ['summarize', sample, '--json'],
      ['extract', sample],
      ['extract', sample, '--json'],
      ['ask', sample, question],
      ['ask', sample, question, '--json'],
    ]) {
      const { run, loaded, builtins } = await runRecorded(args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stdout.length > 0, args.join(' '));
      assert.deepEqual(packagesIn(loaded), [], `${args.join(' ')} loaded packages`);
      // perf_hooks and its ten internal modules, for one clock reading (issue 13 §5).
      assert.ok(!builtins.includes('perf_hooks'), `${args.join(' ')} loaded node:perf_hooks`);
      // node:crypto and its ~40 internal modules, for a hash only --json prints (contentHash).
      if (!args.includes('--json'))
        assert.ok(!builtins.includes('crypto'), `${args.join(' ')} loaded node:crypto`);
      // The bin reads the bundle (it is not a module of Node's loaders): it is the only file loaded.
      assert.deepEqual(ownFilesIn(loaded), ['bin/verbatim.cjs'], `${args.join(' ')} loads only the bin`);
    }
  });

  it('GIVEN a link to an HTML page THEN extract loads the fetcher and the HTML parser, and no model SDK', async (t) => {
    const page = readFileSync(fixturePath('html', 'news-article.html'));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      server.closeAllConnections();
      server.close();
    });
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-loads-db-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const port = (server.address() as AddressInfo).port;

    const { run, loaded } = await runRecorded(['extract', `http://127.0.0.1:${port}/article`, '--json'], {
      FETCH_ALLOW: '127.0.0.1/32',
      FETCH_ALLOWED_PORTS: String(port),
      DATABASE_PATH: join(dir, 'verbatim.db'),
    });
    assert.equal(run.code, 0, run.stderr);
    const packages = packagesIn(loaded);
    for (const name of ['undici', 'linkedom', '@mozilla/readability'])
      assert.ok(packages.includes(name), `${name} in ${packages.join(', ')}`);
    for (const name of ['openai', 'discord.js', 'unpdf'])
      assert.ok(!packages.includes(name), `${name} not in ${packages.join(', ')}`);
  });
});

describe('the code cache the build writes for the command', () => {
  const bin = join(root, 'bin', 'verbatim.cjs');
  /** Whether V8 takes the cache in a process started with `nodeArgs`. */
  function cacheTaken(nodeArgs: readonly string[]): string {
    const run = spawnSync(
      process.execPath,
      [...nodeArgs, '-e', `process.stdout.write(String(require(${JSON.stringify(bin)}).compile().cached))`],
      { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  }

  it('GIVEN a plain node THEN V8 takes the cache', () => {
    assert.equal(cacheTaken([]), 'true');
  });

  it('GIVEN other V8 flags (the cache is rejected), no cache or a damaged one THEN the command prints the same', async (t) => {
    assert.equal(cacheTaken(['--max-old-space-size=512']), 'false');
    const args = ['summarize', sample, '--json'];
    const cached = await runVerbatim(args);
    assert.equal(cached.code, 0, cached.stderr);
    const rejected = await runVerbatim(args, { nodeArgs: ['--max-old-space-size=512'] });
    assert.deepEqual(rejected, cached);

    // A copy of the bin and the bundle without the cache: a plain run needs no package.
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-no-cache-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await copyFile(bin, join(dir, 'bin', 'verbatim.cjs'));
    const copiedBin = join(dir, 'bin', 'verbatim.cjs');
    const missing = spawnSync(process.execPath, [copiedBin, ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^verbatim: .*verbatim\.cjs is missing: run `npm run build` first\n$/);
    await copyFile(join(root, 'dist', 'cli', 'verbatim.cjs'), join(dir, 'dist', 'cli', 'verbatim.cjs'));
    const runCopy = () => {
      const run = spawnSync(process.execPath, [copiedBin, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
      return { code: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    assert.deepEqual(runCopy(), cached, 'no cache');

    // A damaged cache (cut short, or another file's bytes) is rejected, not run.
    const cache = await readFile(join(root, 'dist', 'cli', 'verbatim.cjs.cache'));
    for (const damaged of [cache.subarray(0, cache.length >> 1), Buffer.alloc(cache.length, 0x5a)]) {
      await writeFile(join(dir, 'dist', 'cli', 'verbatim.cjs.cache'), damaged);
      assert.deepEqual(runCopy(), cached, `a damaged cache of ${damaged.length} bytes`);
    }
  });
});
