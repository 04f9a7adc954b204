import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { autoText } from '../../src/discord/texts.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { listingPage, longPage, page } from '../../testkit/discord/pages.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  Permission,
  type StoredMessage,
} from '../../testkit/fakes/discord/index.js';
import { assertQuotesFromArticle, botRepliesTo, embedsOf, replyTo } from './views.js';

const without = (...bits: bigint[]): bigint => bits.reduce((p, b) => p & ~b, DEFAULT_BOT_PERMISSIONS);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: Harness;
let articles: ArticleServer;
let adminId: string;
let otherGuildId: string;

/** Paths the article server answers with the fixture article (a path per test, so none is a duplicate by accident). */
const ARTICLE_PATHS = [
  '/a/person',
  '/a/visible',
  '/a/code',
  '/a/spoiler',
  '/a/suppressed',
  '/a/one',
  '/a/two',
  '/a/three',
  '/a/four',
  '/a/dup',
  '/a/threadless',
  '/a/bot',
  '/a/webhook',
  '/a/after-delete',
  '/a/after-edit',
  '/a/other-guild',
];

before(async () => {
  articles = await startArticleServer({
    ...Object.fromEntries(ARTICLE_PATHS.map((p) => [p, { body: page }])),
    '/a/long': { body: longPage },
    '/a/slow-delete': { body: page, delayMs: 1500 },
    '/a/slow-edit': { body: page, delayMs: 1500 },
    '/listing': { body: listingPage },
  });
  // The same article under another address that names /a/canon as its canonical URL.
  articles.set('/a/canon', { body: page });
  articles.set('/a/canon-alias', {
    body: page.replace('</head>', `<link rel="canonical" href="${articles.url('/a/canon')}">\n</head>`),
  });
  h = await startHarness(null, {
    articles,
    global: true,
    env: { DISCORD_MESSAGE_CONTENT: 'true' },
    fake: {
      messageContentEnabled: true,
      rateLimits: WIDE_BUCKETS,
      guilds: [
        {
          channels: [
            { name: 'general' },
            { name: 'news' },
            { name: 'no-threads', botPermissions: without(Permission.CreatePublicThreads) },
            { name: 'read-only', botPermissions: without(Permission.SendMessages) },
          ],
        },
        { name: 'Other', channels: [{ name: 'links' }] },
      ],
    },
  });
  adminId = h.fake.userByName('bob').id;
  h.fake.setMemberPermissions(adminId, Permission.ManageChannels);
  otherGuildId = otherGuild();
  h.fake.setMemberPermissions(adminId, Permission.ManageChannels, otherGuildId);
  assert.match(await autosummarize({ state: 'on' }, 'news'), /Auto-summaries are on in/u);
});
after(async () => {
  await h.close();
  await articles.close();
});

function otherGuild(): string {
  const id = [...h.fake.world.guilds.keys()].find((g) => g !== h.fake.guildId);
  assert.ok(id);
  return id;
}

const channel = (name: string, guildId?: string) => h.fake.channelByName(name, guildId).id;
const botMessages = (channelId: string) =>
  h.fake.messages(channelId).filter((m) => m.authorId === h.fake.botUser.id);

/** Runs `/autosummarize` as the admin in `where`; resolves with its private answer. */
async function autosummarize(
  options: Record<string, string>,
  where = 'general',
  guildId?: string,
): Promise<string> {
  const handle = h.fake.sendSlashCommand({
    name: 'autosummarize',
    options,
    user: adminId,
    channelId: channel(where, guildId),
    ...(guildId ? { guildId } : {}),
  });
  await handle.waitFor((r) => r.original !== null && r.original.content !== '');
  return handle.original?.content ?? '';
}

/** Alice posts `content` in #news (or `where`). */
const post = (content: string, where = 'news', guildId?: string) =>
  h.fake.postUserMessage({ channelId: channel(where, guildId), content });

/** The bot's replies to a message so far. */
const repliesTo = (message: StoredMessage) => botRepliesTo(h.fake, message);

/** Waits until the bot has dealt with a message (its log says the request ended), then a little longer. */
async function settled(message: StoredMessage): Promise<void> {
  await eventually(
    () =>
      h.logs.some(
        (l) =>
          l.requestId === message.id &&
          /request (completed|ended|done)|summary posted|pointer|unanswered|withdrawn|nothing posted/u.test(
            l.msg,
          ),
      ),
    10_000,
    `the bot to deal with message ${message.id}`,
  );
  await sleep(150);
}

