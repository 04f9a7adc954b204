import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { fetchKey } from '../../src/app/load-article.js';
import type { SummaryRequest } from '../../src/app/summaries.js';
import { createSystem, type System } from '../../src/app/system.js';
import { normalizeRequestUrl } from '../../src/article/fetch/index.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { type ArticleServer, startArticleServer } from '../../testkit/discord/harness.js';
import { page } from '../../testkit/discord/pages.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { freshDatabase } from '../../testkit/services.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';

/** Milliseconds the page and the model each take to answer: long enough for every request to overlap. */
const SLOW_MS = 500;

interface Setup {
  readonly systems: System[];
  readonly openai: FakeOpenAI;
  readonly articles: ArticleServer;
  readonly databaseUrl: string;
}

/**
 * `count` Systems as separate processes would build them (each its own store connections, lock
 * connections and engines) on one fresh PostgreSQL database, with the real model engine against a
 * slow fake OpenAI and a slow local page. `role` worker: the split deployment; all: one process each.
 */
async function startSystems(t: TestContext, count: number, role: 'worker' | 'all'): Promise<Setup> {
  const databaseUrl = await freshDatabase(t);
  const openai = await startFakeOpenAI({
    handler: async (r) => {
      await sleep(SLOW_MS);
      return realisticReply(r);
    },
  });
  t.after(() => openai.close());
  const articles = await startArticleServer({ '/barrier': { body: page, delayMs: SLOW_MS } });
  t.after(() => articles.close());
  const redis = role === 'worker' ? await testRedis(t) : null;
  const config = parseConfig({
    VERBATIM_ROLE: role,
    VERBATIM_ENGINE: 'openai',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
    DATABASE_URL: databaseUrl,
    ...(redis ? { REDIS_URL, QUEUE_PREFIX: redis.prefix } : {}),
    FETCH_ALLOW: '127.0.0.1/32',
    FETCH_ALLOWED_PORTS: String(articles.port),
  });
  const systems: System[] = [];
  t.after(async () => {
    for (const system of systems) await system.close();
  });
  // One after the other: the first migrates the fresh database.
  for (let i = 0; i < count; i++) {
    const system = await createSystem(config, createLogger('silent'), { run: 'in-process' });
    systems.push(system);
    await system.open();
  }
  return { systems, openai, articles, databaseUrl };
}

function summarize(url: string, userId: string): SummaryRequest {
  return {
    source: { kind: 'url', url },
    length: 'standard',
    lang: null,
    requester: { guildId: 'g1', userId },
  };
}

describe('one fetch per URL and one model call per identical request, across worker processes', () => {
  it('GIVEN two worker Systems on one PostgreSQL and three identical summaries asked at once THEN the page is fetched once, the model asked once, and all three get the summary', async (t) => {
    const { systems, openai, articles } = await startSystems(t, 2, 'worker');
    const [a, b] = systems as [System, System];
    const url = articles.url('/barrier');
    const results = await Promise.all([
      a.app.summaries.summarize(summarize(url, 'u1')),
      b.app.summaries.summarize(summarize(url, 'u2')),
      a.app.summaries.summarize(summarize(url, 'u3')),
    ]);
    assert.equal(articles.hits.get('/barrier'), 1, 'the page was fetched once');
    assert.equal(openai.requests.length, 1, 'the model was asked once');
    const summaries = results.map((r) => {
      assert.ok(r.ok, r.ok ? '' : r.error.message);
      assert.equal(r.value.result.engine, 'openai');
      return JSON.stringify(r.value.result.summary);
    });
    assert.equal(new Set(summaries).size, 1, 'all three got the same summary');
    assert.equal(
      results.filter((r) => r.ok && !r.value.articleFromCache).length,
      1,
      'one fetched the page; the others read it from the store',
    );
  });

  it('GIVEN two Systems of VERBATIM_ROLE=all on one PostgreSQL THEN nothing is shared across them, as before (the test above can tell)', async (t) => {
    const { systems, openai, articles } = await startSystems(t, 2, 'all');
    const [a, b] = systems as [System, System];
    const url = articles.url('/barrier');
    const results = await Promise.all([
      a.app.summaries.summarize(summarize(url, 'u1')),
      b.app.summaries.summarize(summarize(url, 'u2')),
    ]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(articles.hits.get('/barrier'), 2, 'each process fetched the page');
    assert.equal(openai.requests.length, 2, 'each process asked the model');
  });

  it('GIVEN the process holding a URL’s lock killed THEN a worker waiting for it goes on and fetches the page itself', async (t) => {
    const { systems, articles, databaseUrl } = await startSystems(t, 1, 'worker');
    const [worker] = systems as [System];
    const url = articles.url('/barrier');
    const script = fileURLToPath(new URL('./shared-holder.js', import.meta.url));
    const holder = spawn(
      process.execPath,
      [script, databaseUrl, 'lock', fetchKey(normalizeRequestUrl(url))],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => holder.kill('SIGKILL'));
    const [line] = (await Promise.race([
      once(createInterface({ input: holder.stdout }), 'line'),
      once(holder, 'exit').then(([code]) => {
        throw new Error(`the holder exited (${code}) before holding the lock`);
      }),
    ])) as [string];
    assert.equal(line, 'holding');

    let settled = false;
    const loading = worker.loadArticle({ kind: 'url', url }).finally(() => {
      settled = true;
    });
    await sleep(4 * SLOW_MS);
    assert.equal(settled, false, 'the worker waits while the holder lives');
    assert.equal(articles.hits.get('/barrier'), undefined, 'and fetches nothing meanwhile');
    const exited = once(holder, 'exit');
    holder.kill('SIGKILL');
    await exited;
    const loaded = await loading;
    assert.ok(loaded.ok, loaded.ok ? '' : loaded.error.message);
    assert.equal(loaded.value.fromCache, false);
    assert.equal(articles.hits.get('/barrier'), 1);
  });
});
