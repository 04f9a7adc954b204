import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import type pg from 'pg';
import { nonceOf } from '../../src/discord/delivery.js';
import { retryButtonRow } from '../../src/discord/handlers/retry-button.js';
import { notices } from '../../src/discord/texts.js';
import type { BotProcess } from '../../testkit/discord/bot-process.js';
import {
  type ArticleServer,
  eventually,
  type Page,
  startArticleServer,
} from '../../testkit/discord/harness.js';
import { longPage, page } from '../../testkit/discord/pages.js';
import { queryRows } from '../../testkit/discord/split-roles.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  type FakeDiscord,
  Permission,
  type StoredMessage,
} from '../../testkit/fakes/discord/index.js';
import { startSplitRoles } from './split-roles-setup.js';
import { botRepliesTo } from './views.js';

/**
 * The split roles (VERBATIM_ROLE=gateway + worker) delivering every way of asking for a summary
 * from the workers, exactly once: one gateway, workers, real PostgreSQL and Redis, the fake Discord
 * with the Message Content intent, a local article server.
 */
interface Roles {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  readonly gateway: BotProcess;
  readonly workers: BotProcess[];
  readonly databaseUrl: string;
  /** Runs one statement on the test's database. */
  sql(text: string): Promise<pg.QueryResultRow[]>;
}

const without = (...bits: bigint[]): bigint => bits.reduce((p, b) => p & ~b, DEFAULT_BOT_PERMISSIONS);

async function startRoles(
  t: TestContext,
  pages: Record<string, Page>,
  options: { readonly workers: number; readonly workerEnv?: Record<string, string> },
): Promise<Roles> {
  const articles = await startArticleServer(pages);
  t.after(() => articles.close());
  const { fake, databaseUrl, start } = await startSplitRoles(t, {
    database: 'verbatim_roles_delivery',
    discord: {
      messageContentEnabled: true,
      guilds: [
        {
          channels: [
            { name: 'general' },
            { name: 'news' },
            { name: 'plain', botPermissions: without(Permission.EmbedLinks) },
          ],
        },
      ],
    },
    articlesPort: articles.port,
    env: { VERBATIM_ENGINE: 'extractive', DISCORD_MESSAGE_CONTENT: 'true' },
  });
  const gateway = await start({ VERBATIM_ROLE: 'gateway' });
  const workers: BotProcess[] = [];
  for (let i = 0; i < options.workers; i++) {
    workers.push(await start({ VERBATIM_ROLE: 'worker', ...options.workerEnv }));
  }
  return {
    fake,
    articles,
    gateway,
    workers,
    databaseUrl,
    sql: (text) => queryRows(databaseUrl, text),
  };
}

const botMessages = (fake: FakeDiscord, channelId: string): StoredMessage[] =>
  fake.messages(channelId).filter((m) => m.authorId === fake.botUser.id);

/** "summary posted" lines of these processes, by request id. */
const postedBy = (processes: readonly BotProcess[]) =>
  processes.flatMap((p) =>
    p
      .lines()
      .filter((l) => l.msg === 'summary posted')
      .map((l) => l.requestId),
  );

describe('a queued job’s channel posts', () => {
  it('GIVEN a job and its steps THEN each post’s nonce is derived from both, the same on every run, within Discord’s 25 characters', () => {
    const ids = ['1578867923307593728', '1578867923307593728-2', 'x'.repeat(200)];
    const nonces = ids.flatMap((id) =>
      ['part-0', 'part-1', 'fail', 'pointer'].map((step) => nonceOf(id, step)),
    );
    for (const nonce of nonces) assert.ok(nonce.length > 0 && nonce.length <= 25, nonce);
    assert.equal(new Set(nonces).size, nonces.length, 'no two steps or jobs share one');
    assert.equal(nonceOf(ids[0] as string, 'part-1'), nonces[1], 'a rerun posts with the same nonce');
  });
});

