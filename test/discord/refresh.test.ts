import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { longPage, page, updatedPage } from '../../testkit/discord/pages.js';
import type { StoredMessage } from '../../testkit/fakes/discord/index.js';
import { assertQuotesFromArticle, assertWithinLimits, finalReply } from './views.js';

/** Seconds within which a Refresh reuses the stored page (60 in production; short so tests can wait it out). */
const MIN_INTERVAL_S = 4;

const textOf = (html: string): string => html.replace(/<[^>]+>/gu, ' ').replace(/&amp;/gu, '&');

let h: Harness;
let articles: ArticleServer;

before(async () => {
  articles = await startArticleServer({ '/news/barrier': { body: page } });
  h = await startHarness(null, {
    articles,
    env: { REFRESH_MIN_INTERVAL_SECONDS: String(MIN_INTERVAL_S) },
    fake: { rateLimits: WIDE_BUCKETS },
  });
});
after(async () => {
  await h.close();
  await articles.close();
});

const embedsOf = (m: { embeds: unknown[] }) => m.embeds as APIEmbed[];
/** The unix time a summary says its page was fetched at, from `fetched <t:…:R>` in its facts line. */
const fetchedAt = (m: { embeds: unknown[] }): number => {
  const match = /fetched <t:(\d+):R>/u.exec(embedsOf(m)[0]?.description ?? '');
  assert.ok(match?.[1], 'the summary says when the page was fetched');
  return Number(match[1]);
};
const refreshId = (m: { components: unknown[] }): string | null =>
  /"(verbatim:refresh:[^"]+)"/u.exec(JSON.stringify(m.components))?.[1] ?? null;
