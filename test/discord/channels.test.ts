import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notices } from '../../src/discord/messages.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pasted } from '../../testkit/discord/pages.js';
import {
  ChannelType,
  DEFAULT_BOT_PERMISSIONS,
  Permission,
  type StoredMessage,
} from '../../testkit/fakes/discord/index.js';
import { assertQuotesFromArticle, embedsOf, finalReply, replyTo, shownText, squash } from './views.js';

const without = (...bits: bigint[]): bigint => bits.reduce((p, b) => p & ~b, DEFAULT_BOT_PERMISSIONS);

let h: Harness;
let articles: ArticleServer;
before(async () => {
  articles = await startArticleServer({ '/news/barrier': { body: page } });
  h = await startHarness(null, {
    articles,
    env: { REFRESH_MIN_INTERVAL_SECONDS: '0' },
    global: true,
    fake: {
      rateLimits: WIDE_BUCKETS,
      guilds: [
        {
          channels: [
            { name: 'general', threads: [{ name: 'old', archived: true }] },
            { name: 'no-threads', botPermissions: without(Permission.CreatePublicThreads) },
            { name: 'no-embeds', botPermissions: without(Permission.EmbedLinks) },
            { name: 'read-only', botPermissions: without(Permission.SendMessages) },
            { name: 'news', type: ChannelType.GuildAnnouncement },
            { name: 'lounge', type: ChannelType.GuildVoice },
            { name: 'help', type: ChannelType.GuildForum, threads: [{ name: 'Barrier post' }] },
            { name: 'mod-room', threads: [{ name: 'closed', archived: true, locked: true }] },
            { name: 'future', type: 99 },
          ],
        },
        { name: 'Elsewhere', botMember: false, channels: [{ name: 'outside' }] },
      ],
    },
  });
});
after(async () => {
  await h.close();
  await articles.close();
});

const channel = (name: string, guildId?: string) => h.fake.channelByName(name, guildId);
/** Requests to one channel's routes that Discord refused. */
const refusedIn = (channelId: string) =>
  h.fake.requests().filter((r) => r.path.includes(`/channels/${channelId}`) && r.status >= 400);
/** Mentions the bot in `channelId` with the pasted article attached as a text file. */
const mentionWithArticle = (channelId: string, content: string, as: { readonly moderator?: boolean } = {}) =>
  h.fake.postUserMessage({
    channelId,
    content,
    mentionsBot: true,
    attachments: [h.fake.addAttachment('barrier.txt', 'text/plain', pasted)],
    ...as,
  });
const botMessages = (channelId: string) =>
  h.fake.messages(channelId).filter((m) => m.authorId === h.fake.botUser.id);

/** Presses "Ask a question" under a summary and submits a question; resolves with the answer's interaction. */
async function askWithButton(summary: StoredMessage, question: string) {
  const click = h.fake.sendButton({ customId: 'verbatim:ask', messageId: summary.id });
  await click.waitFor('modal');
  const submit = h.fake.sendModalSubmit({
    customId: `verbatim:ask-modal:${summary.id}`,
    fields: { question },
    fromInteraction: click,
  });
  await finalReply(submit);
  return submit;
}

