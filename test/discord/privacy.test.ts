import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Store, utcDay } from '../../src/store/store.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { longPage, page, paragraphs } from '../../testkit/discord/pages.js';
import type { ApiChannel, StoredMessage } from '../../testkit/fakes/discord/index.js';
import { finalReply, replyTo } from './views.js';

const DAY_MS = 86_400_000;

/** A pasted article unique to `tag`, so that each test's text is stored under its own hash. */
function pastedText(tag: string): string {
  return ['Harbor Town Opens Its Tidal Barrier', ...paragraphs, `This copy was pasted for ${tag}.`].join(
    '\n\n',
  );
}

interface Posted {
  readonly summary: StoredMessage;
  readonly thread: ApiChannel;
  readonly invite: StoredMessage;
  readonly articleHash: string;
}

/** Posts a summary through `/summarize` and waits for its thread and the thread's invitation. */
async function summarize(
  h: Harness,
  options: { text?: string; url?: string; length?: string },
  where: { user?: string; channelId?: string } = {},
): Promise<Posted> {
  const handle = h.fake.sendSlashCommand({ name: 'summarize', options, ...where });
  const summary = await finalReply(handle);
  const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
  const invite = await h.fake.waitForMessage(thread.id);
  const record = await h.bot.system.store.getThread(summary.id);
  assert.ok(record, 'the conversation is stored');
  return { summary, thread, invite, articleHash: record.articleHash };
}

/** Asks a question by replying to the thread's invitation; resolves with the bot's answer. */
async function ask(h: Harness, posted: Posted, question: string, user?: string): Promise<StoredMessage> {
  const message = h.fake.postUserMessage({
    channelId: posted.thread.id,
    content: question,
    replyToMessageId: posted.invite.id,
    ...(user ? { user } : {}),
  });
  return replyTo(h.fake, posted.thread.id, message, 10_000);
}

const botMessagesIn = (h: Harness, channelId: string) =>
  h.fake.messages(channelId).filter((m) => m.authorId === h.fake.botUser.id);

