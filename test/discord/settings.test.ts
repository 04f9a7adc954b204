import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page } from '../../testkit/discord/pages.js';
import {
  DEFAULT_MEMBER_PERMISSIONS,
  type InteractionHandle,
  Permission,
  type StoredMessage,
} from '../../testkit/fakes/discord/index.js';
import { botRepliesTo, embedsOf, finalReply, replyTo } from './views.js';

/** The Refresh button's custom id under a summary of a link: it carries the summary's options. */
const refreshIdOf = (m: StoredMessage): string =>
  JSON.stringify(m.components).match(/verbatim:refresh:[^"]*/u)?.[0] ?? '';

/** The private reply of `/settings` once it is final. */
async function privateText(handle: InteractionHandle): Promise<string> {
  await handle.waitFor((x) => x.ephemeral && x.original !== null && x.original.content !== '', 10_000);
  return handle.original?.content ?? '';
}

const CUSTOM = { id: '123456789012345678', name: 'readit' };

describe('server defaults (/settings) and a reaction to summarize', () => {
  let h: Harness;
  let articles: ArticleServer;
  let guildA: string;
  let guildB: string;
  let general: string;
  let alice: string;
  let bob: string;
  let otherBot: string;
  let path = 0;
  /** A new link to the article (a new path, so no cached summary or claim answers). */
  const link = () => {
    path++;
    articles.set(`/news/${path}`, { body: page });
    return articles.url(`/news/${path}`);
  };
  /** The bot's replies to a message, in its channel. */
  const repliesTo = (message: StoredMessage) => botRepliesTo(h.fake, message);
  const settings = (options: Record<string, string | boolean>, guildId = guildA) =>
    h.fake.sendSlashCommand({
      name: 'settings',
      options,
      user: alice,
      channelId: h.fake.channelByName('general', guildId).id,
    });

  before(async () => {
    articles = await startArticleServer();
    h = await startHarness(null, {
      articles,
      global: true,
      env: { DISCORD_MESSAGE_CONTENT: 'true' },
      fake: {
        rateLimits: WIDE_BUCKETS,
        messageContentEnabled: true,
        guilds: [{ name: 'Guild A' }, { name: 'Guild B' }],
      },
    });
    [guildA = '', guildB = ''] = [...h.fake.world.guilds.keys()];
    general = h.fake.channelByName('general', guildA).id;
    alice = h.fake.userByName('alice').id;
    bob = h.fake.userByName('bob').id;
    otherBot = h.fake.addUser({ username: 'newsfeed', bot: true }).id;
    for (const guildId of [guildA, guildB]) {
      h.fake.setMemberPermissions(alice, DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild, guildId);
    }
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN nothing set THEN /settings shows the bot’s own defaults, privately', async () => {
    const text = await privateText(settings({}));
    assert.match(text, /^• Length: standard \(the bot’s default\)$/mu);
    assert.match(text, /^• Language: each reader’s Discord language/mu);
    assert.match(text, /^• Private: no, summaries are posted in the channel$/mu);
    assert.match(text, /^• Reaction that asks for a summary: 📰 \(the bot’s default\)$/mu);
    assert.match(text, /`\/settings length:`/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN defaults set THEN /summarize uses them, its own options override them, and /settings shows who set them', async () => {
    const saved = await privateText(settings({ length: 'short', language: 'fr', private: true }));
    assert.match(saved, /^\*\*Settings saved\.\*\*/u);
    assert.match(saved, /^• Length: short$/mu);
    assert.match(saved, /^• Language: French$/mu);
    assert.match(saved, /^• Private: yes/mu);

    const byDefault = h.fake.sendSlashCommand({ name: 'summarize', options: { url: link() }, user: bob });
    const summary = await finalReply(byDefault);
    assert.equal(byDefault.ephemeral, true, 'private by the server’s default');
    assert.equal(refreshIdOf(summary), 'verbatim:refresh:short:fr:p');

    const overridden = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: link(), length: 'detailed', language: 'original', private: false },
      user: bob,
    });
    const own = await finalReply(overridden);
    assert.equal(overridden.ephemeral, false, 'the request’s own private:false wins');
    assert.equal(refreshIdOf(own), 'verbatim:refresh:detailed::-');

    const shown = await privateText(settings({}));
    assert.match(shown, /^• Length: short$/mu);
    assert.ok(shown.includes(`Last changed by <@${alice}>`), shown);
    const body = h.fake.recordedPayloads().at(-1)?.payload.body as {
      allowed_mentions?: { parse?: unknown[] };
    };
    assert.deepEqual(body.allowed_mentions?.parse, [], 'naming the admin pings nobody');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN defaults set THEN the Summarize menu and a mention use them (a mention always in public)', async () => {
    const target = h.fake.postUserMessage({ content: `read ${link()}`, user: bob, channelId: general });
    const menu = h.fake.sendMessageContextMenu({ name: 'Summarize', targetMessageId: target.id, user: bob });
    const fromMenu = await finalReply(menu);
    assert.equal(menu.ephemeral, true);
    assert.equal(refreshIdOf(fromMenu), 'verbatim:refresh:short:fr:p');

    const mention = h.fake.postUserMessage({
      content: link(),
      mentionsBot: true,
      user: bob,
      channelId: general,
    });
    const reply = await replyTo(h.fake, general, mention, 15_000);
    assert.equal(refreshIdOf(reply), 'verbatim:refresh:short:fr:-');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a person reacts 📰 THEN the message’s link is summarized as a reply to it, charged to them; a second reaction adds nothing', async () => {
    const post = h.fake.postUserMessage({
      content: `Worth a read: ${link()}`,
      user: alice,
      channelId: general,
    });
    assert.equal(h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: bob }), true);
    const reply = await replyTo(h.fake, general, post, 15_000);
    assert.ok(embedsOf(reply).length > 0, 'the summary itself');
    assert.equal(refreshIdOf(reply), 'verbatim:refresh:short:fr:-', 'the server’s defaults, in public');
    const posted = await eventually(
      () => h.logs.find((l) => l.msg === 'summary posted' && l.requestId === post.id),
      10_000,
      'the summary’s log line',
    );
    assert.equal(posted.userId, bob, 'logged (and charged) as the person who reacted');

    h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: alice });
    await eventually(
      () => h.logs.some((l) => l.msg.startsWith('message already summarized for an earlier reaction')),
      10_000,
      'the second reaction to be seen',
    );
    await sleep(200);
    assert.equal(repliesTo(post).length, 1, 'one reaction → one summary');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a reaction by a bot, or to the bot’s own or another bot’s message, or with another emoji THEN nothing happens', async () => {
    const byPerson = h.fake.postUserMessage({ content: `See ${link()}`, user: alice, channelId: general });
    h.fake.addUserReaction({ messageId: byPerson.id, emoji: { name: '📰' }, user: otherBot });
    h.fake.addUserReaction({ messageId: byPerson.id, emoji: { name: '👍' }, user: bob });
    const byBot = h.fake.postUserMessage({ content: `Feed: ${link()}`, user: otherBot, channelId: general });
    h.fake.addUserReaction({ messageId: byBot.id, emoji: { name: '📰' }, user: bob });
    const own = h.fake.messages(general).findLast((m) => m.authorId === h.fake.botUser.id);
    assert.ok(own, 'a summary of the bot’s own to react to');
    h.fake.addUserReaction({ messageId: own.id, emoji: { name: '📰' }, user: bob });

    // A reaction that does summarize, after the others: once its reply is there, the others had time.
    const control = h.fake.postUserMessage({ content: `Also ${link()}`, user: alice, channelId: general });
    h.fake.addUserReaction({ messageId: control.id, emoji: { name: '📰' }, user: bob });
    await replyTo(h.fake, general, control, 15_000);
    await sleep(200);
    assert.equal(repliesTo(byPerson).length, 0, 'a bot’s reaction, or another emoji');
    assert.equal(repliesTo(byBot).length, 0, 'another bot’s message');
    assert.equal(repliesTo(own).length, 0, 'the bot’s own message');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a custom emoji configured THEN reacting with it summarizes and 📰 no longer does; a non-emoji is refused', async () => {
    const refused = await privateText(settings({ reaction_emoji: 'summarize please' }));
    assert.match(refused, /is not an emoji I can watch for/u);
    const saved = await privateText(settings({ reaction_emoji: `<:${CUSTOM.name}:${CUSTOM.id}>` }));
    assert.ok(saved.includes(`Reaction that asks for a summary: <:${CUSTOM.name}:${CUSTOM.id}>`), saved);

    const old = h.fake.postUserMessage({ content: `Old way ${link()}`, user: alice, channelId: general });
    h.fake.addUserReaction({ messageId: old.id, emoji: { name: '📰' }, user: bob });
    const post = h.fake.postUserMessage({ content: `New way ${link()}`, user: alice, channelId: general });
    h.fake.addUserReaction({ messageId: post.id, emoji: CUSTOM, user: bob });
    await replyTo(h.fake, general, post, 15_000);
    await sleep(200);
    assert.equal(repliesTo(old).length, 0, '📰 is not the server’s emoji any more');

    const reset = await privateText(settings({ reset: 'all' }));
    assert.match(reset, /^• Reaction that asks for a summary: 📰 \(the bot’s default\)$/mu);
    assert.match(reset, /^• Length: standard \(the bot’s default\)$/mu);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN an admin who set a server’s settings THEN /forget’s preview names it', async () => {
    const forget = h.fake.sendSlashCommand({ name: 'forget', user: alice });
    const text = await privateText(forget);
    assert.match(text, /your name as who last changed the settings of 1 server \(the settings stay\)/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the bot is removed from a server THEN its settings are purged with it', async () => {
    await privateText(settings({ length: 'detailed' }, guildB));
    const store = h.bot.system.store;
    assert.equal((await store.getGuildSettings(guildB))?.summaryLength, 'detailed');
    h.fake.removeBotFromGuild(guildB);
    await eventually(async () => (await store.getGuildSettings(guildB)) === undefined, 10_000, 'the purge');
    assert.ok(await store.getGuildSettings(guildA), 'the other server keeps its own');
    assert.deepEqual(problems(h), []);
  });
});

