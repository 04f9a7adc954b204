import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeArticle } from '../../src/article/article.js';
import { articleResultKey } from '../../src/core/cache.js';
import type { Claim } from '../../src/engines/engine.js';
import { unsafeMakeQuote } from '../../src/grounding/quote.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from '../../src/store/migrations.js';
import {
  type AutoSummaryChannel,
  type AutoSummaryLink,
  type GuildSettings,
  type JobRecord,
  RECENCY_RESOLUTION_MS,
  type Store,
  StoreError,
  type StoreLogger,
  type SummaryDelivery,
  type ThreadRecord,
  UNSET_SERVER_DEFAULTS,
  type UsageReservation,
} from '../../src/store/store.js';

/**
 * The behaviour every Store backend must show. A backend's test file calls
 * `runStoreConformance(name, newHarness)`; each test gets a fresh, empty database from the harness.
 */
export interface StoreHarness {
  /** The SQL dialect of the database (raw SQL in tests differs per backend). */
  readonly dialect: 'sqlite' | 'postgres';
  /** Opens a store on this test's database; opening again reaches the same database. */
  open(options?: { now?: () => number; maxCacheEntries?: number; logger?: StoreLogger }): Promise<Store>;
  /** First column of the first row of a raw query against the same database. */
  scalar(sql: string): Promise<unknown>;
  /** Raw SQL against the same database (used to corrupt rows on purpose). */
  exec(sql: string): Promise<void>;
  /** Closes every store it opened and deletes the database. */
  dispose(): Promise<void>;
}

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

/** A clock tests move by hand. */
function manualClock(start = T0) {
  const clock = { t: start, now: () => clock.t, advance: (ms: number) => (clock.t += ms) };
  return clock;
}

function recordingLogger() {
  const warnings: { details: Record<string, unknown>; message: string }[] = [];
  const logger: StoreLogger = { warn: (details, message) => warnings.push({ details, message }) };
  return { logger, warnings };
}

const ARTICLE = makeArticle(
  'Ministers met in Beijing.\n\n“We agreed,” said the minister — 😀 Кириллица, 日本語.\n\nThe end.',
  {
    source: 'https://example.com/news/1?utm_source=x',
    url: 'https://example.com/news/1',
    canonicalUrl: 'https://example.com/news/ministers-met',
    title: 'Ministers met',
    byline: 'A. Writer',
    siteName: 'Example News',
    lang: 'en',
    publishedTime: '2025-01-14T08:00:00Z',
  },
);

const OTHER_ARTICLE = makeArticle('A different article.\n\nWith different text.', { source: 'upload.txt' });

function claimsFor(text: string): Claim[] {
  const start = text.indexOf('We agreed');
  return [
    { text: 'They agreed.', quotes: [unsafeMakeQuote('We agreed', start, start + 'We agreed'.length)] },
  ];
}

function thread(overrides: Partial<ThreadRecord> = {}): ThreadRecord {
  return {
    threadId: 'th-1',
    guildId: 'g-1',
    channelId: 'c-1',
    requesterId: 'u-1',
    articleHash: ARTICLE.contentHash,
    summaryMessageId: 'm-1',
    requestKey: 'summary:abc',
    createdAt: T0,
    ...overrides,
  };
}

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-1',
    kind: 'summarize',
    guildId: 'g-1',
    channelId: 'c-1',
    userId: 'u-1',
    reply: { via: 'interaction', applicationId: 'app-1', interactionToken: 'tok-1' },
    startedAt: T0,
    payload: { url: 'https://example.com/news/1', options: { length: 'short', lang: null } },
    ...overrides,
  };
}

function delivery(overrides: Partial<SummaryDelivery> = {}): SummaryDelivery {
  return {
    summaryId: 'th-1',
    guildId: 'g-1',
    channelId: 'c-1',
    messageIds: ['th-1', 'm-2', 'm-3'],
    threadId: 'th-1',
    requesterId: 'u-1',
    createdAt: T0,
    ...overrides,
  };
}

async function rowCount(h: StoreHarness, table: string): Promise<number> {
  return Number(await h.scalar(`SELECT count(*) FROM ${table}`));
}

/** The trigger-kept row counts the eviction relies on match the tables. */
async function assertRowCountsKept(h: StoreHarness): Promise<void> {
  for (const table of ['cache_entries', 'articles']) {
    const kept = Number(await h.scalar(`SELECT n FROM row_counts WHERE name = '${table}'`));
    assert.equal(kept, await rowCount(h, table), `row_counts for ${table}`);
  }
}