describe('privacy on Discord: Delete and /forget', () => {
  let h: Harness;
  let articles: ArticleServer;
  let store: Store;

  before(async () => {
    articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
    h = await startHarness(null, { articles, fake: { rateLimits: WIDE_BUCKETS } });
    store = h.bot.system.store;
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN a summary of pasted text with a question WHEN its requester presses Delete THEN its messages, thread, turns and the pasted text are gone, and nobody else could delete it', async () => {
    const posted = await summarize(h, { text: pastedText('delete') });
    await ask(h, posted, 'How much did the barrier cost?', h.fake.userByName('bob').id);
    assert.equal((await store.recentTurns(posted.thread.id, 10)).length, 1);
    assert.ok(await store.getArticle(posted.articleHash));
    /** Cache rows computed from the pasted text (the summary), read from the database file itself. */
    const derivedRows = (): number => {
      const raw = new Database(h.dbPath, { readonly: true });
      try {
        const prefix = `${posted.articleHash}:`;
        const row = raw
          .prepare('SELECT count(*) AS n FROM cache_entries WHERE substr(key, 1, length(?)) = ?')
          .get(prefix, prefix) as { n: number };
        return row.n;
      } finally {
        raw.close();
      }
    };
    assert.ok(derivedRows() >= 1, 'the summary is cached under the text it came from');

    const bob = h.fake.userByName('bob');
    const refused = h.fake.sendButton({
      customId: 'verbatim:delete',
      messageId: posted.summary.id,
      user: bob.id,
    });
    await refused.waitFor('responded');
    assert.match(refused.original?.content ?? '', /Only the person who asked/u);
    assert.equal(h.fake.message(posted.summary.id)?.deleted, false);
    assert.ok(await store.getThread(posted.summary.id), 'a refused Delete deletes nothing');
    assert.ok(await store.getArticle(posted.articleHash));

    const click = h.fake.sendButton({ customId: 'verbatim:delete', messageId: posted.summary.id });
    await click.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    assert.equal(h.fake.message(posted.summary.id)?.deleted, true);
    assert.deepEqual(botMessagesIn(h, posted.thread.id), [], 'the invitation and the answer are gone');
    assert.equal(h.fake.channel(posted.thread.id).thread_metadata?.archived, true);
    assert.equal(h.fake.channel(posted.thread.id).name, 'Deleted summary');
    assert.equal(await store.getThread(posted.summary.id), undefined);
    assert.deepEqual(await store.recentTurns(posted.thread.id, 10), []);
    assert.equal(await store.getArticle(posted.articleHash), undefined, 'the pasted text is gone');
    assert.equal(derivedRows(), 0, 'and so is everything cached from it');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a summary of a link, and the same text pasted by two people WHEN one summary is deleted THEN the link’s article stays cached and the shared text stays for the other', async () => {
    const url = articles.url('/news/tidal-barrier');
    const linked = await summarize(h, { url });
    const click = h.fake.sendButton({ customId: 'verbatim:delete', messageId: linked.summary.id });
    await click.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    assert.equal(await store.getThread(linked.summary.id), undefined);
    assert.ok(await store.getArticle(linked.articleHash), 'a public page stays cached');
    assert.ok(await store.getArticleByUrl(url, 3600));

    const text = pastedText('shared');
    const mine = await summarize(h, { text });
    const theirs = await summarize(h, { text }, { user: h.fake.userByName('bob').id });
    assert.equal(mine.articleHash, theirs.articleHash);
    const mineDeleted = h.fake.sendButton({ customId: 'verbatim:delete', messageId: mine.summary.id });
    await mineDeleted.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    assert.ok(await store.getArticle(theirs.articleHash), 'bob’s conversation still needs the text');
    const answer = await ask(h, theirs, 'How much does each gate weigh?');
    assert.match(JSON.stringify(answer.embeds), /480 tonnes/u, 'bob’s thread still answers from it');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN /forget THEN the caller privately sees counts with buttons only they can press; Cancel keeps everything, Confirm deletes their data and their summaries’ messages', async () => {
    const carol = h.fake.addUser({ username: 'carol' });
    const bob = h.fake.userByName('bob');
    const pasted = await summarize(h, { text: pastedText('forget') }, { user: carol.id });
    const linked = await summarize(h, { url: articles.url('/news/tidal-barrier') }, { user: carol.id });
    const bobs = await summarize(h, { text: pastedText('bob keeps') }, { user: bob.id });
    await ask(h, pasted, 'How much did the barrier cost?', carol.id);
    await ask(h, bobs, 'When is the closure drill held?', carol.id);
    await ask(h, bobs, 'How much does each gate weigh?', bob.id);
    // Usage rows are written by the budget code; one is seeded here so that /forget has some to count.
    await store.addUsage({
      guildId: h.fake.guildId,
      userId: carol.id,
      day: utcDay(Date.now()),
      inputTokens: 5,
      outputTokens: 5,
    });
    const kept = await store.countUserData(carol.id);
    assert.deepEqual(kept, { threads: 2, turns: 2, usageDays: 1, jobs: 0, settings: 0 });

    const preview = h.fake.sendSlashCommand({ name: 'forget', user: carol.id });
    await preview.waitFor((x) => (x.original?.components.length ?? 0) > 0, 10_000);
    assert.equal(preview.ephemeral, true);
    const shown = preview.original?.content ?? '';
    assert.match(shown, /2 summaries you asked for/u);
    assert.match(shown, /2 questions you asked/u);
    assert.match(shown, /usage counts for 1 day\b/u);
    const previewId = preview.original?.id ?? '';

    const intruder = h.fake.sendButton({
      customId: `verbatim:forget:confirm:${carol.id}`,
      messageId: previewId,
      user: bob.id,
    });
    await intruder.waitFor('responded');
    assert.equal(intruder.ephemeral, true);
    assert.match(intruder.original?.content ?? '', /Only the person who used `\/forget`/u);
    assert.deepEqual(await store.countUserData(carol.id), kept, 'someone else’s press deletes nothing');

    const cancel = h.fake.sendButton({
      customId: `verbatim:forget:cancel:${carol.id}`,
      messageId: previewId,
      user: carol.id,
    });
    await cancel.waitFor('responded');
    assert.equal(h.fake.message(previewId)?.content, 'Nothing was deleted.');
    assert.deepEqual(h.fake.message(previewId)?.components, [], 'the buttons are gone');
    assert.deepEqual(await store.countUserData(carol.id), kept);

    const again = h.fake.sendSlashCommand({ name: 'forget', user: carol.id });
    await again.waitFor((x) => (x.original?.components.length ?? 0) > 0, 10_000);
    const confirm = h.fake.sendButton({
      customId: `verbatim:forget:confirm:${carol.id}`,
      messageId: again.original?.id ?? '',
      user: carol.id,
    });
    await confirm.waitFor((x) => x.original?.content.startsWith('Deleted') ?? false, 15_000);
    assert.equal(
      confirm.original?.content,
      'Deleted 2 summaries you asked for, 2 questions you asked, usage counts for 1 day and 1 text you pasted or uploaded; removed 2 messages of mine.',
    );
    assert.deepEqual(await store.countUserData(carol.id), {
      threads: 0,
      turns: 0,
      usageDays: 0,
      jobs: 0,
      settings: 0,
    });
    for (const mine of [pasted, linked]) {
      assert.equal(h.fake.message(mine.summary.id)?.deleted, true);
      assert.equal(await store.getThread(mine.summary.id), undefined);
      assert.deepEqual(botMessagesIn(h, mine.thread.id), []);
      assert.equal(h.fake.channel(mine.thread.id).name, 'Deleted summary');
    }
    assert.equal(await store.getArticle(pasted.articleHash), undefined, 'her pasted text is gone');
    assert.ok(await store.getArticle(linked.articleHash), 'the public page stays cached');
    assert.ok(await store.getThread(bobs.summary.id), 'bob’s summary stays');
    assert.equal(h.fake.message(bobs.summary.id)?.deleted, false);
    assert.deepEqual(
      (await store.recentTurns(bobs.summary.id, 10)).map((t) => t.askedBy),
      [bob.id],
      'only her question left bob’s thread',
    );
    const forgotten = h.logs.find((l) => l.msg === 'user data forgotten at their request');
    assert.equal(forgotten?.threads, 2);

    const empty = h.fake.sendSlashCommand({ name: 'forget', user: carol.id });
    await empty.waitFor((x) => x.original?.content.startsWith('I keep nothing') ?? false, 10_000);
    assert.deepEqual(empty.original?.components, []);
    assert.deepEqual(problems(h), []);
  });
});