describe('where Verbatim runs: channel kinds, permissions, installs', () => {
  it('GIVEN no Create Public Threads THEN the summary is delivered without a thread, one line names the missing permission, and the Ask button answers', async () => {
    const where = channel('no-threads');
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: where.id,
    });
    const summary = await finalReply(handle);
    assertQuotesFromArticle(embedsOf(summary), pasted);
    assert.equal(
      summary.content,
      '-# No thread for questions here: I am missing the Create Public Threads permission in this channel. Ask with the **Ask a question** button.',
    );
    assert.equal(
      h.fake.threads().some((t) => t.parent_id === where.id),
      false,
      'no thread was even attempted',
    );
    const submit = await askWithButton(summary, 'How much did the barrier cost?');
    assert.equal(submit.ephemeral, true);
    assert.ok(
      assertQuotesFromArticle(embedsOf(submit.original as StoredMessage), pasted).some((q) =>
        q.includes('310 million'),
      ),
    );
    assert.deepEqual(refusedIn(where.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN no Embed Links WHEN someone mentions the bot with a file THEN the summary comes as plain text within 2,000 characters per message, saying why, and nothing is refused', async () => {
    const where = channel('no-embeds');
    const asked = mentionWithArticle(where.id, 'please');
    const last = await h.fake.waitForMessage(where.id, (m) => m.content.includes('Embed Links'), 15_000);
    const sent = botMessages(where.id);
    assert.ok(sent.length >= 1);
    assert.equal(sent.at(-1)?.id, last.id, 'the note ends the last message of the summary');
    assert.equal(sent[0]?.api.message_reference?.message_id, asked.id, 'the first is a reply to the request');
    for (const m of sent) {
      assert.equal(m.embeds.length, 0);
      assert.ok([...m.content].length <= 2000, `message of ${m.content.length} characters`);
    }
    assert.ok(last.content.endsWith(`\n${notices.plainText}`), 'the note ends the summary’s last message');
    assert.ok(last.content.length > notices.plainText.length + 1, 'not a message of its own');
    const text = squash(shownText(sent.map((m) => m.content).join('\n')));
    assert.match(text, /Harbor Town Opens Its Tidal Barrier/u);
    const quotes = [...text.matchAll(/“([^”]+)”/gu)].map((m) => m[1] ?? '');
    assert.ok(quotes.length > 0);
    for (const q of quotes)
      assert.ok(squash(pasted).includes(squash(q)), `quote from the article: ${q.slice(0, 60)}`);
    assert.ok(JSON.stringify(sent[0]?.components).includes('verbatim:ask'), 'the buttons come with it');
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === sent[0]?.id), 5000, 'thread');
    assert.equal(thread.parent_id, where.id, 'threads still open here: only embeds are missing');

    const invite = await h.fake.waitForMessage(thread.id, (m) =>
      m.content.startsWith('Reply to this message'),
    );
    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'How much did the barrier cost?',
      replyToMessageId: invite.id,
    });
    const answer = await replyTo(h.fake, thread.id, question, 15_000);
    assert.equal(answer.embeds.length, 0);
    assert.match(shownText(answer.content), /310 million euros/u, 'the answer, as plain text');
    const submit = await askWithButton(sent[0] as StoredMessage, 'How much does each gate weigh?');
    assert.equal(
      submit.original?.content,
      notices.threadUnavailable,
      'not posted in a thread it cannot embed in',
    );
    assert.ok(
      (submit.original?.embeds.length ?? 0) > 0,
      'the private answer may embed: it is the interaction’s',
    );
    assert.deepEqual(refusedIn(thread.id), []);
    assert.deepEqual(refusedIn(where.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN no Send Messages WHEN someone mentions the bot with a file THEN it posts nothing, logs what is missing and counts it', async () => {
    const where = channel('read-only');
    const asked = mentionWithArticle(where.id, 'please');
    const line = await eventually(
      () => h.logs.find((l) => l.msg === 'cannot answer here: may not post' && l.requestId === asked.id),
      5000,
      'the log line',
    );
    assert.deepEqual(line.missing, ['Send Messages']);
    assert.match(
      await h.bot.context.metrics.render(),
      /verbatim_unanswerable_messages_total\{kind="mention"\} 1/u,
    );
    assert.deepEqual(botMessages(where.id), []);
    assert.deepEqual(refusedIn(where.id), [], 'not even attempted');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a forum post THEN /summarize answers in it without a nested thread, and replies, a bare mention and the button take questions there', async () => {
    const post = channel('Barrier post');
    const threadsBefore = h.fake.threads().length;
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: post.id,
    });
    const summary = await finalReply(handle);
    assert.equal(summary.channelId, post.id);
    assert.equal(summary.content, '', 'no note: a summary never opens a thread inside a thread');
    assertQuotesFromArticle(embedsOf(summary), pasted);

    const mention = mentionWithArticle(post.id, 'this too');
    const reply = await replyTo(h.fake, post.id, mention, 15_000);
    assert.ok(reply.embeds.length > 0);
    await eventually(
      () => h.logs.find((l) => l.msg === 'summary posted' && l.requestId === mention.id),
      5000,
      'the conversation stored',
    );
    const question = h.fake.postUserMessage({
      channelId: post.id,
      content: 'How much does each gate weigh?',
      replyToMessageId: reply.id,
    });
    const answer = await replyTo(h.fake, post.id, question, 15_000);
    assert.ok(assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('480 tonnes')));
    const submit = await askWithButton(summary, 'When is the drill held?');
    assert.ok((submit.original?.embeds.length ?? 0) > 0);

    // A bare mention with a question (no reply, no link): about the latest summary in the post.
    const bare = h.fake.postUserMessage({
      channelId: post.id,
      content: 'How much does each gate weigh?',
      mentionsBot: true,
    });
    const bareAnswer = await replyTo(h.fake, post.id, bare, 15_000);
    assert.notEqual(bareAnswer.content, notices.mentionHelp, 'answered, not told how to ask');
    assert.ok(assertQuotesFromArticle(embedsOf(bareAnswer), pasted).some((q) => q.includes('480 tonnes')));
    assert.equal(h.fake.threads().length, threadsBefore, 'no thread was opened');
    assert.deepEqual(refusedIn(post.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN an archived thread WHEN someone mentions the bot in it THEN the thread comes back and the summary is posted there', async () => {
    const old = channel('old');
    const mention = mentionWithArticle(old.id, 'summarize');
    const reply = await replyTo(h.fake, old.id, mention, 15_000);
    assertQuotesFromArticle(embedsOf(reply), pasted);
    assert.equal(h.fake.channel(old.id).thread_metadata?.archived, false);
    assert.equal(
      h.fake.threads().some((t) => t.parent_id === old.id),
      false,
      'threads do not nest',
    );
    assert.deepEqual(refusedIn(old.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a locked thread WHEN a moderator mentions the bot in it THEN the bot, which may not post there, logs it instead of failing', async () => {
    const closed = channel('closed');
    const mention = mentionWithArticle(closed.id, 'summarize', { moderator: true });
    const line = await eventually(
      () => h.logs.find((l) => l.msg === 'cannot answer here: may not post' && l.requestId === mention.id),
      5000,
      'the log line',
    );
    assert.deepEqual(line.missing, ['Manage Threads']);
    assert.deepEqual(botMessages(closed.id), []);
    assert.deepEqual(refusedIn(closed.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a summary whose thread was locked and archived WHEN someone asks with the button THEN the answer comes privately, saying the thread is locked', async () => {
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    await h.fake.waitForMessage(thread.id);
    const meta = h.fake.channel(thread.id).thread_metadata;
    assert.ok(meta);
    meta.locked = true;
    meta.archived = true;
    const submit = await askWithButton(summary, 'How much did the barrier cost?');
    assert.equal(submit.ephemeral, true);
    assert.equal(submit.original?.content, notices.threadLocked);
    assert.ok(assertQuotesFromArticle(embedsOf(submit.original as StoredMessage), pasted).length > 0);
    assert.deepEqual(refusedIn(thread.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a DM with the bot THEN the summary comes without a thread or a note', async () => {
    const dm = h.fake.openDm();
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: dm.id,
    });
    const summary = await finalReply(handle);
    assert.equal(summary.content, '');
    assertQuotesFromArticle(embedsOf(summary), pasted);
    assert.equal(
      h.fake.threads().some((t) => t.parent_id === dm.id),
      false,
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the app installed by a user in a server without the bot THEN the summary comes through the interaction, says why there is no thread, and the button answers', async () => {
    const elsewhere = [...h.fake.world.guilds.values()].find((g) => !g.botMember);
    assert.ok(elsewhere);
    const outside = channel('outside', elsewhere.id);
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: outside.id,
    });
    const summary = await finalReply(handle);
    assert.deepEqual(handle.payload.authorizing_integration_owners, { '1': h.fake.user.id });
    assertQuotesFromArticle(embedsOf(summary), pasted);
    assert.equal(summary.content, notices.noThreadNotMember);
    const submit = await askWithButton(summary, 'How much did the barrier cost?');
    assert.ok(assertQuotesFromArticle(embedsOf(submit.original as StoredMessage), pasted).length > 0);
    const remove = h.fake.sendButton({ customId: 'verbatim:delete', messageId: summary.id });
    await remove.waitFor((r) => r.followups.some((f) => f.content === notices.deleted));
    assert.equal(h.fake.message(summary.id)?.deleted, true, 'deleted through the interaction');
    assert.deepEqual(refusedIn(outside.id), [], 'the bot never tried to post there as itself');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a user-installed summary in a server without the bot WHEN the bot restarts THEN the conversation is kept (the bot never left that server) and still answers', async () => {
    const elsewhere = [...h.fake.world.guilds.values()].find((g) => !g.botMember);
    assert.ok(elsewhere);
    const outside = channel('outside', elsewhere.id);
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted }, channelId: outside.id }),
    );
    const checks = () => h.logs.filter((l) => l.msg === 'departed guilds checked').length;
    const before = checks();
    await h.restart();
    await eventually(() => checks() > before, 10_000, 'the start-up check of departed guilds');
    const kept = await h.bot.service.store.getThread(summary.id);
    assert.equal(kept?.guildId, elsewhere.id, 'stored under the server it was asked in');
    assert.equal(
      h.logs.some((l) => l.msg.startsWith('guild data purged')),
      false,
      'no server purged',
    );
    const submit = await askWithButton(summary, 'How much did the barrier cost?');
    assert.ok(assertQuotesFromArticle(embedsOf(submit.original as StoredMessage), pasted).length > 0);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a summary the bot may not edit as itself (plain text without Embed Links; a server without the bot) WHEN the page changed and someone presses Refresh THEN they get the new summary privately, and nothing is refused', async () => {
    const refreshIdOf = (m: { components: unknown[] }): string | null =>
      /"(verbatim:refresh:[^"]+)"/u.exec(JSON.stringify(m.components))?.[1] ?? null;
    const plainWhere = channel('no-embeds');
    h.fake.postUserMessage({
      channelId: plainWhere.id,
      content: articles.url('/news/barrier'),
      mentionsBot: true,
    });
    const plain = await h.fake.waitForMessage(
      plainWhere.id,
      (m) => m.authorId === h.fake.botUser.id && refreshIdOf(m) !== null,
      15_000,
    );
    assert.equal(plain.embeds.length, 0, 'plain text');
    assert.ok(plain, 'the plain-text summary of a link has Refresh');

    const elsewhere = [...h.fake.world.guilds.values()].find((g) => !g.botMember);
    assert.ok(elsewhere);
    const outside = channel('outside', elsewhere.id);
    const viaApp = await finalReply(
      h.fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url('/news/barrier') },
        channelId: outside.id,
      }),
    );

    articles.set('/news/barrier', { body: page.replace('310 million euros', '325 million euros') });
    for (const summary of [plain, viaApp]) {
      const customId = refreshIdOf(summary);
      assert.ok(customId);
      const shown = () => {
        const m = h.fake.message(summary.id);
        return JSON.stringify([m?.content, m?.embeds, m?.components]);
      };
      const before = shown();
      const press = h.fake.sendButton({ customId, messageId: summary.id });
      await press.waitFor(
        (x) =>
          x.original?.content === notices.refreshNotInPlace && x.followups.some((f) => f.embeds.length > 0),
        15_000,
      );
      const fresh = press.followups.find((f) => f.embeds.length > 0);
      assert.ok(fresh?.ephemeral, 'privately');
      assert.ok(shownText(JSON.stringify(fresh.embeds)).includes('325 million'), 'the new text');
      assert.equal(shown(), before, 'the public summary is unchanged');
      const record = await h.bot.service.store.getThread(summary.id);
      const stored = await h.bot.service.store.getArticle(record?.articleHash ?? '');
      assert.ok(stored?.article.text.includes('310 million'), 'questions still read what the summary shows');
    }
    assert.deepEqual(refusedIn(plainWhere.id), []);
    assert.deepEqual(refusedIn(outside.id), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN an announcement channel, a voice channel’s text chat and a channel type this version does not know THEN each gets its summary: a thread in the first, a note in the others, and no crash', async () => {
    const news = channel('news');
    const inNews = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted }, channelId: news.id }),
    );
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === inNews.id), 5000, 'thread');
    assert.equal(thread.type, ChannelType.AnnouncementThread);

    for (const name of ['lounge', 'future']) {
      const where = channel(name);
      const summary = await finalReply(
        h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted }, channelId: where.id }),
      );
      assertQuotesFromArticle(embedsOf(summary), pasted);
      assert.equal(summary.content, notices.noThreadHere, name);
      assert.deepEqual(refusedIn(where.id), [], name);
    }
    assert.deepEqual(problems(h), []);
  });
});
