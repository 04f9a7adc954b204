import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type pg from 'pg';
import { retryButtonRow } from '../../src/discord/handlers/retry-button.js';
import { notices } from '../../src/discord/texts.js';
import type { BotProcess } from '../../testkit/discord/bot-process.js';
import {
  type ArticleServer,
  eventually,
  type Page,
  startArticleServer,
} from '../../testkit/discord/harness.js';
import { page, updatedPage } from '../../testkit/discord/pages.js';
import { queryRows } from '../../testkit/discord/split-roles.js';
import type { FakeDiscord } from '../../testkit/fakes/discord/index.js';
import { startSplitRoles } from './split-roles-setup.js';
import { botRepliesTo, finalReply } from './views.js';

/**
 * More ways of asking that the split roles (VERBATIM_ROLE=gateway + worker) run on a worker: a
 * reaction's summary, the Refresh button, "Try again" on an answer. One gateway, one worker, real PostgreSQL and Redis, the fake Discord with the
 * Message Content intent, a local article server (its hits show who fetched).
 */
interface Roles {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  readonly gateway: BotProcess;
  readonly worker: BotProcess;
  sql(text: string): Promise<pg.QueryResultRow[]>;
}

async function startRoles(
  t: TestContext,
  pages: Record<string, Page>,
  extraEnv: Record<string, string> = {},
): Promise<Roles> {
  const articles = await startArticleServer(pages);
  t.after(() => articles.close());
  const { fake, databaseUrl, start } = await startSplitRoles(t, {
    database: 'verbatim_roles_more',
    discord: {
      messageContentEnabled: true,
      users: [{ username: 'alice' }, { username: 'bob' }, { username: 'carol' }],
    },
    articlesPort: articles.port,
    env: { VERBATIM_ENGINE: 'extractive', DISCORD_MESSAGE_CONTENT: 'true', ...extraEnv },
  });
  const gateway = await start({ VERBATIM_ROLE: 'gateway' });
  const worker = await start({ VERBATIM_ROLE: 'worker' });
  return {
    fake,
    articles,
    gateway,
    worker,
    sql: (text) => queryRows(databaseUrl, text),
  };
}

/** `msg` lines of a process, by request id. */
const linesOf = (p: BotProcess, msg: string) => p.lines().filter((l) => l.msg === msg);

const queuedKinds = (gateway: BotProcess) => linesOf(gateway, 'request queued').map((l) => l.queued);