describe('privacy on Discord: retention', () => {
  const clock = { offsetMs: 0 };
  let h: Harness;
  let articles: ArticleServer;

  before(async () => {
    articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
    h = await startHarness(null, {
      articles,
      fake: { rateLimits: WIDE_BUCKETS },
      env: { RETENTION_DAYS: '30' },
      now: () => Date.now() + clock.offsetMs,
    });
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN summaries older than RETENTION_DAYS WHEN retention runs THEN their conversations and articles are gone and a reply in a thread says the conversation is no longer available, and its requester can still delete it', async () => {
    const store = h.bot.system.store;
    const pasted = await summarize(h, { text: pastedText('retention') });
    const linked = await summarize(h, { url: articles.url('/news/tidal-barrier') });
    await ask(h, pasted, 'How much did the barrier cost?');

    clock.offsetMs = 29 * DAY_MS;
    const early = await h.bot.retention.runOnce();
    assert.equal(early?.threads, 0, 'nothing is purged within the retention period');
    assert.ok(await store.getThread(pasted.summary.id));

    clock.offsetMs = 31 * DAY_MS;
    const counts = await h.bot.retention.runOnce();
    assert.ok(counts);
    assert.ok(counts.threads >= 2 && counts.turns >= 1 && counts.articles >= 2, JSON.stringify(counts));
    for (const posted of [pasted, linked]) {
      assert.equal(await store.getThread(posted.summary.id), undefined);
      assert.equal(await store.getArticle(posted.articleHash), undefined);
    }
    assert.deepEqual(await store.recentTurns(pasted.summary.id, 10), []);
    assert.equal(await store.getArticleByUrl(articles.url('/news/tidal-barrier'), 365 * 86_400), undefined);

    const notice = await ask(h, pasted, 'And how long did it take to build?');
    assert.match(notice.content, /^This conversation is no longer available/u);
    assert.deepEqual(notice.embeds, [], 'no answer from an article it no longer has');

    // Its requester can still delete the summary: Discord says who asked for it.
    const bob = h.fake.userByName('bob');
    const refused = h.fake.sendButton({
      customId: 'verbatim:delete',
      messageId: pasted.summary.id,
      user: bob.id,
    });
    await refused.waitFor('responded');
    assert.match(refused.original?.content ?? '', /Only the person who asked/u);
    assert.equal(h.fake.message(pasted.summary.id)?.deleted, false);
    const click = h.fake.sendButton({ customId: 'verbatim:delete', messageId: pasted.summary.id });
    await click.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    assert.equal(h.fake.message(pasted.summary.id)?.deleted, true);
    assert.deepEqual(botMessagesIn(h, pasted.thread.id), []);
    assert.equal(h.fake.channel(pasted.thread.id).name, 'Deleted summary');
    assert.deepEqual(problems(h), []);
  });
});