describe('split roles: every way of asking is answered by a worker, exactly once', () => {
  it('GIVEN a gateway and a worker WHEN the bot is mentioned with a link and a link is posted in an auto-summary channel THEN the worker fetches and answers each with one reply and one thread; the gateway only queues', async (t) => {
    const { fake, articles, gateway, workers, sql } = await startRoles(
      t,
      {
        '/mention': { body: page },
        '/shared': { body: page.replace('</article>', '<p>Shared.</p></article>') },
      },
      { workers: 1 },
    );
    const admin = fake.userByName('bob').id;
    fake.setMemberPermissions(admin, Permission.ManageChannels);
    const news = fake.channelByName('news').id;
    const general = fake.channelByName('general').id;
    const on = fake.sendSlashCommand({
      name: 'autosummarize',
      options: { state: 'on' },
      user: admin,
      channelId: news,
    });
    await on.waitFor((r) => (r.original?.content ?? '') !== '', 10_000);
    assert.match(on.original?.content ?? '', /Auto-summaries are on/u);

    const mention = fake.postUserMessage({
      channelId: general,
      content: `please ${articles.url('/mention')}`,
      mentionsBot: true,
    });
    const shared = fake.postUserMessage({
      channelId: news,
      content: `Worth a read: ${articles.url('/shared')}`,
    });

    for (const message of [mention, shared]) {
      await eventually(() => botRepliesTo(fake, message).length > 0, 30_000, `the reply to ${message.id}`);
      await eventually(
        () => fake.threads().some((th) => th.id === botRepliesTo(fake, message)[0]?.id),
        10_000,
        `the thread under the reply to ${message.id}`,
      );
    }
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'job rows finished',
    );
    for (const message of [mention, shared]) {
      const [reply, ...more] = botRepliesTo(fake, message);
      assert.ok(reply, `a reply to ${message.id}`);
      assert.equal(more.length, 0, `one reply to ${message.id}`);
      assert.ok(reply.embeds.length > 0, 'the summary, with its embeds');
      assert.equal(
        fake.messages(reply.id).filter((m) => m.authorId === fake.botUser.id).length,
        1,
        'one invitation in its thread',
      );
    }
    assert.equal(fake.threads().length, 2, 'one thread each');
    assert.deepEqual(postedBy(workers).sort(), [mention.id, shared.id].sort(), 'the worker posted both');
    assert.deepEqual(postedBy([gateway]), [], 'the gateway posted none');
    const queued = gateway.lines().filter((l) => l.msg === 'request queued');
    assert.deepEqual(
      queued.map((l) => l.queued),
      ['summarize-reply', 'summarize-reply'],
      'the gateway queued both',
    );
    assert.equal(articles.hits.get('/mention'), 1, 'fetched once, by the worker');
    assert.equal(articles.hits.get('/shared'), 1, 'fetched once, by the worker');
    const links = await sql('SELECT url, summary_id FROM auto_summary_links');
    assert.equal(links.length, 1, 'the auto-summary recorded, for the pointer next time');
    assert.equal(links[0]?.summary_id, botRepliesTo(fake, shared)[0]?.id);
    for (const p of [gateway, ...workers]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a request a restart interrupted WHEN its user presses "Try again" on a gateway THEN the gateway queues it and a worker puts the summary in place of the notice', async (t) => {
    const { fake, articles, gateway, workers, sql } = await startRoles(
      t,
      { '/again': { body: page } },
      { workers: 1 },
    );
    const general = fake.channelByName('general').id;
    const jobId = '1234567890123456789';
    // What an interrupted request leaves: its job row, marked told, and the notice with the button.
    await sql(`INSERT INTO jobs (id, kind, guild_id, channel_id, user_id, reply_via, message_id, started_at, payload)
      VALUES ('${jobId}', 'summarize', '${fake.guildId}', '${general}', '${fake.user.id}', 'message', '1', ${Date.now()},
      '${JSON.stringify({
        v: 1,
        retry: {
          kind: 'summarize',
          source: { kind: 'url', url: articles.url('/again') },
          length: 'standard',
          lang: null,
          private: false,
          openThread: true,
        },
        interruptedAt: Date.now(),
      })}')`);
    const posted = await fetch(`${fake.apiUrl}/v10/channels/${general}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: notices.stoppedRetry, components: retryButtonRow(jobId) }),
    });
    assert.equal(posted.status, 200, 'the notice posted as the bot');
    const notice = (await posted.json()) as { readonly id: string };

    const press = fake.sendButton({ customId: `verbatim:retry:${jobId}`, messageId: notice.id });
    await press.waitFor((h) => (h.original?.embeds.length ?? 0) > 0, 30_000);
    assert.equal(press.callbackType, 7, 'the notice updated at once');
    assert.equal(fake.message(notice.id)?.embeds.length, 1, 'the summary in place of the notice');
    await eventually(() => fake.threads().length === 1, 10_000, 'its thread');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job rows finished',
    );
    assert.deepEqual(postedBy(workers), [press.id], 'the worker posted it');
    assert.deepEqual(
      gateway
        .lines()
        .filter((l) => l.msg === 'request queued')
        .map((l) => l.queued),
      ['summarize'],
    );
    assert.deepEqual(postedBy([gateway]), []);
    assert.equal(articles.hits.get('/again'), 1);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a worker SIGKILLed while it posts a summary of several messages THEN another worker runs the job again and every message, the thread and its invitation exist once', async (t) => {
    const { fake, articles, workers, sql } = await startRoles(
      t,
      { '/long': { body: longPage } },
      { workers: 2, workerEnv: { ENGINE_MAX_ACTIVE: '1', QUEUE_LOCK_MS: '2000' } },
    );
    // No Embed Links in #plain: the summary is plain text over several messages. Each post is slow,
    // so the worker is killed between two of them.
    const plain = fake.channelByName('plain').id;
    fake.delayRoute('POST /channels/:channel/messages', 1200);
    const mention = fake.postUserMessage({
      channelId: plain,
      content: `summary please ${articles.url('/long')}`,
      mentionsBot: true,
    });
    await eventually(() => botRepliesTo(fake, mention).length > 0, 30_000, 'the first part');
    const started = (w: BotProcess) => w.lines().some((l) => l.msg === 'queued job started');
    const victim = workers.find(started);
    assert.ok(victim, 'a worker took the job');
    const survivor = workers.find((w) => w !== victim) as BotProcess;
    victim.process.kill('SIGKILL');
    await once(victim.process, 'exit');
    const partsWhenKilled = botMessages(fake, plain).length;

    await eventually(() => postedBy([survivor]).length > 0, 60_000, 'the other worker to post it');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job row finished',
    );
    const [delivery] = await sql('SELECT summary_id, message_ids, thread_id FROM summary_deliveries');
    assert.ok(delivery, 'the delivery recorded');
    const ids = JSON.parse(String(delivery.message_ids)) as string[];
    assert.ok(ids.length >= 2, `a summary of several messages (${ids.length})`);
    assert.ok(
      partsWhenKilled < ids.length,
      `killed mid-delivery (${partsWhenKilled} of ${ids.length} posted)`,
    );
    const posted = botMessages(fake, plain);
    assert.deepEqual(
      posted.map((m) => m.id),
      ids,
      'every part posted once, in order, and nothing else',
    );
    assert.equal(new Set(posted.map((m) => m.content)).size, posted.length, 'no part twice');
    assert.equal(botRepliesTo(fake, mention).length, 1, 'one reply');
    assert.equal(fake.threads().length, 1, 'one thread');
    assert.equal(delivery.thread_id, ids[0], 'under the first part');
    assert.equal(botMessages(fake, ids[0] as string).length, 1, 'one invitation in it');
    assert.ok(
      survivor.lines().some((l) => l.msg === 'job of a worker that is gone runs again'),
      'found by the stalled check',
    );
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a job whose every attempt fails (the store refuses the article) THEN the user who used /summarize and the user who mentioned the bot are told, and the job rows are finished', async (t) => {
    const { fake, articles, workers, sql } = await startRoles(
      t,
      { '/a': { body: page }, '/b': { body: page.replace('</article>', '<p>Other.</p></article>') } },
      { workers: 1 },
    );
    // A fault in the real PostgreSQL: storing any fetched article fails, on every attempt.
    await sql(`CREATE FUNCTION refuse_articles() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'articles refused by the test'; END $$ LANGUAGE plpgsql`);
    await sql(
      'CREATE TRIGGER refuse_articles BEFORE INSERT OR UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION refuse_articles()',
    );
    const general = fake.channelByName('general').id;
    const handle = fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/a') },
      channelId: general,
    });
    const mention = fake.postUserMessage({
      channelId: general,
      content: articles.url('/b'),
      mentionsBot: true,
    });

    await handle.waitFor((h) => h.followups.some((f) => f.content !== ''), 60_000);
    assert.equal(handle.followups.length, 1);
    assert.equal(handle.followups[0]?.content, notices.unexpected(handle.id));
    assert.equal(handle.followups[0]?.ephemeral, true, 'told privately');
    const [told, ...more] = await eventually(
      () => (botRepliesTo(fake, mention).length > 0 ? botRepliesTo(fake, mention) : null),
      60_000,
      'the reply to the mention',
    );
    assert.equal(told?.content, notices.unexpected(mention.id));
    assert.equal(more.length, 0, 'told once');
    const failed = () => workers.flatMap((w) => w.lines().filter((l) => l.msg === 'queued job failed'));
    // The worker logs each failure before it tells the user, but its log reaches this process through
    // a pipe, which may deliver the last line after the reply reached the fake Discord.
    await eventually(() => failed().length >= 6, 10_000, 'every failed attempt logged');
    assert.equal(failed().length, 6, 'every attempt of both ran: 3 each');
    await eventually(
      async () => (await sql('SELECT id FROM jobs')).length === 0,
      10_000,
      'the job rows finished',
    );
    assert.deepEqual(fake.threads(), [], 'no summary, no thread');
    assert.deepEqual(fake.problems(), []);
  });
});