describe('split roles: a reaction’s summary is made by a worker', () => {
  it('GIVEN a gateway and a worker WHEN a person reacts 📰 to a message with a link THEN the worker fetches it and replies once, charged to the reactor; the gateway only queues; a second reaction adds nothing', async (t) => {
    const { fake, articles, gateway, worker, sql } = await startRoles(t, { '/read': { body: page } });
    const alice = fake.userByName('alice').id;
    const bob = fake.userByName('bob').id;
    const post = fake.postUserMessage({ content: `Worth a read: ${articles.url('/read')}`, user: alice });
    assert.equal(fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: bob }), true);

    const [reply] = await eventually(
      () => (botRepliesTo(fake, post).length > 0 ? botRepliesTo(fake, post) : null),
      30_000,
      'the reply to the reacted message',
    );
    assert.ok((reply?.embeds.length ?? 0) > 0, 'the summary itself');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job row finished',
    );
    const posted = linesOf(worker, 'summary posted');
    assert.equal(posted.length, 1, 'the worker posted it');
    assert.match(String(posted[0]?.requestId), new RegExp(`^${post.id}-r\\d+$`, 'u'), 'its own job id');
    assert.equal(posted[0]?.userId, bob, 'charged to the person who reacted');
    assert.deepEqual(linesOf(gateway, 'summary posted'), [], 'the gateway posted nothing');
    assert.deepEqual(queuedKinds(gateway), ['summarize-reply'], 'the gateway queued it');
    assert.equal(articles.hits.get('/read'), 1, 'fetched once, by the worker');
    assert.equal((await sql('SELECT message_id FROM reaction_summaries')).length, 1, 'the claim kept');

    fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: alice });
    await eventually(
      () =>
        gateway
          .lines()
          .some((l) => String(l.msg).startsWith('message already summarized for an earlier reaction')),
      10_000,
      'the second reaction to be seen',
    );
    assert.equal(botRepliesTo(fake, post).length, 1, 'one reaction → one summary');
    assert.deepEqual(queuedKinds(gateway), ['summarize-reply'], 'nothing more queued');
    for (const p of [gateway, worker]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a reaction whose summary fails on the worker (the page is gone, then every attempt failing) THEN the worker gives the claim back each time and a later reaction is summarized', async (t) => {
    const { fake, articles, gateway, worker, sql } = await startRoles(t, {
      '/gone': { body: 'Not here.', contentType: 'text/plain', status: 404 },
      '/later': { body: page },
    });
    const alice = fake.userByName('alice').id;
    const bob = fake.userByName('bob').id;
    const carol = fake.userByName('carol').id;
    // An expected failure: the page is gone (404). Told, and the claim is given back.
    const empty = fake.postUserMessage({ content: articles.url('/gone'), user: alice });
    fake.addUserReaction({ messageId: empty.id, emoji: { name: '📰' }, user: bob });
    await eventually(() => botRepliesTo(fake, empty).length > 0, 30_000, 'the failure told');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job row finished',
    );
    assert.deepEqual(await sql('SELECT message_id FROM reaction_summaries'), [], 'the claim given back');

    // Every attempt failing (the store refuses the article): the user is told once, the claim given back.
    await sql(`CREATE FUNCTION refuse_articles() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'articles refused by the test'; END $$ LANGUAGE plpgsql`);
    await sql(
      'CREATE TRIGGER refuse_articles BEFORE INSERT OR UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION refuse_articles()',
    );
    const later = fake.postUserMessage({ content: `Look: ${articles.url('/later')}`, user: alice });
    fake.addUserReaction({ messageId: later.id, emoji: { name: '📰' }, user: bob });
    const [told, ...more] = await eventually(
      () => (botRepliesTo(fake, later).length > 0 ? botRepliesTo(fake, later) : null),
      60_000,
      'the failure told',
    );
    const failed = await eventually(
      () =>
        linesOf(worker, 'queued job failed for good').length > 0
          ? linesOf(worker, 'queued job failed for good')
          : null,
      10_000,
      'the worker to finish the failed job',
    );
    assert.equal(failed.length, 1);
    assert.equal(told?.content, notices.unexpected(String(failed[0]?.requestId)));
    assert.equal(more.length, 0, 'told once');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job row finished',
    );
    assert.deepEqual(await sql('SELECT message_id FROM reaction_summaries'), [], 'the claim given back');

    // Once the store takes articles again, another person's reaction gets the summary.
    await sql('DROP TRIGGER refuse_articles ON articles');
    fake.addUserReaction({ messageId: later.id, emoji: { name: '📰' }, user: carol });
    await eventually(
      () => botRepliesTo(fake, later).some((m) => m.embeds.length > 0),
      30_000,
      'the summary after a later reaction',
    );
    const posted = await eventually(
      () => (linesOf(worker, 'summary posted').length > 0 ? linesOf(worker, 'summary posted') : null),
      10_000,
      'the summary’s log line',
    );
    assert.equal(posted.length, 1);
    assert.equal(posted[0]?.userId, carol, 'charged to the later reactor');
    assert.deepEqual(linesOf(gateway, 'summary posted'), []);
    assert.deepEqual(queuedKinds(gateway), ['summarize-reply', 'summarize-reply', 'summarize-reply']);
    assert.equal(articles.hits.get('/gone'), 1, 'fetched by the worker only');
    assert.deepEqual(gateway.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });
});

const refreshId = (m: { components: unknown[] }): string | null =>
  /"(verbatim:refresh:[^"]+)"/u.exec(JSON.stringify(m.components))?.[1] ?? null;
