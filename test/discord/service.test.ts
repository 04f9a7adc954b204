import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyGate } from '../../src/app/gate.js';
import { KeyedQueue } from '../../src/app/keyed-queue.js';
import { RateLimiter } from '../../src/app/rate-limits.js';
import { RESULT_CACHE_NAMESPACE } from '../../src/app/result-cache.js';
import { languagePlan } from '../../src/app/summaries.js';
import { createSystem } from '../../src/app/system.js';
import { makeArticle } from '../../src/article/article.js';
import { parseConfig } from '../../src/config.js';
import { ok } from '../../src/core/result.js';
import { createLogger } from '../../src/log.js';
import { startArticleServer } from '../../testkit/discord/harness.js';
import { page, pastedBody as text } from '../../testkit/discord/pages.js';

describe('the service under the bot', () => {
  it('GIVEN a gate of 1 active and 1 waiting THEN a third request is busy at once and waiters run in order', async () => {
    const gate = new ConcurrencyGate(1, 1);
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`start ${name}`);
      await sleep(ms);
      order.push(`end ${name}`);
      return ok(name);
    };
    let waited = 0;
    const a = gate.run(task('a', 50));
    const b = gate.run(task('b', 10), { onWait: () => waited++ });
    const c = await gate.run(task('c', 10));
    assert.equal(c.ok, false);
    assert.equal(!c.ok && c.error.code, 'busy');
    assert.deepEqual(await Promise.all([a, b]), [ok('a'), ok('b')]);
    assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
    assert.equal(waited, 1);
    assert.equal(gate.active, 0);
  });

  it('GIVEN a limit of 2 a minute THEN the third event waits until the first leaves the window, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    assert.equal(limiter.take('alice'), null);
    now = 10_000;
    assert.equal(limiter.take('alice'), null);
    assert.equal(limiter.take('alice'), 50_000);
    assert.equal(limiter.take('bob'), null);
    now = 60_001;
    assert.equal(limiter.take('alice'), null);
    assert.equal(new RateLimiter(0, 60_000).take('x'), null, '0 means no limit');
  });

  it('GIVEN tasks for two keys THEN each key runs in order, one at a time, and keys run in parallel', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      if (name === 'a1') throw new Error('a1 failed');
      return name;
    };
    const results = await Promise.allSettled([
      queue.run('a', task('a1', 40)),
      queue.run('a', task('a2', 10)),
      queue.run('b', task('b1', 10)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
    assert.ok(log.indexOf('end a1') < log.indexOf('start a2'), 'a2 waited for a1 (even though it failed)');
    assert.ok(log.indexOf('end b1') < log.indexOf('end a1'), 'b did not wait for a');
    assert.equal(queue.size, 0);
  });

  it('GIVEN reader and article languages THEN the engine is asked for a translation only when it can make one', () => {
    const en = makeArticle(text, { lang: 'en' });
    assert.deepEqual(languagePlan(en, null, true), { lang: null, note: null });
    assert.deepEqual(languagePlan(en, 'en-GB', true), { lang: null, note: null });
    assert.deepEqual(languagePlan(en, 'en-US', false), { lang: null, note: null });
    assert.deepEqual(languagePlan(en, 'fr', true), { lang: null, note: { wanted: 'fr', used: 'en' } });
    assert.deepEqual(languagePlan(en, 'pt-BR', false), { lang: 'pt-BR', note: null });
  });

  it('GIVEN a summary kept in the store THEN it is reused, and one whose quotes no longer match the article is recomputed', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-service-'));
    const config = parseConfig({
      VERBATIM_ENGINE: 'extractive',
      DATABASE_PATH: join(dir, 'v.db'),
      WORKER_THREADS: '1',
    });
    const system = await createSystem(config, createLogger('silent'), { run: 'workers' });
    t.after(async () => {
      await system.close();
      await rm(dir, { recursive: true, force: true });
    });
    const { store } = system;
    const service = system.app.summaries;
    const request = {
      source: { kind: 'text', text, source: 'discord:text' },
      length: 'standard',
      lang: null,
      requester: null,
    } as const;

    const first = await service.summarize(request);
    assert.ok(first.ok);
    assert.equal(first.value.summaryFromCache, false);
    assert.ok(
      await store.getArticle(first.value.article.contentHash),
      'pasted text is stored for its thread',
    );
    const second = await service.summarize(request);
    assert.ok(second.ok);
    assert.equal(second.value.summaryFromCache, true);
    assert.deepEqual(second.value.result.summary, first.value.result.summary);

    const real = first.value.result.summary[0]?.quotes[0];
    assert.ok(real);
    // What a corrupted or stale row looks like: offsets that no longer hold the quoted words.
    const tampered = {
      ...first.value.result,
      summary: [{ text: 'Invented.', quotes: [{ text: 'Invented.', start: real.start, end: real.end }] }],
    };
    await store.cache.put(RESULT_CACHE_NAMESPACE, first.value.requestKey, tampered);
    const third = await service.summarize(request);
    assert.ok(third.ok);
    assert.equal(third.value.summaryFromCache, false, 'a stored quote that does not match is never shown');
    assert.deepEqual(third.value.result.summary, first.value.result.summary);
  });

  it('GIVEN a link THEN outcomes carry when it was fetched: the original time from the store, and Refresh fetches again only after REFRESH_MIN_INTERVAL_SECONDS', async (t) => {
    const articles = await startArticleServer({ '/a': { body: page } });
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-service-'));
    const config = parseConfig({
      VERBATIM_ENGINE: 'extractive',
      DATABASE_PATH: join(dir, 'v.db'),
      FETCH_ALLOW: '127.0.0.1/32',
      FETCH_ALLOWED_PORTS: String(articles.port),
      WORKER_THREADS: '1',
    });
    let clock = 1_700_000_000_000;
    const now = () => clock;
    const system = await createSystem(config, createLogger('silent'), { run: 'workers', now });
    t.after(async () => {
      await system.close();
      await articles.close();
      await rm(dir, { recursive: true, force: true });
    });
    const service = system.app.summaries;
    const source = { kind: 'url', url: articles.url('/a') } as const;
    const ask = async (refresh: boolean) => {
      const outcome = await service.summarize({
        source,
        length: 'standard',
        lang: null,
        refresh,
        requester: null,
      });
      assert.ok(outcome.ok);
      return outcome.value;
    };

    const first = await ask(false);
    assert.equal(first.fetchedAt, clock);
    const fetchedAt = clock;
    clock += 30_000;
    const cached = await ask(false);
    assert.deepEqual(
      [cached.articleFromCache, cached.fetchedAt],
      [true, fetchedAt],
      'the original fetch time',
    );
    const tooSoon = await ask(true);
    assert.deepEqual([tooSoon.articleFromCache, tooSoon.fetchedAt], [true, fetchedAt]);
    assert.equal(articles.hits.get('/a'), 1);

    clock += config.REFRESH_MIN_INTERVAL_SECONDS * 1000;
    const again = await ask(true);
    assert.deepEqual([again.articleFromCache, again.fetchedAt, again.summaryFromCache], [false, clock, true]);
    assert.equal(again.requestKey, first.requestKey, 'unchanged text: the same summary');
    assert.equal(articles.hits.get('/a'), 2);

    articles.set('/a', { body: page.replace('310 million euros', '325 million euros') });
    clock += config.REFRESH_MIN_INTERVAL_SECONDS * 1000;
    const changed = await ask(true);
    assert.equal(changed.summaryFromCache, false);
    assert.notEqual(changed.article.contentHash, first.article.contentHash);
    const pasted = await service.summarize({
      source: { kind: 'text', text, source: 'discord:text' },
      length: 'standard',
      lang: null,
      requester: null,
    });
    assert.ok(pasted.ok);
    assert.equal(pasted.value.fetchedAt, null, 'pasted text was not fetched');
  });
});