describe('privacy on Discord: guilds the bot leaves', () => {
  let h: Harness;
  let ids: { one: string; two: string; three: string };
  const day = utcDay(Date.now());
  const posted = new Map<string, Posted>();

  before(async () => {
    h = await startHarness(null, {
      global: true,
      fake: { rateLimits: WIDE_BUCKETS, guilds: [{ name: 'one' }, { name: 'two' }, { name: 'three' }] },
    });
    const [one = '', two = '', three = ''] = [...h.fake.world.guilds.keys()];
    ids = { one, two, three };
    const store = h.bot.system.store;
    for (const [name, guildId] of Object.entries(ids)) {
      const channelId = h.fake.channelByName('general', guildId).id;
      const summary = await summarize(h, { text: pastedText(`guild ${name}`) }, { channelId });
      await ask(h, summary, 'How much did the barrier cost?', h.fake.userByName('bob').id);
      posted.set(guildId, summary);
      await store.addUsage({ guildId, userId: h.fake.user.id, day, inputTokens: 1, outputTokens: 1 });
    }
  });
  after(() => h.close());

  const keeps = async (guildId: string) => {
    const store = h.bot.system.store;
    const summary = posted.get(guildId);
    assert.ok(summary);
    return {
      thread: (await store.getThread(summary.summary.id)) !== undefined,
      turns: (await store.recentTurns(summary.summary.id, 10)).length,
      usage: (await store.getUsage({ guildId, day })).requests,
    };
  };

  it('GIVEN a guild outage (GUILD_DELETE unavailable) THEN nothing is purged', async () => {
    h.fake.guildOutage(ids.two);
    await eventually(
      () => h.logs.find((l) => l.msg.startsWith('guild unavailable') && l.guildId === ids.two),
      5000,
      'the outage log line',
    );
    assert.deepEqual(await keeps(ids.two), { thread: true, turns: 1, usage: 1 });
    assert.equal(h.logs.filter((l) => l.msg.startsWith('guild data purged')).length, 0);
    h.fake.guildRecovered(ids.two);
  });

  it('GIVEN the bot is removed from a guild THEN that guild’s threads, turns, jobs and usage are purged and the others are untouched', async () => {
    const store = h.bot.system.store;
    const job = (id: string, guildId: string) => ({
      id,
      kind: 'summarize',
      guildId,
      channelId: h.fake.channelByName('general', guildId).id,
      userId: h.fake.user.id,
      reply: { via: 'message' as const, messageId: '1' },
      startedAt: Date.now(),
      payload: null,
    });
    await store.recordJob(job('job-one', ids.one));
    await store.recordJob(job('job-two', ids.two));

    h.fake.removeBotFromGuild(ids.two);
    const purged = await eventually(
      () => h.logs.find((l) => l.msg.startsWith('guild data purged') && l.guildId === ids.two),
      5000,
      'the purge log line',
    );
    assert.deepEqual(
      {
        articles: purged.articles,
        threads: purged.threads,
        turns: purged.turns,
        jobs: purged.jobs,
        usageRows: purged.usageRows,
      },
      { articles: 1, threads: 1, turns: 1, jobs: 1, usageRows: 1 },
    );
    assert.equal(
      await store.getArticle(posted.get(ids.two)?.articleHash ?? ''),
      undefined,
      'its pasted text',
    );
    assert.ok(await store.getArticle(posted.get(ids.one)?.articleHash ?? ''));
    assert.deepEqual(await keeps(ids.two), { thread: false, turns: 0, usage: 0 });
    assert.deepEqual(await keeps(ids.one), { thread: true, turns: 1, usage: 1 });
    assert.deepEqual(await keeps(ids.three), { thread: true, turns: 1, usage: 1 });
    assert.deepEqual(
      (await store.unfinishedJobs()).map((j) => j.id),
      ['job-one'],
    );
    await store.finishJob('job-one');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the bot was removed from a guild while it was offline THEN its data is purged at start-up and the others are untouched', async () => {
    await h.restart({ whileStopped: () => h.fake.removeBotFromGuild(ids.three) });
    await eventually(
      () => h.logs.find((l) => l.msg.startsWith('guild data purged') && l.guildId === ids.three),
      10_000,
      'the start-up purge log line',
    );
    assert.deepEqual(await keeps(ids.three), { thread: false, turns: 0, usage: 0 });
    assert.deepEqual(await keeps(ids.one), { thread: true, turns: 1, usage: 1 });
    const store = h.bot.system.store;
    assert.equal(await store.getArticle(posted.get(ids.three)?.articleHash ?? ''), undefined);
    assert.ok(await store.getArticle(posted.get(ids.one)?.articleHash ?? ''));
    assert.deepEqual(problems(h), []);
  });
});