const descriptionOf = (m: { embeds: unknown[] } | undefined): string =>
  String((m?.embeds[0] as { description?: string } | undefined)?.description ?? '');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('split roles: Refresh is made by a worker', () => {
  it('GIVEN a public and a private summary WHEN Refresh is pressed on each THEN a worker fetches the page again and edits each summary in place through REST (the thread noted); the gateway only acknowledges and queues', async (t) => {
    const { fake, articles, gateway, worker, sql } = await startRoles(
      t,
      { '/news': { body: page } },
      { REFRESH_MIN_INTERVAL_SECONDS: '1' },
    );
    const url = articles.url('/news');
    const publicSummary = await finalReply(fake.sendSlashCommand({ name: 'summarize', options: { url } }));
    const thread = await eventually(
      () => fake.threads().find((th) => th.id === publicSummary.id),
      10_000,
      'its thread',
    );
    const privateSummary = await finalReply(
      fake.sendSlashCommand({ name: 'summarize', options: { url, private: true } }),
    );
    const before = descriptionOf(publicSummary);
    assert.equal(articles.hits.get('/news'), 1, 'the second summary from the stored page');

    articles.set('/news', { body: updatedPage });
    await sleep(1100);
    const press = fake.sendButton({ customId: refreshId(publicSummary) ?? '', messageId: publicSummary.id });
    await press.waitFor((x) => (x.original?.content ?? '').includes('has changed'), 30_000);
    assert.equal(press.ephemeral, true, 'the presser is told privately');
    const edited = fake.message(publicSummary.id);
    assert.ok(edited && !edited.deleted, 'updated in place');
    assert.notEqual(descriptionOf(edited), before, 'the new summary');
    assert.equal(refreshId(edited), refreshId(publicSummary), 'Refresh stays');
    const note = await fake.waitForMessage(thread.id, (m) =>
      m.content.startsWith('The article was refreshed'),
    );
    assert.match(note.content, /has changed/u);
    assert.equal(articles.hits.get('/news'), 2, 'fetched again, by the worker');

    await sleep(1100);
    const privatePress = fake.sendButton({
      customId: refreshId(privateSummary) ?? '',
      messageId: privateSummary.id,
    });
    await privatePress.waitFor((x) => x.followups.some((f) => /changed/u.test(f.content)), 30_000);
    assert.equal(privatePress.callbackType, 6, 'acknowledged as an update of the summary message');
    assert.equal(articles.hits.get('/news'), 3);
    assert.match(
      descriptionOf(fake.message(privateSummary.id)),
      /fetched <t:\d+:R>/u,
      'the private summary edited',
    );

    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'job rows finished',
    );
    const refreshed = await eventually(
      () => (linesOf(worker, 'summary refreshed').length === 2 ? linesOf(worker, 'summary refreshed') : null),
      10_000,
      'the worker’s log lines',
    );
    assert.deepEqual(
      refreshed.map((l) => l.requestId),
      [press.id, privatePress.id],
    );
    assert.deepEqual(linesOf(gateway, 'summary refreshed'), [], 'the gateway refreshed nothing');
    assert.deepEqual(queuedKinds(gateway), ['summarize', 'summarize', 'refresh', 'refresh']);
    for (const p of [gateway, worker]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });
});

describe('split roles: "Try again" on an answer is a question of its thread, drained by a worker', () => {
  it('GIVEN a question a restart interrupted WHEN its asker presses "Try again" on a gateway THEN the gateway queues its thread’s drain and a worker puts the answer in place of the notice', async (t) => {
    const { fake, articles, gateway, worker, sql } = await startRoles(t, { '/story': { body: page } });
    const summary = await finalReply(
      fake.sendSlashCommand({ name: 'summarize', options: { url: articles.url('/story') } }),
    );
    const thread = await eventually(
      () => fake.threads().find((th) => th.id === summary.id),
      10_000,
      'its thread',
    );
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the summary’s row finished',
    );
    const jobId = '1234567890123456789';
    // What an interrupted question leaves: its job row, marked told, and the notice with the button.
    await sql(`INSERT INTO jobs (id, kind, guild_id, channel_id, user_id, reply_via, message_id, started_at, payload)
      VALUES ('${jobId}', 'answer', '${fake.guildId}', '${thread.id}', '${fake.user.id}', 'message', '1', ${Date.now()},
      '${JSON.stringify({
        v: 1,
        retry: { kind: 'answer', conversationId: thread.id, question: 'What did the town open?' },
        interruptedAt: Date.now(),
      })}')`);
    const posted = await fetch(`${fake.apiUrl}/v10/channels/${thread.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: notices.stoppedRetry, components: retryButtonRow(jobId) }),
    });
    assert.equal(posted.status, 200, 'the notice posted as the bot');
    const notice = (await posted.json()) as { readonly id: string };

    const press = fake.sendButton({
      customId: `verbatim:retry:${jobId}`,
      messageId: notice.id,
      channelId: thread.id,
    });
    await press.waitFor((h) => (h.original?.embeds.length ?? 0) > 0, 30_000);
    assert.equal(press.callbackType, 7, 'the notice updated at once');
    assert.notEqual(
      fake.message(notice.id)?.content,
      notices.stoppedRetry,
      'the answer in place of the notice',
    );
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the rows finished',
    );
    const done = await eventually(
      () =>
        linesOf(worker, 'queued question done').length > 0 ? linesOf(worker, 'queued question done') : null,
      10_000,
      'the worker’s log line',
    );
    assert.deepEqual(
      done.map((l) => [l.requestId, l.outcome]),
      [[press.id, 'ok']],
      'answered once, by the worker',
    );
    assert.deepEqual(queuedKinds(gateway), ['summarize', 'drain-thread']);
    assert.equal(articles.hits.get('/story'), 1);
    for (const p of [gateway, worker]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });
});