async function metric(outcome: string): Promise<number> {
  const text = await h.bot.context.metrics.render();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`verbatim_auto_summary_links_total{outcome="${outcome}"}`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('auto-summaries in a channel', () => {
  it('GIVEN a person posts a link in an auto-summary channel THEN one summary replies to it, with quotes and a thread', async () => {
    const message = post(`Worth a read: ${articles.url('/a/person')}`);
    const reply = await replyTo(h.fake, message.channelId, message);
    assertQuotesFromArticle(embedsOf(reply), page.replace(/<[^>]+>/gu, ''));
    await eventually(
      () => h.fake.threads().some((t) => t.id === reply.id),
      5000,
      'a thread under the summary',
    );
    await settled(message);
    assert.equal(repliesTo(message).length, 1);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN messages from a bot, a webhook and the bot itself THEN none is summarized', async () => {
    const other = h.fake.addUser({ username: 'feedbot', bot: true });
    h.fake.postUserMessage({ channelId: channel('news'), content: articles.url('/a/bot'), user: other.id });
    h.fake.postWebhookMessage({ channelId: channel('news'), content: articles.url('/a/webhook') });
    // A person's message after them: once it is answered, the earlier ones had their turn.
    const marker = post(articles.url('/a/long'));
    await replyTo(h.fake, marker.channelId, marker);
    await sleep(300);
    assert.equal(articles.hits.get('/a/bot') ?? 0, 0);
    assert.equal(articles.hits.get('/a/webhook') ?? 0, 0);
    const ownIds = new Set(botMessages(channel('news')).map((m) => m.id));
    assert.ok(
      !h.logs.some((l) => typeof l.requestId === 'string' && ownIds.has(l.requestId)),
      'no request was made of the bot’s own messages',
    );
  });

  it('GIVEN links inside code, a spoiler and angle brackets THEN only the visible link is summarized', async () => {
    const message = post(
      [
        `\`\`\`\n${articles.url('/a/code')}\n\`\`\``,
        `||${articles.url('/a/spoiler')}||`,
        `<${articles.url('/a/suppressed')}>`,
        `and ${articles.url('/a/visible')}.`,
      ].join('\n'),
    );
    await replyTo(h.fake, message.channelId, message);
    await settled(message);
    assert.equal(repliesTo(message).length, 1);
    for (const path of ['/a/code', '/a/spoiler', '/a/suppressed'])
      assert.equal(articles.hits.get(path) ?? 0, 0, path);
    assert.equal(articles.hits.get('/a/visible'), 1);
  });

  it('GIVEN four links in one message THEN the first three get a summary each, the fourth none', async () => {
    const message = post(['/a/one', '/a/two', '/a/three', '/a/four'].map((p) => articles.url(p)).join(' '));
    await eventually(() => repliesTo(message).length >= 3 || undefined, 20_000, 'three summaries');
    await settled(message);
    assert.equal(repliesTo(message).length, 3);
    assert.equal(articles.hits.get('/a/four') ?? 0, 0);
  });

  it('GIVEN the same link again within a day, even after a restart THEN a one-line pointer to the first summary, not a second summary', async () => {
    const first = post(articles.url('/a/dup'));
    const summary = await replyTo(h.fake, first.channelId, first);
    await settled(first);
    const second = h.fake.postUserMessage({
      channelId: channel('news'),
      content: `again: ${articles.url('/a/dup')}?utm_source=feed`,
      user: adminId,
    });
    const pointer = await replyTo(h.fake, second.channelId, second);
    assert.equal(pointer.embeds.length, 0);
    assert.ok(!pointer.content.includes('\n'), 'one line');
    assert.ok(pointer.content.includes(`/channels/${h.fake.guildId}/${first.channelId}/${summary.id}`));
    assert.match(pointer.content, /already summarized here <t:\d+:R>/u);
    await h.restart();
    const third = post(articles.url('/a/dup'));
    const again = await replyTo(h.fake, third.channelId, third);
    assert.ok(again.content.includes(summary.id), 'the pointer survives a restart');
    await settled(third);
    assert.equal(articles.hits.get('/a/dup'), 1, 'fetched once');
    assert.ok((await metric('pointer')) >= 1);
  });

  it('GIVEN another address whose canonical URL was summarized here THEN the pointer, not a second summary', async () => {
    const first = post(articles.url('/a/canon'));
    const summary = await replyTo(h.fake, first.channelId, first);
    await settled(first);
    const alias = post(`same story: ${articles.url('/a/canon-alias')}`);
    const pointer = await replyTo(h.fake, alias.channelId, alias);
    assert.equal(pointer.embeds.length, 0);
    assert.ok(pointer.content.includes(summary.id));
  });

  it('GIVEN a page that is not an article THEN no reply and no error in the channel, but it is logged and counted', async () => {
    const before = await metric('not_an_article');
    const message = post(articles.url('/listing'));
    await eventually(
      () => h.logs.some((l) => l.requestId === message.id && l.msg === 'auto-summary: link left unanswered'),
      10_000,
      'the unanswered link logged',
    );
    await sleep(200);
    assert.equal(repliesTo(message).length, 0);
    assert.equal(await metric('not_an_article'), before + 1);
  });

  it('GIVEN a message deleted before its summary is posted THEN nothing is posted', async () => {
    const message = post(articles.url('/a/slow-delete'));
    await eventually(() => articles.hits.get('/a/slow-delete'), 5000, 'the fetch to start');
    h.fake.deleteUserMessage(message.id);
    await eventually(
      () => h.logs.some((l) => l.requestId === message.id && /nothing posted/u.test(l.msg)),
      10_000,
      'the withdrawal',
    );
    await sleep(200);
    assert.equal(
      h.fake.messages(channel('news')).filter((m) => m.api.message_reference?.message_id === message.id)
        .length,
      0,
    );
  });

  it('GIVEN a message edited to remove its link before the summary is posted THEN nothing is posted', async () => {
    const message = post(`look ${articles.url('/a/slow-edit')}`);
    await eventually(() => articles.hits.get('/a/slow-edit'), 5000, 'the fetch to start');
    h.fake.editUserMessage(message.id, 'look (never mind)');
    await eventually(
      () => h.logs.some((l) => l.requestId === message.id && /nothing posted/u.test(l.msg)),
      10_000,
      'the withdrawal',
    );
    await sleep(200);
    assert.equal(repliesTo(message).length, 0);
  });

  it('GIVEN a summary posted THEN deleting the message, or editing its link away, deletes the summary and closes its thread', async () => {
    const deleted = post(articles.url('/a/after-delete'));
    const first = await replyTo(h.fake, deleted.channelId, deleted);
    await settled(deleted);
    h.fake.deleteUserMessage(deleted.id);
    await eventually(() => h.fake.message(first.id)?.deleted, 5000, 'the summary deleted');

    const edited = post(`${articles.url('/a/after-edit')} and ${articles.url('/a/long')}`);
    await eventually(() => repliesTo(edited).length >= 2 || undefined, 10_000, 'two replies');
    await settled(edited);
    const [summary, pointer] = repliesTo(edited);
    assert.ok(summary && pointer);
    h.fake.editUserMessage(edited.id, `only ${articles.url('/a/long')} now`);
    await eventually(() => h.fake.message(summary.id)?.deleted, 5000, 'the edited-away summary deleted');
    assert.equal(h.fake.message(pointer.id)?.deleted, false, 'the pointer for the link still there stays');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a channel where the bot may not create threads THEN the summary comes without a thread, with the note', async () => {
    assert.match(await autosummarize({ state: 'on' }, 'no-threads'), /no thread for questions/u);
    const message = post(articles.url('/a/threadless'), 'no-threads');
    const reply = await replyTo(h.fake, message.channelId, message);
    assert.match(
      reply.content,
      /No thread for questions here: I am missing the Create Public Threads permission/u,
    );
  });

  it('GIVEN who may use /autosummarize THEN a member without Manage Channels cannot, and the bot refuses a channel it cannot post in', async () => {
    assert.throws(
      () =>
        h.fake.sendSlashCommand({
          name: 'autosummarize',
          options: { state: 'on' },
          channelId: channel('news'),
        }),
      /lacks the permissions \/autosummarize/u,
    );
    assert.match(
      await autosummarize({ state: 'on', channel: channel('read-only') }),
      /can’t post in <#\d+>: I am missing the Send Messages permission/u,
    );
    assert.equal(await h.bot.system.store.getAutoSummaryChannel(channel('read-only')), undefined);
  });

  it('GIVEN /autosummarize alone, domains, off THEN it lists the channels, links of excluded domains are skipped, and off stops it', async () => {
    assert.match(
      await autosummarize({
        state: 'on',
        channel: channel('general'),
        exclude: '127.0.0.1',
        length: 'short',
      }),
      /short summaries; not 127\.0\.0\.1/u,
    );
    const listed = await autosummarize({});
    assert.match(
      listed,
      new RegExp(
        `<#${channel('general')}>: short summaries; not 127\\.0\\.0\\.1, turned on by <@${adminId}>`,
        'u',
      ),
    );
    assert.match(listed, new RegExp(`<#${channel('news')}>: standard summaries`, 'u'));
    const skipped = post(articles.url('/a/long'), 'general');
    await sleep(500);
    assert.equal(repliesTo(skipped).length, 0);
    assert.match(await autosummarize({ state: 'off', channel: channel('general') }), /off in/u);
    assert.match(await autosummarize({ state: 'off', channel: channel('general') }), /were not on/u);
    assert.match(await autosummarize({ include: 'example.com' }), /state: on/u);
    assert.match(
      await autosummarize({ state: 'on', include: 'not a domain!' }),
      /could not read the domains/u,
    );
  });

  it('GIVEN /forget by the admin THEN the preview names the channels they turned on; forgetting keeps them on, without their name', async () => {
    const preview = h.fake.sendSlashCommand({ name: 'forget', user: adminId, channelId: channel('general') });
    await preview.waitFor('edited');
    assert.match(
      preview.original?.content ?? '',
      /your name on 2 channels where you turned auto-summaries on/u,
    );
    const confirm = h.fake.sendButton({
      customId: `verbatim:forget:confirm:${adminId}`,
      messageId: preview.original?.id ?? '',
      user: adminId,
    });
    await confirm.waitFor((r) => /Deleted/u.test(r.original?.content ?? ''));
    const setting = await h.bot.system.store.getAutoSummaryChannel(channel('news'));
    assert.equal(setting?.updatedBy, null);
  });

  it('GIVEN the bot is removed from a guild THEN that guild’s auto-summary settings and links are purged', async () => {
    const guildId = otherGuild();
    assert.match(await autosummarize({ state: 'on' }, 'links', guildId), /on in/u);
    const message = post(articles.url('/a/other-guild'), 'links', guildId);
    await replyTo(h.fake, message.channelId, message);
    await settled(message);
    const { store } = h.bot.system;
    assert.ok(await store.getAutoSummaryChannel(channel('links', guildId)));
    assert.equal((await store.autoSummaryLinksFor(message.id)).length, 1);
    h.fake.removeBotFromGuild(guildId);
    await eventually(
      async () => (await store.getAutoSummaryChannel(channel('links', guildId))) === undefined,
      5000,
      'purge',
    );
    assert.deepEqual(await store.autoSummaryLinksFor(message.id), []);
  });
});

describe('auto-summaries without the Message Content intent', () => {
  it('GIVEN DISCORD_MESSAGE_CONTENT off THEN /autosummarize on says so and how to enable it, and stores nothing', async (t) => {
    const bare = await startHarness(t, { global: true });
    const admin = bare.fake.userByName('bob').id;
    bare.fake.setMemberPermissions(admin, Permission.ManageChannels);
    const handle = bare.fake.sendSlashCommand({
      name: 'autosummarize',
      options: { state: 'on' },
      user: admin,
    });
    await handle.waitFor('edited');
    assert.equal(handle.original?.content, autoText.noIntent);
    assert.match(autoText.noIntent, /DISCORD_MESSAGE_CONTENT=true/u);
    assert.match(autoText.noIntent, /Message Content Intent/u);
    assert.deepEqual(await bare.bot.system.store.autoSummaryChannelsIn(bare.fake.guildId), []);
    const listed = bare.fake.sendSlashCommand({ name: 'autosummarize', user: admin });
    await listed.waitFor('edited');
    assert.match(listed.original?.content ?? '', /Message Content intent is off/u);
  });
});