describe('privacy on Discord: records a full cache cannot lose', () => {
  const clock = { offsetMs: 0 };
  let h: Harness;
  let articles: ArticleServer;
  let ids: { one: string; two: string };

  before(async () => {
    articles = await startArticleServer({ '/news/plans': { body: longPage } });
    h = await startHarness(null, {
      articles,
      global: true,
      fake: { rateLimits: WIDE_BUCKETS, guilds: [{ name: 'one' }, { name: 'two' }] },
      env: { RETENTION_DAYS: '30' },
      now: () => Date.now() + clock.offsetMs,
      maxCacheEntries: 1,
    });
    const [one = '', two = ''] = [...h.fake.world.guilds.keys()];
    ids = { one, two };
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  /** Summaries of distinct pasted texts: each result cached evicts the one before (the bound is 1). */
  const fillCache = async (tag: string, count: number, channelId?: string) => {
    for (let i = 0; i < count; i++) {
      await summarize(h, { text: pastedText(`${tag} ${i}`) }, channelId ? { channelId } : {});
    }
  };

  it('GIVEN a summary over two messages WHEN the cache has evicted everything since THEN Delete still removes every message and closes its thread', async () => {
    const channelId = h.fake.channelByName('general', ids.one).id;
    const posted = await summarize(
      h,
      { url: articles.url('/news/plans'), length: 'detailed' },
      { channelId },
    );
    const delivered = await eventually(
      async () => {
        const record = await h.bot.system.store.getDelivery(posted.summary.id);
        return record && record.messageIds.length >= 2 ? record : null;
      },
      5000,
      'the summary’s two messages recorded',
    );
    await fillCache('evict', 3, channelId);

    const click = h.fake.sendButton({ customId: 'verbatim:delete', messageId: posted.summary.id });
    await click.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    for (const id of delivered.messageIds) {
      assert.equal(h.fake.message(id)?.deleted, true, `message ${id} of the summary is deleted`);
    }
    assert.deepEqual(botMessagesIn(h, posted.thread.id), [], 'the invitation in its thread is gone');
    assert.equal(h.fake.channel(posted.thread.id).name, 'Deleted summary');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN retention ran and the cache was used heavily WHEN the bot is removed from a guild while offline THEN that guild is still purged at start-up', async () => {
    clock.offsetMs = 31 * DAY_MS;
    const counts = await h.bot.retention.runOnce();
    assert.ok(counts, 'retention ran');
    clock.offsetMs = 0;
    const channelOne = h.fake.channelByName('general', ids.one).id;
    const channelTwo = h.fake.channelByName('general', ids.two).id;
    const inTwo = await summarize(
      h,
      { text: pastedText('guild two after retention') },
      { channelId: channelTwo },
    );
    const inOne = await summarize(
      h,
      { text: pastedText('guild one after retention') },
      { channelId: channelOne },
    );
    await fillCache('heavy', 3, channelOne);

    await h.restart({ whileStopped: () => h.fake.removeBotFromGuild(ids.two) });
    await eventually(
      () => h.logs.find((l) => l.msg.startsWith('guild data purged') && l.guildId === ids.two),
      10_000,
      'the start-up purge of the guild left while offline',
    );
    const store = h.bot.system.store;
    assert.equal(await store.getThread(inTwo.summary.id), undefined);
    assert.equal(await store.getArticle(inTwo.articleHash), undefined, 'its pasted text');
    assert.ok(await store.getThread(inOne.summary.id), 'the other guild keeps its conversation');
    assert.deepEqual(problems(h), []);
  });
});