export function runStoreConformance(name: string, newHarness: () => Promise<StoreHarness>): void {
  const it = (title: string, fn: (h: StoreHarness) => Promise<void>) =>
    test(title, async () => {
      const h = await newHarness();
      try {
        await fn(h);
      } finally {
        await h.dispose();
      }
    });

  describe(`${name} store`, () => {
    describe('migrations', () => {
      it('GIVEN a database opened twice THEN each migration is applied once and the version is the latest', async (h) => {
        const first = await h.open();
        assert.equal(await first.schemaVersion(), LATEST_SCHEMA_VERSION);
        await first.close();
        const second = await h.open();
        assert.equal(await second.schemaVersion(), LATEST_SCHEMA_VERSION);
        assert.equal(await rowCount(h, 'schema_migrations'), MIGRATIONS.length);
      });

      it('GIVEN a database migrated by a newer Verbatim THEN opening it fails with a StoreError', async (h) => {
        const store = await h.open();
        await store.close();
        await h.exec(
          `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${LATEST_SCHEMA_VERSION + 1}, 'future', 0)`,
        );
        await assert.rejects(
          h.open(),
          (err: unknown) => err instanceof StoreError && /newer/.test(err.message),
        );
      });

      it('GIVEN a store closed twice THEN the second close is harmless and later calls reject', async (h) => {
        const store = await h.open();
        await store.close();
        await store.close();
        await assert.rejects(store.getThread('th-1'));
      });
    });

    describe('articles', () => {
      it('GIVEN a stored article THEN it comes back identical by request URL and by canonical URL', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://example.com/news/1',
          canonicalUrl: 'https://example.com/news/ministers-met',
          fetchedAt: T0,
        });
        clock.advance(MINUTE);
        const byRequest = await store.getArticleByUrl('https://example.com/news/1', 3600);
        const byCanonical = await store.getArticleByUrl('https://example.com/news/ministers-met', 3600);
        assert.deepEqual(byRequest, { article: ARTICLE, fetchedAt: T0 });
        assert.deepEqual(byCanonical, { article: ARTICLE, fetchedAt: T0 });
        assert.deepEqual((await store.getArticle(ARTICLE.contentHash))?.article, ARTICLE);
        assert.equal(await store.getArticleByUrl('https://example.com/other', 3600), undefined);
        assert.equal(await store.getArticle('sha256:0000'), undefined);
      });

      it('GIVEN one text fetched under two request URLs THEN it is stored once with both aliases', async (h) => {
        const store = await h.open({ now: manualClock().now });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://b.example/1',
          canonicalUrl: 'https://a.example/1',
          fetchedAt: T0 + MINUTE,
        });
        assert.equal(await rowCount(h, 'articles'), 1);
        assert.equal(await rowCount(h, 'article_urls'), 2);
        assert.equal((await store.getArticleByUrl('https://a.example/1', 3600))?.fetchedAt, T0 + MINUTE);
        assert.equal(
          (await store.getArticleByUrl('https://b.example/1', 3600))?.article.contentHash,
          ARTICLE.contentHash,
        );
      });

      it('GIVEN a URL that now serves a different text THEN the alias points at the newer text', async (h) => {
        const store = await h.open({ now: manualClock().now });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putArticle(OTHER_ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0 + 1,
        });
        assert.deepEqual((await store.getArticleByUrl('https://a.example/1', 3600))?.article, OTHER_ARTICLE);
        assert.deepEqual((await store.getArticle(ARTICLE.contentHash))?.article, ARTICLE);
      });

      it('GIVEN an article older than the allowed age THEN the URL lookup misses', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        clock.advance(59_000);
        assert.ok(await store.getArticleByUrl('https://a.example/1', 60));
        clock.advance(2_000);
        assert.equal(await store.getArticleByUrl('https://a.example/1', 60), undefined);
        assert.ok(await store.getArticle(ARTICLE.contentHash), 'by hash, age does not matter');
      });

      it('GIVEN more articles than the bound THEN the least recently used unreferenced one is evicted', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now, maxCacheEntries: 2 });
        const a = makeArticle('Article A text.');
        const b = makeArticle('Article B text.');
        const c = makeArticle('Article C text.');
        await store.putThread(thread({ articleHash: ARTICLE.contentHash }));
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://x/0',
          canonicalUrl: null,
          fetchedAt: clock.t,
        });
        for (const [i, art] of [a, b].entries()) {
          clock.advance(RECENCY_RESOLUTION_MS);
          await store.putArticle(art, {
            requestUrl: `https://x/${i + 1}`,
            canonicalUrl: null,
            fetchedAt: clock.t,
          });
        }
        clock.advance(RECENCY_RESOLUTION_MS);
        await store.getArticle(a.contentHash);
        clock.advance(RECENCY_RESOLUTION_MS);
        await store.putArticle(c, { requestUrl: 'https://x/3', canonicalUrl: null, fetchedAt: clock.t });
        assert.ok(await store.getArticle(ARTICLE.contentHash), 'an article a thread refers to is kept');
        assert.ok(await store.getArticle(a.contentHash), 'recently read');
        assert.equal(await store.getArticle(b.contentHash), undefined, 'least recently used');
        assert.equal(await store.getArticleByUrl('https://x/2', 3600), undefined, 'its alias went with it');
        assert.ok(await store.getArticle(c.contentHash));
        assert.equal(await rowCount(h, 'articles'), 3);
        await assertRowCountsKept(h);
      });
    });

    describe('cache', () => {
      it('GIVEN JSON values THEN they round-trip by namespace and key, and a put replaces', async (h) => {
        const store = await h.open();
        const value = {
          summary: [{ text: 'Ünïcødé “quotes” 😀', n: 1.5, ok: true, none: null }],
          list: [1, 2],
        };
        await store.cache.put('summary', 'k1', value);
        await store.cache.put('answer', 'k1', 'a string');
        assert.deepEqual(await store.cache.get('summary', 'k1'), value);
        assert.equal(await store.cache.get('answer', 'k1'), 'a string');
        assert.equal(await store.cache.get('summary', 'k2'), undefined);
        await store.cache.put('summary', 'k1', [3]);
        assert.deepEqual(await store.cache.get('summary', 'k1'), [3]);
        assert.equal(await rowCount(h, 'cache_entries'), 2);
      });

      it('GIVEN a value JSON cannot hold THEN put throws a TypeError', async (h) => {
        const store = await h.open();
        await assert.rejects(store.cache.put('ns', 'k', undefined), TypeError);
      });

      it('GIVEN a TTL THEN the entry is served until it expires and purged after', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        await store.cache.put('ns', 'short', 1, 10);
        await store.cache.put('ns', 'forever', 2, null);
        clock.advance(9_999);
        assert.equal(await store.cache.get('ns', 'short'), 1);
        clock.advance(1);
        assert.equal(await store.cache.get('ns', 'short'), undefined);
        assert.equal(await store.cache.get('ns', 'forever'), 2);
        assert.equal(await store.purgeExpired(), 1);
        assert.equal(await rowCount(h, 'cache_entries'), 1);
      });

      it('GIVEN more entries than the bound THEN the least recently used are evicted', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now, maxCacheEntries: 3 });
        for (const key of ['a', 'b', 'c']) {
          clock.advance(RECENCY_RESOLUTION_MS);
          await store.cache.put('ns', key, key);
        }
        clock.advance(RECENCY_RESOLUTION_MS);
        assert.equal(await store.cache.get('ns', 'a'), 'a');
        clock.advance(RECENCY_RESOLUTION_MS);
        await store.cache.put('ns', 'd', 'd');
        assert.equal(await store.cache.get('ns', 'b'), undefined);
        assert.deepEqual(await Promise.all(['a', 'c', 'd'].map((k) => store.cache.get('ns', k))), [
          'a',
          'c',
          'd',
        ]);
        for (let i = 0; i < 20; i++) {
          clock.advance(RECENCY_RESOLUTION_MS);
          await store.cache.put('bulk', String(i), i);
        }
        assert.equal(await rowCount(h, 'cache_entries'), 3);
        assert.equal(await store.cache.get('bulk', '19'), 19);
        await assertRowCountsKept(h);
      });

      it('GIVEN reads within the recency resolution THEN only the first refreshes the entry', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        await store.cache.put('ns', 'k', 1);
        clock.advance(RECENCY_RESOLUTION_MS - 1);
        await store.cache.get('ns', 'k');
        assert.equal(Number(await h.scalar('SELECT last_used_at FROM cache_entries')), T0);
        clock.advance(1);
        await store.cache.get('ns', 'k');
        assert.equal(
          Number(await h.scalar('SELECT last_used_at FROM cache_entries')),
          T0 + RECENCY_RESOLUTION_MS,
        );
      });

      it('GIVEN the same store reopened THEN cached values are still there', async (h) => {
        const first = await h.open();
        await first.cache.put('summary', 'req-1', { points: ['x'] });
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.cache.get('summary', 'req-1'), { points: ['x'] });
      });
    });

    describe('threads and turns', () => {
      it('GIVEN a thread with turns THEN both survive closing and reopening the store', async (h) => {
        const first = await h.open();
        await first.putThread(thread());
        const answer = claimsFor(ARTICLE.text);
        assert.equal(
          await first.appendTurn('th-1', {
            question: 'Who agreed?',
            answer,
            askedBy: 'u-2',
            createdAt: T0 + 1,
          }),
          true,
        );
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.getThread('th-1'), thread());
        assert.deepEqual(await second.recentTurns('th-1', 10), [
          {
            question: 'Who agreed?',
            answer: [{ text: 'They agreed.', quotes: [{ ...answer[0]?.quotes[0] }] }],
            askedBy: 'u-2',
            createdAt: T0 + 1,
          },
        ]);
      });

      it('GIVEN many turns THEN recentTurns returns the last ones, oldest first', async (h) => {
        const store = await h.open();
        await store.putThread(thread());
        for (let i = 1; i <= 7; i++) {
          await store.appendTurn('th-1', {
            question: `q${i}`,
            answer: [],
            askedBy: 'u-1',
            createdAt: T0 + i,
          });
        }
        assert.deepEqual(
          (await store.recentTurns('th-1', 3)).map((t) => t.question),
          ['q5', 'q6', 'q7'],
        );
        assert.equal((await store.recentTurns('th-1', 100)).length, 7);
        assert.deepEqual(await store.recentTurns('th-1', 0), []);
        assert.deepEqual(await store.recentTurns('th-unknown', 5), []);
      });

      it('GIVEN a thread updated THEN its fields change and its turns stay', async (h) => {
        const store = await h.open();
        await store.putThread(thread({ summaryMessageId: null, requestKey: null }));
        await store.appendTurn('th-1', { question: 'q', answer: [], askedBy: 'u-1', createdAt: T0 });
        await store.putThread(thread({ summaryMessageId: 'm-9' }));
        assert.equal((await store.getThread('th-1'))?.summaryMessageId, 'm-9');
        assert.equal((await store.recentTurns('th-1', 5)).length, 1);
      });

      it('GIVEN no such thread THEN appendTurn stores nothing and returns false', async (h) => {
        const store = await h.open();
        assert.equal(
          await store.appendTurn('nope', { question: 'q', answer: [], askedBy: 'u', createdAt: T0 }),
          false,
        );
        assert.equal(await rowCount(h, 'turns'), 0);
        assert.equal(await store.getThread('nope'), undefined);
      });

      it('GIVEN a deleted thread THEN its turns are gone and deleting again returns false', async (h) => {
        const store = await h.open();
        await store.putThread(thread());
        await store.appendTurn('th-1', { question: 'q', answer: [], askedBy: 'u-1', createdAt: T0 });
        assert.equal(await store.deleteThread('th-1'), true);
        assert.equal(await store.deleteThread('th-1'), false);
        assert.equal(await store.getThread('th-1'), undefined);
        assert.equal(await rowCount(h, 'turns'), 0);
      });

      it('GIVEN conversations started in channels THEN latestThreadIn finds the newest of one channel, and none once it is deleted', async (h) => {
        const store = await h.open();
        assert.equal(await store.latestThreadIn('c-post'), undefined);
        await store.putThread(thread({ threadId: 'th-old', channelId: 'c-post', createdAt: T0 }));
        await store.putThread(thread({ threadId: 'th-new', channelId: 'c-post', createdAt: T0 + MINUTE }));
        await store.putThread(
          thread({ threadId: 'th-else', channelId: 'c-else', createdAt: T0 + 2 * MINUTE }),
        );
        assert.equal((await store.latestThreadIn('c-post'))?.threadId, 'th-new');
        assert.deepEqual(
          await store.latestThreadIn('c-else'),
          thread({ threadId: 'th-else', channelId: 'c-else', createdAt: T0 + 2 * MINUTE }),
        );
        await store.deleteThread('th-new');
        assert.equal((await store.latestThreadIn('c-post'))?.threadId, 'th-old');
      });
    });

    describe('usage', () => {
      it('GIVEN usage added for several users THEN totals sum per user and per guild and day', async (h) => {
        const store = await h.open();
        const day = '2025-01-15';
        await store.addUsage({ guildId: 'g-1', userId: 'u-1', day, inputTokens: 100, outputTokens: 10 });
        await store.addUsage({ guildId: 'g-1', userId: 'u-1', day, inputTokens: 50, outputTokens: 5 });
        await store.addUsage({ guildId: 'g-1', userId: 'u-2', day, inputTokens: 7, outputTokens: 3 });
        await store.addUsage({ guildId: 'g-2', userId: 'u-1', day, inputTokens: 1000, outputTokens: 1000 });
        await store.addUsage({
          guildId: 'g-1',
          userId: 'u-1',
          day: '2025-01-16',
          inputTokens: 1,
          outputTokens: 1,
        });
        assert.deepEqual(await store.getUsage({ guildId: 'g-1', userId: 'u-1', day }), {
          requests: 2,
          inputTokens: 150,
          outputTokens: 15,
        });
        assert.deepEqual(await store.getUsage({ guildId: 'g-1', day }), {
          requests: 3,
          inputTokens: 157,
          outputTokens: 18,
        });
        assert.deepEqual(await store.getUsage({ guildId: 'g-3', day }), {
          requests: 0,
          inputTokens: 0,
          outputTokens: 0,
        });
      });

      it('GIVEN concurrent additions to one counter THEN none is lost', async (h) => {
        const a = await h.open();
        const b = await h.open();
        const day = '2025-01-15';
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? a : b).addUsage({ guildId: 'g', userId: 'u', day, inputTokens: 1, outputTokens: 2 }),
          ),
        );
        assert.deepEqual(await a.getUsage({ guildId: 'g', userId: 'u', day }), {
          requests: 40,
          inputTokens: 40,
          outputTokens: 80,
        });
      });

      it('GIVEN a malformed day or token count THEN usage calls throw RangeError', async (h) => {
        const store = await h.open();
        await assert.rejects(
          store.addUsage({ guildId: 'g', userId: 'u', day: '15/01/2025', inputTokens: 1, outputTokens: 1 }),
          RangeError,
        );
        await assert.rejects(
          store.addUsage({ guildId: 'g', userId: 'u', day: '2025-01-15', inputTokens: -1, outputTokens: 1 }),
          RangeError,
        );
        await assert.rejects(store.getUsage({ guildId: 'g', day: 'today' }), RangeError);
      });
    });

    describe('budget reservations', () => {
      const day = '2025-01-15';
      const reservation = (id: string, overrides: Partial<UsageReservation> = {}): UsageReservation => ({
        id,
        guildId: 'g-1',
        userId: 'u-1',
        day,
        tokens: 400,
        expiresAt: T0 + MINUTE,
        ...overrides,
      });

      it('GIVEN recorded usage and live reservations THEN a reservation is made only while both limits fit, guild first', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        await store.addUsage({ guildId: 'g-1', userId: 'u-1', day, inputTokens: 150, outputTokens: 50 });
        const limits = { guild: 1000, user: 700 };
        assert.deepEqual(await store.reserveUsage(reservation('r-1'), limits), { reserved: true });
        assert.deepEqual(
          await store.reserveUsage(reservation('r-2', { tokens: 101 }), limits),
          { reserved: false, over: 'user' },
          '200 used + 400 reserved + 101 > 700',
        );
        assert.deepEqual(await store.reserveUsage(reservation('r-3', { tokens: 100 }), limits), {
          reserved: true,
        });
        assert.deepEqual(
          await store.reserveUsage(reservation('r-4', { userId: 'u-2', tokens: 301 }), limits),
          { reserved: false, over: 'guild' },
          '200 + 500 + 301 > 1000, whoever asks',
        );
        assert.deepEqual(
          await store.reserveUsage(reservation('r-5', { userId: 'u-2', tokens: 300 }), {
            guild: null,
            user: 300,
          }),
          { reserved: true },
          'no guild limit; another user has their own',
        );
        assert.deepEqual(
          await store.reserveUsage(reservation('r-6', { guildId: 'g-2', tokens: 700 }), limits),
          { reserved: true },
          'another guild counts apart',
        );
        assert.deepEqual(
          await store.reserveUsage(reservation('r-7', { day: '2025-01-16', tokens: 700 }), limits),
          { reserved: true },
          'another day counts apart',
        );
        assert.deepEqual(
          await store.reserveUsage(reservation('r-8', { tokens: 0 }), { guild: 0, user: null }),
          {
            reserved: false,
            over: 'guild',
          },
        );
        assert.deepEqual(
          await store.getUsage({ guildId: 'g-1', userId: 'u-1', day }),
          { requests: 1, inputTokens: 150, outputTokens: 50 },
          'reservations are not usage',
        );
      });

      it('GIVEN a reservation settled THEN its usage is recorded and it no longer counts, and settling again adds nothing', async (h) => {
        const store = await h.open({ now: manualClock().now });
        const limits = { guild: 1000, user: null };
        assert.deepEqual(await store.reserveUsage(reservation('r-1', { tokens: 900 }), limits), {
          reserved: true,
        });
        assert.equal((await store.reserveUsage(reservation('r-2', { tokens: 200 }), limits)).reserved, false);
        const usage = { guildId: 'g-1', userId: 'u-1', day, inputTokens: 250, outputTokens: 50 };
        await store.settleReservation('r-1', usage);
        assert.deepEqual(await store.getUsage({ guildId: 'g-1', day }), {
          requests: 1,
          inputTokens: 250,
          outputTokens: 50,
        });
        assert.equal(await rowCount(h, 'usage_reservations'), 0);
        assert.deepEqual(await store.reserveUsage(reservation('r-2', { tokens: 700 }), limits), {
          reserved: true,
        });
        await store.settleReservation('r-2', null);
        await store.settleReservation('r-2', null);
        assert.equal(await rowCount(h, 'usage_reservations'), 0);
        assert.equal(
          (await store.getUsage({ guildId: 'g-1', day })).requests,
          1,
          'a release records nothing',
        );
        await assert.rejects(store.settleReservation('r-3', { ...usage, inputTokens: -1 }), RangeError);
        await assert.rejects(store.reserveUsage(reservation('r-4', { tokens: 1.5 }), limits), RangeError);
        await assert.rejects(store.reserveUsage(reservation('r-5', { day: 'today' }), limits), RangeError);
      });

      it('GIVEN a holder that stops renewing THEN its reservation stops counting once expired, while a renewed one still counts', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        const limits = { guild: 1000, user: null };
        await store.reserveUsage(reservation('dead', { tokens: 600, expiresAt: T0 + MINUTE }), limits);
        await store.reserveUsage(reservation('alive', { tokens: 300, expiresAt: T0 + MINUTE }), limits);
        assert.equal((await store.reserveUsage(reservation('r-1', { tokens: 200 }), limits)).reserved, false);
        clock.advance(MINUTE / 2);
        assert.equal(await store.renewReservation('alive', clock.t + MINUTE), true);
        clock.advance(MINUTE / 2);
        assert.deepEqual(
          await store.reserveUsage(reservation('r-2', { tokens: 700, expiresAt: clock.t + MINUTE }), limits),
          { reserved: true },
          'the dead holder’s 600 expired; the renewed 300 + 700 fit',
        );
        assert.equal(await store.renewReservation('dead', clock.t + MINUTE), false, 'expired and deleted');
        assert.equal((await store.reserveUsage(reservation('r-3', { tokens: 1 }), limits)).reserved, false);
      });

      it('GIVEN reservations raced by two stores on one database THEN exactly what the limit covers is reserved', async (h) => {
        const a = await h.open({ now: manualClock().now });
        const b = await h.open({ now: manualClock().now });
        const outcomes = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            (i % 2 ? a : b).reserveUsage(reservation(`r-${i}`, { userId: `u-${i % 3}`, tokens: 100 }), {
              guild: 1000,
              user: null,
            }),
          ),
        );
        assert.equal(outcomes.filter((o) => o.reserved).length, 10);
        assert.equal(await rowCount(h, 'usage_reservations'), 10);
      });

      it('GIVEN forgetUser, purgeGuild and retention THEN reservations go with their user, guild or expiry', async (h) => {
        const clock = manualClock();
        const store = await h.open({ now: clock.now });
        const none = { guild: null, user: null };
        await store.reserveUsage(reservation('u1-g1'), none);
        await store.reserveUsage(reservation('u2-g1', { userId: 'u-2', expiresAt: T0 + 10 * MINUTE }), none);
        await store.reserveUsage(
          reservation('u2-g2', { userId: 'u-2', guildId: 'g-2', expiresAt: T0 + 10 * MINUTE }),
          none,
        );
        await store.forgetUser('u-1');
        assert.equal(await rowCount(h, 'usage_reservations'), 2);
        await store.purgeGuild('g-2');
        assert.equal(await rowCount(h, 'usage_reservations'), 1);
        await store.purgeOlderThan(T0 - DAY);
        assert.equal(await rowCount(h, 'usage_reservations'), 1, 'a live reservation of today stays');
        clock.advance(10 * MINUTE);
        await store.purgeOlderThan(T0 - DAY);
        assert.equal(await rowCount(h, 'usage_reservations'), 0, 'an expired one goes');
      });
    });

    describe('guild settings', () => {
      const settings = (overrides: Partial<GuildSettings> = {}): GuildSettings => ({
        guildId: 'g-1',
        dailyTokens: 50_000,
        memberDailyTokens: null,
        ...UNSET_SERVER_DEFAULTS,
        updatedBy: 'admin-1',
        updatedAt: T0,
        ...overrides,
      });

      it('GIVEN settings put, replaced and reopened THEN the latest come back as put, and other guilds have none', async (h) => {
        const first = await h.open();
        assert.equal(await first.getGuildSettings('g-1'), undefined);
        await first.putGuildSettings(settings());
        assert.deepEqual(await first.getGuildSettings('g-1'), settings());
        const big = settings({ dailyTokens: 9_000_000_000_000, memberDailyTokens: 0, updatedAt: T0 + DAY });
        await first.putGuildSettings(big);
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.getGuildSettings('g-1'), big, 'BIGINT limits and 0 round-trip');
        assert.equal(await second.getGuildSettings('g-2'), undefined);
        await second.putGuildSettings(settings({ dailyTokens: null, memberDailyTokens: null }));
        assert.deepEqual(
          await second.getGuildSettings('g-1'),
          settings({ dailyTokens: null, memberDailyTokens: null }),
          'null restores the operator default',
        );
        assert.equal(await rowCount(h, 'guild_settings'), 1);
      });

      it('GIVEN a negative or fractional limit THEN putGuildSettings throws RangeError and stores nothing', async (h) => {
        const store = await h.open();
        await assert.rejects(store.putGuildSettings(settings({ dailyTokens: -1 })), RangeError);
        await assert.rejects(store.putGuildSettings(settings({ memberDailyTokens: 1.5 })), RangeError);
        assert.equal(await rowCount(h, 'guild_settings'), 0);
      });

      it('GIVEN purgeGuild and forgetUser THEN the guild’s settings go, and a forgotten admin is no longer named', async (h) => {
        const store = await h.open();
        await store.putGuildSettings(settings({ guildId: 'g-1', updatedBy: 'admin-1' }));
        await store.putGuildSettings(settings({ guildId: 'g-2', updatedBy: 'admin-1' }));
        await store.putGuildSettings(settings({ guildId: 'g-3', updatedBy: 'admin-2' }));
        await store.purgeGuild('g-1');
        assert.equal(await store.getGuildSettings('g-1'), undefined);
        await store.forgetUser('admin-1');
        assert.deepEqual(
          await store.getGuildSettings('g-2'),
          settings({ guildId: 'g-2', updatedBy: null }),
          'the limits stay; the admin’s id goes',
        );
        assert.equal((await store.getGuildSettings('g-3'))?.updatedBy, 'admin-2');
      });

      it('GIVEN server defaults put with the budgets THEN every field round-trips on reopen, and budgets kept', async (h) => {
        const first = await h.open();
        const chosen = settings({
          summaryLength: 'detailed',
          summaryLanguage: 'pt-BR',
          privateSummaries: true,
          reactionEmoji: '<a:read_this:123456789012345678>',
        });
        await first.putGuildSettings(chosen);
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.getGuildSettings('g-1'), chosen);
        const unicode = settings({ summaryLength: 'short', summaryLanguage: 'original', reactionEmoji: '🗞️' });
        await second.putGuildSettings(unicode);
        assert.deepEqual(
          await second.getGuildSettings('g-1'),
          unicode,
          'a multi-code-point emoji round-trips',
        );
        await second.putGuildSettings(settings());
        assert.deepEqual(
          await second.getGuildSettings('g-1'),
          settings(),
          'null and false restore the bot’s behaviour',
        );
      });

      it('GIVEN an unknown length or an empty language or emoji THEN putGuildSettings throws RangeError', async (h) => {
        const store = await h.open();
        await assert.rejects(
          store.putGuildSettings(settings({ summaryLength: 'huge' as unknown as 'short' })),
          RangeError,
        );
        await assert.rejects(store.putGuildSettings(settings({ summaryLanguage: '' })), RangeError);
        await assert.rejects(
          store.putGuildSettings(settings({ reactionEmoji: 'x'.repeat(101) })),
          RangeError,
        );
        assert.equal(await rowCount(h, 'guild_settings'), 0);
      });

      it('GIVEN an admin who set two guilds’ settings THEN countUserData counts them until forgetUser', async (h) => {
        const store = await h.open();
        await store.putGuildSettings(settings({ guildId: 'g-1', updatedBy: 'admin-1' }));
        await store.putGuildSettings(settings({ guildId: 'g-2', updatedBy: 'admin-1' }));
        await store.putGuildSettings(settings({ guildId: 'g-3', updatedBy: 'admin-2' }));
        assert.equal((await store.countUserData('admin-1')).settings, 2);
        await store.forgetUser('admin-1');
        assert.equal((await store.countUserData('admin-1')).settings, 0);
        assert.equal((await store.countUserData('admin-2')).settings, 1);
      });
    });

    describe('reaction claims', () => {
      it('GIVEN a message claimed THEN a second claim is refused until the first is released', async (h) => {
        const store = await h.open();
        const claim = { messageId: 'm-1', guildId: 'g-1', claimedAt: T0 };
        assert.equal(await store.claimReactionSummary(claim), true);
        assert.equal(await store.claimReactionSummary({ ...claim, claimedAt: T0 + 1 }), false);
        assert.equal(await store.claimReactionSummary({ ...claim, messageId: 'm-2' }), true);
        assert.equal(await store.releaseReactionSummary('m-1'), true);
        assert.equal(await store.releaseReactionSummary('m-1'), false);
        assert.equal(await store.claimReactionSummary(claim), true);
      });

      it('GIVEN claims raced by ten callers THEN exactly one wins', async (h) => {
        const store = await h.open();
        const wins = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.claimReactionSummary({ messageId: 'm-1', guildId: 'g-1', claimedAt: T0 + i }),
          ),
        );
        assert.equal(wins.filter(Boolean).length, 1);
      });

      it('GIVEN claims in two guilds THEN purgeGuild removes one guild’s and retention the old ones', async (h) => {
        const store = await h.open();
        await store.claimReactionSummary({ messageId: 'm-1', guildId: 'g-1', claimedAt: T0 });
        await store.claimReactionSummary({ messageId: 'm-2', guildId: 'g-2', claimedAt: T0 });
        await store.claimReactionSummary({ messageId: 'm-3', guildId: 'g-2', claimedAt: T0 + 2 * DAY });
        await store.purgeGuild('g-1');
        assert.equal(
          await store.claimReactionSummary({ messageId: 'm-1', guildId: 'g-1', claimedAt: T0 }),
          true,
        );
        await store.purgeOlderThan(T0 + DAY);
        assert.equal(
          await rowCount(h, 'reaction_summaries'),
          1,
          'm-1 and m-2 were claimed before the cutoff',
        );
        assert.equal(
          await store.claimReactionSummary({ messageId: 'm-3', guildId: 'g-2', claimedAt: T0 }),
          false,
        );
      });
    });

    describe('jobs', () => {
      it('GIVEN recorded jobs THEN unfinished ones come back oldest first until finished', async (h) => {
        const store = await h.open();
        const second = job({
          id: 'job-2',
          kind: 'answer',
          guildId: null,
          reply: { via: 'message', messageId: 'm-5' },
          startedAt: T0 + 5,
          payload: ['any', { json: 1 }],
        });
        await store.recordJob(second);
        await store.recordJob(job());
        assert.deepEqual(await store.unfinishedJobs(), [job(), second]);
        assert.equal(await store.finishJob('job-1'), true);
        assert.equal(await store.finishJob('job-1'), false);
        assert.deepEqual(await store.unfinishedJobs(), [second]);
        await store.recordJob({ ...second, payload: 'replaced' });
        assert.deepEqual(await store.unfinishedJobs(), [{ ...second, payload: 'replaced' }]);
      });

      it('GIVEN recorded jobs THEN one is read by its id until finished, and its payload is replaced only while it is recorded', async (h) => {
        const store = await h.open();
        const second = job({ id: 'job-2', reply: { via: 'message', messageId: 'm-5' }, startedAt: T0 + 5 });
        await store.recordJob(job());
        await store.recordJob(second);
        assert.deepEqual(await store.getJob('job-2'), second);
        assert.equal(await store.getJob('job-9'), undefined);
        assert.equal(await store.updateJobPayload('job-2', { sent: ['m-6'] }), true);
        assert.deepEqual(await store.getJob('job-2'), { ...second, payload: { sent: ['m-6'] } });
        assert.deepEqual(await store.getJob('job-1'), job(), 'the other job is untouched');
        assert.equal(await store.finishJob('job-2'), true);
        assert.equal(await store.getJob('job-2'), undefined);
        assert.equal(await store.updateJobPayload('job-2', { sent: ['m-7'] }), false);
        assert.equal(
          await store.getJob('job-2'),
          undefined,
          'a late update does not bring a finished job back',
        );
        assert.deepEqual(await store.unfinishedJobs(), [job()]);
      });

      it('GIVEN jobs recorded before a restart THEN the reopened store still lists them', async (h) => {
        const first = await h.open();
        await first.recordJob(job());
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.unfinishedJobs(), [job()]);
      });
    });

    describe('privacy', () => {
      async function populate(store: Store) {
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putThread(thread({ threadId: 'th-u1', requesterId: 'u-1', guildId: 'g-1' }));
        await store.putThread(thread({ threadId: 'th-u2', requesterId: 'u-2', guildId: 'g-1' }));
        await store.putThread(thread({ threadId: 'th-g2', requesterId: 'u-2', guildId: 'g-2' }));
        const turn = (askedBy: string, createdAt = T0) => ({ question: 'q', answer: [], askedBy, createdAt });
        await store.appendTurn('th-u1', turn('u-1'));
        await store.appendTurn('th-u1', turn('u-2'));
        await store.appendTurn('th-u2', turn('u-1'));
        await store.appendTurn('th-u2', turn('u-2'));
        await store.appendTurn('th-g2', turn('u-2'));
        await store.recordJob(job({ id: 'j-u1', userId: 'u-1', guildId: 'g-1' }));
        await store.recordJob(job({ id: 'j-u2', userId: 'u-2', guildId: 'g-2' }));
        const day = '2025-01-15';
        await store.addUsage({ guildId: 'g-1', userId: 'u-1', day, inputTokens: 1, outputTokens: 1 });
        await store.addUsage({ guildId: 'g-2', userId: 'u-1', day, inputTokens: 1, outputTokens: 1 });
        await store.addUsage({ guildId: 'g-2', userId: 'u-2', day, inputTokens: 1, outputTokens: 1 });
      }

      it('GIVEN forgetUser THEN their threads, every turn in them, their turns elsewhere, jobs and usage go', async (h) => {
        const store = await h.open({ now: manualClock().now });
        await populate(store);
        assert.deepEqual(await store.forgetUser('u-1'), {
          articles: 0,
          cacheEntries: 0,
          threads: 1,
          turns: 3,
          jobs: 1,
          usageRows: 2,
        });
        assert.equal(await store.getThread('th-u1'), undefined);
        assert.deepEqual(
          (await store.recentTurns('th-u2', 10)).map((t) => t.askedBy),
          ['u-2'],
        );
        assert.deepEqual(
          (await store.unfinishedJobs()).map((j) => j.id),
          ['j-u2'],
        );
        assert.equal((await store.getUsage({ guildId: 'g-2', day: '2025-01-15' })).requests, 1);
        assert.ok(await store.getArticle(ARTICLE.contentHash), 'articles are not personal data');
        assert.deepEqual(await store.forgetUser('u-1'), {
          articles: 0,
          cacheEntries: 0,
          threads: 0,
          turns: 0,
          jobs: 0,
          usageRows: 0,
        });
      });

      it('GIVEN purgeGuild THEN only that guild’s threads, turns, jobs and usage go', async (h) => {
        const store = await h.open({ now: manualClock().now });
        await populate(store);
        assert.deepEqual(await store.purgeGuild('g-2'), {
          articles: 0,
          cacheEntries: 0,
          threads: 1,
          turns: 1,
          jobs: 1,
          usageRows: 2,
        });
        assert.equal(await store.getThread('th-g2'), undefined);
        assert.ok(await store.getThread('th-u1'));
        assert.equal((await store.recentTurns('th-u2', 10)).length, 2);
        assert.equal((await store.getUsage({ guildId: 'g-1', day: '2025-01-15' })).requests, 1);
        assert.deepEqual(
          (await store.unfinishedJobs()).map((j) => j.id),
          ['j-u1'],
        );
      });

      it('GIVEN purgeOlderThan THEN everything past retention goes and recent or referenced data stays', async (h) => {
        const clock = manualClock(T0 + 30 * DAY);
        const store = await h.open({ now: clock.now });
        const cutoff = T0 + 10 * DAY;
        const old = makeArticle('An old article nobody refers to.');
        const recent = makeArticle('A recent article.');
        await store.putArticle(old, { requestUrl: 'https://old/1', canonicalUrl: null, fetchedAt: T0 });
        await store.putArticle(ARTICLE, { requestUrl: 'https://kept/1', canonicalUrl: null, fetchedAt: T0 });
        await store.putArticle(recent, {
          requestUrl: 'https://new/1',
          canonicalUrl: null,
          fetchedAt: cutoff + DAY,
        });
        await store.putThread(thread({ threadId: 'old-quiet', createdAt: T0, articleHash: old.contentHash }));
        await store.putThread(
          thread({ threadId: 'old-active', createdAt: T0, articleHash: ARTICLE.contentHash }),
        );
        await store.putThread(
          thread({ threadId: 'new', createdAt: cutoff + DAY, articleHash: recent.contentHash }),
        );
        const turn = (createdAt: number) => ({ question: 'q', answer: [], askedBy: 'u-1', createdAt });
        await store.appendTurn('old-quiet', turn(T0));
        await store.appendTurn('old-active', turn(T0));
        await store.appendTurn('old-active', turn(cutoff + DAY));
        await store.appendTurn('new', turn(cutoff + DAY));
        await store.recordJob(job({ id: 'stale', startedAt: T0 }));
        await store.recordJob(job({ id: 'fresh', startedAt: cutoff + DAY }));
        await store.addUsage({
          guildId: 'g',
          userId: 'u',
          day: '2025-01-15',
          inputTokens: 1,
          outputTokens: 1,
        });
        await store.addUsage({
          guildId: 'g',
          userId: 'u',
          day: '2025-01-26',
          inputTokens: 1,
          outputTokens: 1,
        });
        clock.t = T0;
        await store.cache.put('ns', 'old', 1);
        clock.t = cutoff + DAY;
        await store.cache.put('ns', 'expired', 2, 60);
        await store.cache.put('ns', 'fresh', 3);
        clock.t = T0 + 30 * DAY;

        assert.deepEqual(await store.purgeOlderThan(cutoff), {
          articles: 1,
          cacheEntries: 2,
          threads: 1,
          turns: 2,
          jobs: 1,
          usageRows: 1,
        });
        assert.equal(await store.getThread('old-quiet'), undefined);
        assert.deepEqual(
          (await store.recentTurns('old-active', 10)).map((t) => t.createdAt),
          [cutoff + DAY],
        );
        assert.equal(await store.getArticle(old.contentHash), undefined);
        assert.ok(await store.getArticle(ARTICLE.contentHash), 'a live thread still refers to it');
        assert.equal(
          await store.getArticleByUrl('https://kept/1', 365 * 86400),
          undefined,
          'its old alias is gone',
        );
        assert.ok(await store.getArticleByUrl('https://new/1', 365 * 86400));
        assert.equal(await store.cache.get('ns', 'fresh'), 3);
        assert.deepEqual(
          (await store.unfinishedJobs()).map((j) => j.id),
          ['fresh'],
        );
        assert.equal((await store.getUsage({ guildId: 'g', day: '2025-01-26' })).requests, 1);
        await assertRowCountsKept(h);
      });
    });

    describe('privacy: what a user or a guild has', () => {
      it('GIVEN a pasted text, a fetched one and a referenced one THEN deleteArticleIfUnreferenced deletes only the pasted text nothing refers to', async (h) => {
        const store = await h.open({ now: manualClock().now });
        const pasted = makeArticle('A text someone pasted.');
        const shared = makeArticle('A text two people pasted.');
        await store.putArticle(pasted, { requestUrl: null, canonicalUrl: null, fetchedAt: T0 });
        await store.putArticle(shared, { requestUrl: null, canonicalUrl: null, fetchedAt: T0 });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putThread(thread({ threadId: 'th-shared', articleHash: shared.contentHash }));

        assert.equal(await store.deleteArticleIfUnreferenced(pasted.contentHash), true);
        assert.equal(await store.getArticle(pasted.contentHash), undefined);
        assert.equal(await store.deleteArticleIfUnreferenced(pasted.contentHash), false, 'already gone');
        assert.equal(
          await store.deleteArticleIfUnreferenced(ARTICLE.contentHash),
          false,
          'fetched from a link',
        );
        assert.ok(await store.getArticleByUrl('https://a.example/1', 86_400));
        assert.equal(
          await store.deleteArticleIfUnreferenced(shared.contentHash),
          false,
          'a thread refers to it',
        );
        assert.ok(await store.getArticle(shared.contentHash));
        await store.deleteThread('th-shared');
        assert.equal(await store.deleteArticleIfUnreferenced(shared.contentHash), true);
        await assertRowCountsKept(h);
      });

      it('GIVEN results cached from a pasted text THEN deleting the text deletes them too, and nothing else', async (h) => {
        const store = await h.open({ now: manualClock().now });
        const pasted = makeArticle('A text someone pasted, then deleted.');
        const kept = makeArticle('A text that stays, because a thread refers to it.');
        for (const article of [pasted, kept]) {
          await store.putArticle(article, { requestUrl: null, canonicalUrl: null, fetchedAt: T0 });
          await store.cache.put('summaries', articleResultKey(article.contentHash, 'a1'), { n: 1 });
          await store.cache.put('model-results', articleResultKey(article.contentHash, 'b2'), { n: 2 });
        }
        await store.cache.put('other', `x${pasted.contentHash}:c3`, { n: 3 });
        await store.putThread(thread({ threadId: 'th-kept', articleHash: kept.contentHash }));

        assert.equal(await store.deleteArticleIfUnreferenced(kept.contentHash), false);
        assert.equal(await store.deleteArticleIfUnreferenced(pasted.contentHash), true);
        const get = (namespace: string, key: string) => store.cache.get(namespace, key);
        assert.equal(await get('summaries', articleResultKey(pasted.contentHash, 'a1')), undefined);
        assert.equal(await get('model-results', articleResultKey(pasted.contentHash, 'b2')), undefined);
        assert.deepEqual(await get('other', `x${pasted.contentHash}:c3`), { n: 3 }, 'only keys it begins');
        assert.deepEqual(await get('summaries', articleResultKey(kept.contentHash, 'a1')), { n: 1 });
        assert.deepEqual(await get('model-results', articleResultKey(kept.contentHash, 'b2')), { n: 2 });
        await assertRowCountsKept(h);
      });

      it('GIVEN texts pasted in a guild THEN purgeGuild deletes those nothing else refers to, with results cached from them', async (h) => {
        const store = await h.open({ now: manualClock().now });
        const pasted = makeArticle('A text pasted in the purged guild.');
        const shared = makeArticle('A text pasted in both guilds.');
        for (const article of [pasted, shared]) {
          await store.putArticle(article, { requestUrl: null, canonicalUrl: null, fetchedAt: T0 });
          await store.cache.put('summaries', articleResultKey(article.contentHash, 'a1'), { n: 1 });
        }
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putThread(thread({ threadId: 'th-1', guildId: 'g-1', articleHash: pasted.contentHash }));
        await store.putThread(thread({ threadId: 'th-2', guildId: 'g-1', articleHash: pasted.contentHash }));
        await store.putThread(thread({ threadId: 'th-3', guildId: 'g-1', articleHash: shared.contentHash }));
        await store.putThread(thread({ threadId: 'th-4', guildId: 'g-1' }));
        await store.putThread(thread({ threadId: 'th-5', guildId: 'g-2', articleHash: shared.contentHash }));

        assert.deepEqual(await store.purgeGuild('g-1'), {
          articles: 1,
          cacheEntries: 0,
          threads: 4,
          turns: 0,
          jobs: 0,
          usageRows: 0,
        });
        assert.equal(await store.getArticle(pasted.contentHash), undefined);
        assert.equal(
          await store.cache.get('summaries', articleResultKey(pasted.contentHash, 'a1')),
          undefined,
        );
        assert.ok(await store.getArticle(shared.contentHash), 'another guild’s thread refers to it');
        assert.deepEqual(await store.cache.get('summaries', articleResultKey(shared.contentHash, 'a1')), {
          n: 1,
        });
        assert.ok(await store.getArticle(ARTICLE.contentHash), 'fetched from a link');
        await assertRowCountsKept(h);
      });

      it('GIVEN threads, turns, usage and jobs THEN threadsRequestedBy and countUserData describe one user only', async (h) => {
        const store = await h.open({ now: manualClock().now });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: T0,
        });
        await store.putThread(thread({ threadId: 'th-b', requesterId: 'u-1', createdAt: T0 + MINUTE }));
        await store.putThread(
          thread({ threadId: 'th-a', requesterId: 'u-1', createdAt: T0, guildId: 'g-2' }),
        );
        await store.putThread(thread({ threadId: 'th-other', requesterId: 'u-2' }));
        const turn = (askedBy: string) => ({ question: 'q', answer: [], askedBy, createdAt: T0 });
        await store.appendTurn('th-other', turn('u-1'));
        await store.appendTurn('th-other', turn('u-2'));
        await store.appendTurn('th-a', turn('u-2'));
        const usage = (guildId: string, userId: string, day: string) =>
          store.addUsage({ guildId, userId, day, inputTokens: 1, outputTokens: 1 });
        await usage('g-1', 'u-1', '2025-01-15');
        await usage('g-2', 'u-1', '2025-01-15');
        await usage('g-1', 'u-1', '2025-01-16');
        await usage('g-1', 'u-2', '2025-01-17');
        await store.recordJob(job({ id: 'j-1', userId: 'u-1' }));

        assert.deepEqual(
          (await store.threadsRequestedBy('u-1')).map((t) => t.threadId),
          ['th-a', 'th-b'],
        );
        assert.deepEqual((await store.threadsRequestedBy('u-1'))[0], {
          ...thread({ threadId: 'th-a', requesterId: 'u-1', createdAt: T0, guildId: 'g-2' }),
        });
        assert.deepEqual(await store.countUserData('u-1'), {
          threads: 2,
          turns: 1,
          usageDays: 2,
          jobs: 1,
          settings: 0,
        });
        assert.deepEqual(await store.countUserData('u-3'), {
          threads: 0,
          turns: 0,
          usageDays: 0,
          jobs: 0,
          settings: 0,
        });
        await store.forgetUser('u-1');
        assert.deepEqual(await store.countUserData('u-1'), {
          threads: 0,
          turns: 0,
          usageDays: 0,
          jobs: 0,
          settings: 0,
        });
        assert.deepEqual(await store.threadsRequestedBy('u-1'), []);
      });
    });

    describe('records that are not cache entries', () => {
      it('GIVEN a cache entry deleted THEN it is gone at once and deleting again returns false', async (h) => {
        const store = await h.open();
        await store.cache.put('ns', 'k', { v: 1 });
        await store.cache.put('ns', 'other', { v: 2 });
        assert.equal(await store.cache.delete('ns', 'k'), true);
        assert.equal(await store.cache.get('ns', 'k'), undefined);
        assert.equal(await store.cache.delete('ns', 'k'), false);
        assert.deepEqual(await store.cache.get('ns', 'other'), { v: 2 });
        await assertRowCountsKept(h);
      });

      it('GIVEN a summary delivery THEN it round-trips, a refresh replaces it, and it survives any cache eviction', async (h) => {
        const store = await h.open({ maxCacheEntries: 1 });
        await store.putThread(thread());
        await store.putDelivery(delivery());
        for (let i = 0; i < 20; i++) await store.cache.put('results', `k${i}`, { i });
        assert.deepEqual(await store.getDelivery('th-1'), delivery());
        await store.putDelivery(delivery({ messageIds: ['th-1', 'm-9'], threadId: null }));
        assert.deepEqual(
          await store.getDelivery('th-1'),
          delivery({ messageIds: ['th-1', 'm-9'], threadId: null }),
        );
        assert.equal(await store.getDelivery('nope'), undefined);
        assert.equal(await store.deleteDelivery('th-1'), true);
        assert.equal(await store.getDelivery('th-1'), undefined);
        assert.equal(await store.deleteDelivery('th-1'), false);
        await assert.rejects(store.putDelivery(delivery({ messageIds: [] })), RangeError);
      });

      it('GIVEN deliveries of several users and guilds THEN forgetUser and purgeGuild delete exactly theirs', async (h) => {
        const store = await h.open();
        await store.putDelivery(
          delivery({ summaryId: 's-1', requesterId: 'u-1', guildId: 'g-1', createdAt: T0 }),
        );
        await store.putDelivery(
          delivery({ summaryId: 's-2', requesterId: 'u-1', guildId: 'g-2', createdAt: T0 + 1 }),
        );
        await store.putDelivery(
          delivery({ summaryId: 's-3', requesterId: 'u-2', guildId: 'g-1', createdAt: T0 }),
        );
        await store.putDelivery(
          delivery({ summaryId: 's-4', requesterId: 'u-2', guildId: 'g-2', createdAt: T0 }),
        );
        assert.deepEqual(
          (await store.deliveriesRequestedBy('u-1')).map((d) => d.summaryId),
          ['s-1', 's-2'],
        );
        await store.forgetUser('u-1');
        assert.deepEqual(await store.deliveriesRequestedBy('u-1'), []);
        await store.purgeGuild('g-2');
        assert.equal(await store.getDelivery('s-4'), undefined);
        assert.ok(await store.getDelivery('s-3'), 'another user in another guild keeps theirs');
      });

      it('GIVEN retention THEN a delivery goes with its purged conversation and stays while the conversation does', async (h) => {
        const clock = manualClock(T0 + 30 * DAY);
        const store = await h.open({ now: clock.now });
        const cutoff = T0 + 10 * DAY;
        await store.putThread(thread({ threadId: 'quiet', createdAt: T0 }));
        await store.putThread(thread({ threadId: 'active', createdAt: T0 }));
        await store.appendTurn('active', {
          question: 'q',
          answer: [],
          askedBy: 'u-1',
          createdAt: cutoff + DAY,
        });
        await store.putDelivery(delivery({ summaryId: 'quiet', createdAt: T0 }));
        await store.putDelivery(delivery({ summaryId: 'active', createdAt: T0 }));
        await store.purgeOlderThan(cutoff);
        assert.equal(await store.getDelivery('quiet'), undefined);
        assert.ok(await store.getDelivery('active'));
      });

      it('GIVEN a delivery row whose message ids are unreadable THEN it is treated as absent with a warning', async (h) => {
        const { logger, warnings } = recordingLogger();
        const store = await h.open({ logger });
        await store.putDelivery(delivery());
        await h.exec(`UPDATE summary_deliveries SET message_ids = '["th-1",'`);
        assert.equal(await store.getDelivery('th-1'), undefined);
        await h.exec(`UPDATE summary_deliveries SET message_ids = '[]'`);
        assert.deepEqual(await store.deliveriesRequestedBy('u-1'), []);
        assert.equal(warnings.length, 2);
      });

      it('GIVEN guild memberships seen by shards THEN the guilds not seen since a time are listed per shard set, and only purgeGuild removes one', async (h) => {
        const clock = manualClock(T0 + 400 * DAY);
        const store = await h.open({ now: clock.now });
        await store.recordGuildMemberships(['g-1', 'g-2'], { id: 0, count: 2 }, T0);
        await store.recordGuildMemberships(['g-3'], { id: 1, count: 2 }, T0);
        await store.recordGuildMemberships(['g-4'], { id: 0, count: 1 }, T0);
        await store.recordGuildMemberships(['g-1'], { id: 0, count: 2 }, T0 + MINUTE);
        assert.deepEqual(await store.guildsNotSeenSince(T0 + MINUTE, null), ['g-2', 'g-3', 'g-4']);
        assert.deepEqual(await store.guildsNotSeenSince(T0 + MINUTE, { ids: [0], count: 2 }), ['g-2']);
        assert.deepEqual(await store.guildsNotSeenSince(T0 + MINUTE, { ids: [0, 1], count: 2 }), [
          'g-2',
          'g-3',
        ]);
        assert.deepEqual(await store.guildsNotSeenSince(T0 + MINUTE, { ids: [], count: 2 }), []);
        assert.deepEqual(
          await store.guildsNotSeenSince(T0, null),
          [],
          'nothing was seen before the first look',
        );
        await store.purgeOlderThan(T0 + 200 * DAY);
        assert.deepEqual(
          await store.guildsNotSeenSince(T0 + MINUTE, null),
          ['g-2', 'g-3', 'g-4'],
          'retention keeps memberships',
        );
        await store.purgeGuild('g-2');
        assert.deepEqual(await store.guildsNotSeenSince(T0 + MINUTE, null), ['g-3', 'g-4']);
        await assert.rejects(store.recordGuildMemberships(['g-5'], { id: 2, count: 2 }, T0), RangeError);
      });

      it('GIVEN a version-3 database whose cache holds summary messages and the membership list THEN upgrading moves them into tables', async (h) => {
        const dialect = h.dialect;
        await h.exec(SCHEMA_MIGRATIONS_TABLE(dialect));
        for (const m of MIGRATIONS.filter((m) => m.version <= 3)) {
          await h.exec(m[dialect]);
          await h.exec(
            `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, 'test', 0)`,
          );
        }
        const cacheRow = (namespace: string, key: string, value: string) =>
          h.exec(
            `INSERT INTO cache_entries (namespace, key, value, created_at, expires_at, last_used_at)
               VALUES ('${namespace}', '${key}', '${value}', ${T0}, NULL, ${T0 + 5})`,
          );
        await h.exec(
          `INSERT INTO threads (thread_id, guild_id, channel_id, requester_id, article_hash, summary_message_id,
             request_key, created_at) VALUES ('s-1', 'g-1', 'c-1', 'u-1', 'h', 's-1', NULL, ${T0})`,
        );
        await h.exec(
          `INSERT INTO threads (thread_id, guild_id, channel_id, requester_id, article_hash, summary_message_id,
             request_key, created_at) VALUES ('s-2', 'g-1', 'c-1', 'u-1', 'h', 's-2', NULL, ${T0})`,
        );
        await cacheRow(
          'discord-summary-messages',
          's-1',
          '{"channelId":"c-1","messageIds":["s-1","m-2"],"threadId":"s-1"}',
        );
        await cacheRow(
          'discord-summary-messages',
          's-2',
          '{"channelId":"c-1","messageIds":["s-2"],"threadId":null}',
        );
        await cacheRow(
          'discord-summary-messages',
          's-3',
          '{"channelId":"c-1","messageIds":["s-3"],"threadId":null}',
        );
        await cacheRow('discord-summary-messages', 'gone', 'null');
        await cacheRow('discord-summary-messages', 's-2x', '{"channelId":');
        await cacheRow('discord-guild-membership', 'guilds', '["g-1","g-2"]');
        await cacheRow('summaries', 'old', '{}');
        await cacheRow('model-results', 'old', '{}');
        await cacheRow('articles-elsewhere', 'kept', '1');

        const store = await h.open({ now: manualClock(T0 + DAY).now });
        assert.equal(await store.schemaVersion(), LATEST_SCHEMA_VERSION);
        assert.deepEqual(await store.getDelivery('s-1'), {
          summaryId: 's-1',
          guildId: 'g-1',
          channelId: 'c-1',
          messageIds: ['s-1', 'm-2'],
          threadId: 's-1',
          requesterId: 'u-1',
          createdAt: T0,
        });
        assert.equal((await store.getDelivery('s-2'))?.threadId, null);
        assert.equal(await store.getDelivery('s-3'), undefined, 'no conversation: nothing to delete it for');
        assert.deepEqual(await store.guildsNotSeenSince(T0 + DAY, { ids: [0], count: 1 }), ['g-1', 'g-2']);
        assert.equal(await rowCount(h, 'cache_entries'), 1, 'only the unrelated entry is left');
        await assertRowCountsKept(h);
      });
    });

    describe('auto-summaries', () => {
      const channel = (overrides: Partial<AutoSummaryChannel> = {}): AutoSummaryChannel => ({
        guildId: 'g-1',
        channelId: 'c-1',
        include: [],
        exclude: ['example.org'],
        length: 'short',
        updatedBy: 'admin-1',
        updatedAt: T0,
        ...overrides,
      });
      const link = (overrides: Partial<AutoSummaryLink> = {}): AutoSummaryLink => ({
        guildId: 'g-1',
        channelId: 'c-1',
        url: 'https://example.com/news/1',
        summaryId: 's-1',
        messageId: 'msg-1',
        requesterId: 'u-1',
        postedAt: T0,
        ...overrides,
      });

      it('GIVEN channels turned on, changed, reopened and turned off THEN each reads back as put, per guild', async (h) => {
        const first = await h.open();
        assert.equal(await first.getAutoSummaryChannel('c-1'), undefined);
        await first.putAutoSummaryChannel(channel());
        await first.putAutoSummaryChannel(channel({ channelId: 'c-0', include: ['a.example', 'b.example'] }));
        await first.putAutoSummaryChannel(channel({ guildId: 'g-2', channelId: 'c-9' }));
        const changed = channel({ exclude: [], length: null, updatedBy: 'admin-2', updatedAt: T0 + DAY });
        await first.putAutoSummaryChannel(changed);
        await first.close();
        const second = await h.open();
        assert.deepEqual(await second.getAutoSummaryChannel('c-1'), changed);
        assert.deepEqual(
          (await second.autoSummaryChannelsIn('g-1')).map((c) => [c.channelId, c.include]),
          [
            ['c-0', ['a.example', 'b.example']],
            ['c-1', []],
          ],
        );
        assert.equal(await second.countAutoSummaryChannelsSetBy('admin-1'), 2);
        assert.equal(await second.deleteAutoSummaryChannel('c-1'), true);
        assert.equal(await second.deleteAutoSummaryChannel('c-1'), false);
        assert.equal(await second.getAutoSummaryChannel('c-1'), undefined);
        assert.equal(await rowCount(h, 'auto_summary_channels'), 2);
      });

      it('GIVEN a link summarized in a channel THEN it is found within the window, in that channel, while its summary is delivered', async (h) => {
        const store = await h.open();
        await store.putAutoSummaryLink(link());
        assert.equal(
          await store.autoSummaryLinkSince('c-1', 'https://example.com/news/1', T0 - DAY),
          undefined,
          'no delivery recorded: nothing to point to',
        );
        await store.putDelivery(delivery({ summaryId: 's-1', messageIds: ['s-1'] }));
        assert.deepEqual(
          await store.autoSummaryLinkSince('c-1', 'https://example.com/news/1', T0 - DAY),
          link(),
        );
        assert.equal(
          await store.autoSummaryLinkSince('c-1', 'https://example.com/news/1', T0 + 1),
          undefined,
        );
        assert.equal(
          await store.autoSummaryLinkSince('c-2', 'https://example.com/news/1', T0 - DAY),
          undefined,
        );
        await store.putDelivery(delivery({ summaryId: 's-2', messageIds: ['s-2'] }));
        await store.putAutoSummaryLink(link({ summaryId: 's-2', messageId: 'msg-2', postedAt: T0 + MINUTE }));
        assert.equal(
          (await store.autoSummaryLinkSince('c-1', 'https://example.com/news/1', T0))?.summaryId,
          's-2',
          'a later summary of the same link replaces the row',
        );
        await store.deleteDelivery('s-2');
        assert.equal(await store.autoSummaryLinkSince('c-1', 'https://example.com/news/1', T0), undefined);
      });

      it('GIVEN links of one message THEN they are listed by message, and deleted by summary', async (h) => {
        const store = await h.open();
        await store.putAutoSummaryLink(link({ url: 'https://a.example/1', summaryId: 's-1' }));
        await store.putAutoSummaryLink(link({ url: 'https://a.example/1/canonical', summaryId: 's-1' }));
        await store.putAutoSummaryLink(
          link({ url: 'https://b.example/2', summaryId: 's-2', postedAt: T0 + 1 }),
        );
        await store.putAutoSummaryLink(
          link({ url: 'https://c.example/3', summaryId: 's-3', messageId: 'msg-9' }),
        );
        assert.deepEqual(
          (await store.autoSummaryLinksFor('msg-1')).map((l) => [l.url, l.summaryId]),
          [
            ['https://a.example/1', 's-1'],
            ['https://a.example/1/canonical', 's-1'],
            ['https://b.example/2', 's-2'],
          ],
        );
        assert.equal(await store.deleteAutoSummaryLinks('s-1'), 2);
        assert.equal(await store.deleteAutoSummaryLinks('s-1'), 0);
        assert.equal((await store.autoSummaryLinksFor('msg-1')).length, 1);
      });

      it('GIVEN purgeGuild, forgetUser and retention THEN settings and links go as documented', async (h) => {
        const store = await h.open();
        await store.putAutoSummaryChannel(
          channel({ guildId: 'g-1', channelId: 'c-1', updatedBy: 'admin-1' }),
        );
        await store.putAutoSummaryChannel(
          channel({ guildId: 'g-2', channelId: 'c-2', updatedBy: 'admin-1' }),
        );
        await store.putAutoSummaryLink(link({ guildId: 'g-1', channelId: 'c-1' }));
        await store.putAutoSummaryLink(link({ guildId: 'g-2', channelId: 'c-2', requesterId: 'u-2' }));
        await store.putAutoSummaryLink(
          link({
            guildId: 'g-2',
            channelId: 'c-2',
            url: 'https://old.example/',
            requesterId: 'u-3',
            postedAt: T0 - 2 * DAY,
          }),
        );
        await store.purgeGuild('g-1');
        assert.equal(await store.getAutoSummaryChannel('c-1'), undefined);
        assert.equal(await rowCount(h, 'auto_summary_links'), 2);
        await store.forgetUser('admin-1');
        assert.deepEqual(
          await store.getAutoSummaryChannel('c-2'),
          channel({ guildId: 'g-2', channelId: 'c-2', updatedBy: null }),
          'the setting stays on; the admin is no longer named',
        );
        assert.equal(await store.countAutoSummaryChannelsSetBy('admin-1'), 0);
        await store.forgetUser('u-2');
        assert.equal(await rowCount(h, 'auto_summary_links'), 1, 'the poster’s links go with them');
        await store.purgeOlderThan(T0 - DAY);
        assert.equal(await rowCount(h, 'auto_summary_links'), 0, 'retention removes old links');
      });

      it('GIVEN corrupted domains THEN the channel reads as off, with a warning', async (h) => {
        const { logger, warnings } = recordingLogger();
        const store = await h.open({ logger });
        await store.putAutoSummaryChannel(channel());
        await h.exec(`UPDATE auto_summary_channels SET include_domains = '{"no":1}'`);
        assert.equal(await store.getAutoSummaryChannel('c-1'), undefined);
        assert.deepEqual(await store.autoSummaryChannelsIn('g-1'), []);
        assert.equal(warnings[0]?.details.table, 'auto_summary_channels');
      });
    });

    describe('unreadable rows', () => {
      it('GIVEN corrupted JSON in rows THEN readers treat them as absent, warn, and do not throw', async (h) => {
        const { logger, warnings } = recordingLogger();
        const store = await h.open({ logger });
        await store.cache.put('ns', 'k', { fine: true });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: Date.now(),
        });
        await store.putThread(thread());
        await store.appendTurn('th-1', { question: 'broken', answer: [], askedBy: 'u', createdAt: T0 });
        await store.appendTurn('th-1', { question: 'wrong shape', answer: [], askedBy: 'u', createdAt: T0 });
        await store.appendTurn('th-1', { question: 'fine', answer: [], askedBy: 'u', createdAt: T0 });
        await store.recordJob(job({ id: 'bad' }));
        await store.recordJob(job({ id: 'good', startedAt: T0 + 1 }));

        await h.exec(`UPDATE cache_entries SET value = '{"fine": tru'`);
        await h.exec(`UPDATE articles SET meta = 'not json'`);
        await h.exec(`UPDATE turns SET answer = '[{"text":' WHERE question = 'broken'`);
        await h.exec(`UPDATE turns SET answer = '{"text": 1}' WHERE question = 'wrong shape'`);
        await h.exec(`UPDATE jobs SET payload = '{' WHERE id = 'bad'`);

        assert.equal(await store.cache.get('ns', 'k'), undefined);
        assert.equal(await store.getArticleByUrl('https://a.example/1', 3600), undefined);
        assert.equal(await store.getArticle(ARTICLE.contentHash), undefined);
        assert.deepEqual(
          (await store.recentTurns('th-1', 10)).map((t) => t.question),
          ['fine'],
        );
        assert.deepEqual(
          (await store.unfinishedJobs()).map((j) => j.id),
          ['good'],
        );
        assert.equal(warnings.length, 6);
        assert.ok(warnings.every((w) => typeof w.details.table === 'string'));
        await store.cache.put('ns', 'k', { fine: true });
        assert.deepEqual(await store.cache.get('ns', 'k'), { fine: true }, 'a new put repairs the entry');
      });

      it('GIVEN an article text altered in the database THEN it no longer matches its hash and is not served', async (h) => {
        const { logger, warnings } = recordingLogger();
        const store = await h.open({ logger });
        await store.putArticle(ARTICLE, {
          requestUrl: 'https://a.example/1',
          canonicalUrl: null,
          fetchedAt: Date.now(),
        });
        await h.exec(`UPDATE articles SET text = 'Ministers did not meet.'`);
        assert.equal(await store.getArticle(ARTICLE.contentHash), undefined);
        assert.equal(warnings.length, 1);
      });
    });
  });
}