describe('a reaction without the Message Content intent', () => {
  let h: Harness;
  let articles: ArticleServer;
  before(async () => {
    articles = await startArticleServer({ '/news/a': { body: page }, '/news/b': { body: page } });
    h = await startHarness(null, { articles, global: true, fake: { rateLimits: WIDE_BUCKETS } });
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN an ordinary message THEN its link is not visible and a reaction does nothing; a mention is summarized once, not again for a reaction', async () => {
    const bob = h.fake.userByName('bob');
    const ordinary = h.fake.postUserMessage({ content: `Read ${articles.url('/news/a')}` });
    h.fake.addUserReaction({ messageId: ordinary.id, emoji: { name: '📰' }, user: bob });
    const mention = h.fake.postUserMessage({ content: articles.url('/news/b'), mentionsBot: true });
    const reply = await replyTo(h.fake, h.fake.channelId, mention, 15_000);
    h.fake.addUserReaction({ messageId: mention.id, emoji: { name: '📰' }, user: bob });
    await eventually(() => h.fake.threads().some((t) => t.id === reply.id), 10_000, 'the mention’s thread');
    await sleep(300);
    const botReplies = (to: StoredMessage) =>
      h.fake
        .messages(h.fake.channelId)
        .filter((m) => m.authorId === h.fake.botUser.id && m.api.message_reference?.message_id === to.id);
    assert.equal(botReplies(ordinary).length, 0, 'nothing to read, nothing posted (and no error)');
    assert.equal(botReplies(mention).length, 1, 'the mention’s summary only');
    assert.equal(articles.hits.get('/news/a') ?? 0, 0, 'the hidden link was never fetched');
    assert.equal(
      h.fake.identifyPayloads[0]?.intents,
      (1 << 0) | (1 << 9) | (1 << 10),
      'Guilds, GuildMessages and GuildMessageReactions: nothing privileged',
    );
    assert.deepEqual(problems(h), []);
  });
});

