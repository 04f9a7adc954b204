import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runStoreConformance, type StoreHarness } from './conformance.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'verbatim-store-'));
}

async function sqliteHarness(): Promise<StoreHarness> {
  const dir = tempDir();
  const path = join(dir, 'nested', 'folder', 'verbatim.db');
  const opened: Store[] = [];
  let raw: Database.Database | undefined;
  const rawDb = () => {
    mkdirSync(dirname(path), { recursive: true });
    raw ??= new Database(path, { timeout: 10_000 });
    return raw;
  };
  return {
    dialect: 'sqlite',
    async open(options = {}) {
      const store = await openStore({ path, ...options });
      opened.push(store);
      return store;
    },
    async scalar(sql) {
      return rawDb().prepare(sql).pluck().get();
    },
    async exec(sql) {
      rawDb().exec(sql);
    },
    async dispose() {
      for (const store of opened) await store.close();
      raw?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runStoreConformance('SQLite', sqliteHarness);

/** Runs test/store/sqlite-writer in a child process, resolving with its exit code and stderr. */
function runWriter(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const self = fileURLToPath(import.meta.url);
  const writer = self.replace(/sqlite-store\.test\.(ts|js)$/, 'sqlite-writer.$1');
  const child = spawn(process.execPath, [...process.execArgv, writer, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('SQLite store specifics', () => {
  test('GIVEN a path in missing folders THEN the folders are created and the file is in WAL mode', async () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'a', 'b', 'verbatim.db');
      const store = await openStore({ path });
      await store.close();
      assert.ok(existsSync(path));
      const raw = new Database(path);
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      raw.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN :memory: THEN a working store exists only for this connection', async () => {
    const store = await openStore({ path: ':memory:' });
    await store.cache.put('ns', 'k', 1);
    assert.equal(await store.cache.get('ns', 'k'), 1);
    assert.equal(store.backend, 'sqlite');
    await store.close();
    const other = await openStore({ path: ':memory:' });
    assert.equal(await other.cache.get('ns', 'k'), undefined);
    await other.close();
  });

  test('GIVEN two processes opening a new file and writing at once THEN both finish without SQLITE_BUSY', async () => {
    const dir = tempDir();
    try {
      const path = join(dir, 'shared.db');
      const writes = 300;
      const startAt = String(Date.now() + 400);
      const results = await Promise.all([
        runWriter([path, 'p1', String(writes), startAt]),
        runWriter([path, 'p2', String(writes), startAt]),
      ]);
      for (const r of results) assert.equal(r.code, 0, `writer failed: ${r.stderr}`);
      const store = await openStore({ path });
      try {
        assert.equal(await store.schemaVersion(), LATEST_SCHEMA_VERSION);
        assert.deepEqual(await store.getUsage({ guildId: 'g', day: '2025-01-15' }), {
          requests: 2 * writes,
          inputTokens: 2 * writes,
          outputTokens: 4 * writes,
        });
        assert.equal((await store.recentTurns('shared-thread', 10_000)).length, 2 * writes);
        assert.equal(await store.cache.get('p1', String(writes - 1)), writes - 1);
        assert.equal(await store.cache.get('p2', String(writes - 1)), writes - 1);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a file store THEN a cache get and put take well under a millisecond (median)', async (t) => {
    const dir = tempDir();
    const store = await openStore({ path: join(dir, 'timing.db') });
    try {
      const value = { summary: [{ text: 'A point.', quotes: [{ text: 'quote', start: 0, end: 5 }] }] };
      for (let i = 0; i < 5000; i++) await store.cache.put('warm', String(i), value);
      const puts: number[] = [];
      const gets: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const t0 = process.hrtime.bigint();
        await store.cache.put('timing', String(i), value);
        const t1 = process.hrtime.bigint();
        await store.cache.get('timing', String(i));
        const t2 = process.hrtime.bigint();
        puts.push(Number(t1 - t0) / 1000);
        gets.push(Number(t2 - t1) / 1000);
      }
      const putUs = median(puts);
      const getUs = median(gets);
      t.diagnostic(
        `SQLite cache at its 5,000-entry bound: put median ${putUs.toFixed(1)} µs, get median ${getUs.toFixed(1)} µs`,
      );
      assert.ok(putUs < 1000, `put median ${putUs} µs`);
      assert.ok(getUs < 1000, `get median ${getUs} µs`);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