/** A message as it is now (the fake's stored messages change as the bot edits them). */
const snapshot = (m: StoredMessage | undefined) => {
  assert.ok(m);
  return { id: m.id, embeds: structuredClone(m.embeds), components: structuredClone(m.components) };
};
const seconds = (ms: number): number => Math.floor(ms / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Refresh and fetch times on Discord, end to end', () => {
  it('GIVEN a link summarized, served from the cache, then refreshed unchanged and changed THEN the fetch time, the summary in place and the conversation follow the page', async () => {
    const url = articles.url('/news/barrier');
    const before = seconds(Date.now());
    const summary = snapshot(
      await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { url } })),
    );
    const t1 = fetchedAt(summary);
    assert.ok(t1 >= before && t1 <= seconds(Date.now()), 'the fetch time is when the page was fetched');
    const customId = refreshId(summary);
    assert.equal(customId, 'verbatim:refresh:standard:en-US:-', 'a link’s summary has Refresh');
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');

    await sleep(1100);
    const again = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { url }, user: h.fake.userByName('bob').id }),
    );
    assert.equal(fetchedAt(again), t1, 'a summary from the stored page shows the original fetch time');
    assert.equal(articles.hits.get('/news/barrier'), 1);

    // Within the minimum interval: nothing is fetched, and the presser is told why.
    const tooSoon = h.fake.sendButton({ customId, messageId: summary.id, user: h.fake.userByName('bob').id });
    await tooSoon.waitFor((x) => (x.original?.content ?? '').includes('did not fetch it again'), 10_000);
    assert.equal(tooSoon.ephemeral, true);
    assert.equal(
      tooSoon.original?.content,
      `I fetched that page <t:${t1}:R>, so I did not fetch it again. Try again in a minute.`,
    );
    assert.equal(articles.hits.get('/news/barrier'), 1, 'no fetch within the interval');

    // After it, unchanged: fetched again, the summary cache answers, only the fetch time moves.
    await sleep(MIN_INTERVAL_S * 1000);
    const unchanged = h.fake.sendButton({ customId, messageId: summary.id });
    await unchanged.waitFor((x) => (x.original?.content ?? '').includes('has not changed'), 10_000);
    assert.equal(articles.hits.get('/news/barrier'), 2);
    const refreshedOnce = snapshot(h.fake.message(summary.id));
    const t2 = fetchedAt(refreshedOnce);
    assert.ok(t2 > t1, 'the summary shows the new fetch time');
    assert.deepEqual(
      { ...embedsOf(refreshedOnce)[0], description: '' },
      { ...embedsOf(summary)[0], description: '' },
      'nothing else changed',
    );
    const quiet = await eventually(
      () => h.logs.find((l) => l.msg === 'summary refreshed' && l.requestId === unchanged.id),
      5000,
      'refresh log line',
    );
    assert.deepEqual(quiet.fromCache, { article: false, summary: true }, 'no second model call');
    assert.equal(quiet.changed, false);

    // The page changes, and the bot restarts: the button still works from what the store kept.
    articles.set('/news/barrier', { body: updatedPage });
    await h.restart();
    await sleep(MIN_INTERVAL_S * 1000);
    const changed = h.fake.sendButton({ customId, messageId: summary.id });
    await changed.waitFor((x) => (x.original?.content ?? '').includes('has changed'), 15_000);
    assert.equal(articles.hits.get('/news/barrier'), 3);
    const refreshed = h.fake.message(summary.id);
    assert.ok(refreshed && !refreshed.deleted, 'updated in place');
    assert.ok(fetchedAt(refreshed) > t2);
    assert.notDeepEqual(embedsOf(refreshed), embedsOf(refreshedOnce));
    assertQuotesFromArticle(embedsOf(refreshed), textOf(updatedPage));
    assertWithinLimits(refreshed);
    assert.equal(refreshId(refreshed), customId, 'Refresh stays');
    const record = await h.bot.system.store.getThread(summary.id);
    const stored = await h.bot.system.store.getArticle(record?.articleHash ?? '');
    assert.match(stored?.article.text ?? '', /Storm Petra/u, 'the conversation points at the new text');
    const note = await h.fake.waitForMessage(thread.id, (m) =>
      m.content.startsWith('The article was refreshed'),
    );
    assert.match(note.content, /^The article was refreshed \(fetched <t:\d+:R>\) and has changed/u);

    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'What did the harbour master say about Storm Petra?',
      mentionsBot: true,
    });
    const answer = await h.fake.waitForMessage(
      thread.id,
      (m) => m.api.message_reference?.message_id === question.id,
      10_000,
    );
    const quotes = assertQuotesFromArticle(embedsOf(answer), textOf(updatedPage));
    assert.ok(
      quotes.some((q) => q.includes('2.4 metres')),
      'the answer comes from the new text',
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a summary over two messages WHEN the refreshed one needs one, then two again THEN the surplus message is deleted, then one is added, and the record follows', async () => {
    articles.set('/news/plans', { body: longPage });
    const url = articles.url('/news/plans');
    // Detailed: eleven quotes of long sentences need two messages (each is shown once, as itself).
    const summary = snapshot(
      await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { url, length: 'detailed' } })),
    );
    const customId = refreshId(summary) ?? '';
    const record = (min: number) =>
      eventually(
        async () => {
          const r = await h.bot.system.store.getDelivery(summary.id);
          return r && r.messageIds.length === min ? r : null;
        },
        5000,
        `a record of ${min} messages`,
      );
    const [, second] = (await record(2)).messageIds;
    assert.ok(second);

    articles.set('/news/plans', { body: page });
    await sleep(MIN_INTERVAL_S * 1000);
    const shorter = h.fake.sendButton({ customId, messageId: summary.id });
    await shorter.waitFor((x) => (x.original?.content ?? '').includes('has changed'), 15_000);
    assert.deepEqual((await record(1)).messageIds, [summary.id]);
    assert.equal(h.fake.message(second)?.deleted, true, 'the surplus message is deleted');
    assert.equal(embedsOf(h.fake.message(summary.id) ?? { embeds: [] })[0]?.url, url);

    articles.set('/news/plans', { body: longPage });
    await sleep(MIN_INTERVAL_S * 1000);
    const longer = h.fake.sendButton({ customId, messageId: summary.id });
    await longer.waitFor((x) => (x.original?.content ?? '').includes('has changed'), 15_000);
    const [first, added] = (await record(2)).messageIds;
    assert.equal(first, summary.id, 'the first message, with the buttons and thread, stays');
    const addedMessage = h.fake.message(added ?? '');
    assert.ok(addedMessage && !addedMessage.deleted && added !== second, 'a message is added');
    assertQuotesFromArticle(
      [...embedsOf(h.fake.message(summary.id) ?? { embeds: [] }), ...embedsOf(addedMessage)],
      textOf(longPage),
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a summary of pasted text THEN it has no Refresh button', async () => {
    const pasted = textOf(page).replace(/\s+/gu, ' ').trim();
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }),
    );
    assert.equal(refreshId(summary), null);
    assert.doesNotMatch(
      embedsOf(summary)[0]?.description ?? '',
      /fetched <t:/u,
      'pasted text was not fetched',
    );
    assert.match(JSON.stringify(summary.components), /verbatim:ask/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a private summary of a link WHEN its requester presses Refresh THEN the private message itself is updated', async () => {
    const url = articles.url('/news/barrier');
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url, private: true } });
    const summary = snapshot(await finalReply(handle));
    const customId = refreshId(summary);
    assert.equal(customId, 'verbatim:refresh:standard:en-US:p');
    await sleep(MIN_INTERVAL_S * 1000);
    const hits = articles.hits.get('/news/barrier') ?? 0;
    const press = h.fake.sendButton({ customId: customId ?? '', messageId: summary.id });
    await press.waitFor((x) => x.followups.some((f) => f.content.includes('has not changed')), 10_000);
    assert.equal(press.callbackType, 6, 'acknowledged as an update of the summary message');
    assert.equal(articles.hits.get('/news/barrier'), hits + 1);
    const updatedSummary = h.fake.message(summary.id);
    assert.ok(updatedSummary && fetchedAt(updatedSummary) > fetchedAt(summary));
    assert.deepEqual(problems(h), []);
  });
});