describe('a reaction counts toward the rate limit of whoever reacted', () => {
  let h: Harness;
  let articles: ArticleServer;
  before(async () => {
    articles = await startArticleServer({ '/news/a': { body: page }, '/news/b': { body: page } });
    h = await startHarness(null, {
      articles,
      global: true,
      env: { DISCORD_MESSAGE_CONTENT: 'true', DISCORD_USER_SUMMARIES_PER_MINUTE: '1' },
      fake: { rateLimits: WIDE_BUCKETS, messageContentEnabled: true },
    });
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN the reactor used up their summaries THEN they are told by name, the claim is given back, and another person’s reaction summarizes', async () => {
    const bob = h.fake.userByName('bob');
    const alice = h.fake.userByName('alice');
    await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { url: articles.url('/news/a') }, user: bob }),
    );
    const post = h.fake.postUserMessage({ content: `Look: ${articles.url('/news/b')}`, user: alice });
    h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: bob });
    const refusal = await replyTo(h.fake, h.fake.channelId, post, 10_000);
    assert.match(refusal.content, new RegExp(`^<@${bob.id}> You have asked for several summaries`, 'u'));
    assert.equal(refusal.embeds.length, 0);

    h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: alice });
    const summary = await h.fake.waitForMessage(
      h.fake.channelId,
      (m) => m.api.message_reference?.message_id === post.id && m.embeds.length > 0,
      15_000,
    );
    assert.ok(summary, 'alice’s reaction got the summary, charged to her');
    assert.deepEqual(problems(h), []);
  });
});
