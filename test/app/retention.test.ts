import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startRetention } from '../../src/app/retention.js';
import { makeArticle } from '../../src/article/article.js';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/store.js';

const DAY = 86_400_000;
const log = createLogger('silent');

async function storeWithArticles(now: number) {
  const store = await openStore({
    path: join(await mkdtemp(join(tmpdir(), 'verbatim-ret-')), 'v.db'),
    now: () => now,
  });
  const old = makeArticle('An article fetched long ago about the harbour barrier.', {
    source: 'https://a.example/old',
  });
  const fresh = makeArticle('An article fetched yesterday about the library vote.', {
    source: 'https://a.example/new',
  });
  await store.putArticle(old, {
    requestUrl: 'https://a.example/old',
    canonicalUrl: null,
    fetchedAt: now - 40 * DAY,
  });
  await store.putArticle(fresh, {
    requestUrl: 'https://a.example/new',
    canonicalUrl: null,
    fetchedAt: now - DAY,
  });
  return { store, old, fresh };
}

describe('retention', () => {
  it('GIVEN a 30-day retention THEN an article fetched 40 days ago is purged and yesterday’s stays', async () => {
    const now = Date.UTC(2026, 10, 29);
    const { store, old, fresh } = await storeWithArticles(now);
    try {
      const retention = startRetention({
        store,
        retentionDays: 30,
        now: () => now,
        log,
        intervalMs: 3_600_000,
      });
      const counts = await retention.first;
      retention.stop();
      assert.equal(counts?.articles, 1);
      assert.equal((await retention.runOnce())?.articles, 0);
      assert.equal(await store.getArticle(old.contentHash), undefined);
      assert.equal((await store.getArticle(fresh.contentHash))?.article.text, fresh.text);
    } finally {
      await store.close();
    }
  });

  it('GIVEN retention 0 THEN nothing is purged', async () => {
    const now = Date.UTC(2026, 10, 29);
    const { store, old } = await storeWithArticles(now);
    try {
      const retention = startRetention({ store, retentionDays: 0, now: () => now, log });
      assert.equal(await retention.first, null);
      assert.equal(await retention.runOnce(), null);
      assert.equal((await store.getArticle(old.contentHash))?.article.text, old.text);
    } finally {
      await store.close();
    }
  });
});
