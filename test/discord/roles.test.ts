import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { MessageFlags } from 'discord.js';
import { notices } from '../../src/discord/texts.js';
import type { BotProcess } from '../../testkit/discord/bot-process.js';
import {
  type ArticleServer,
  eventually,
  type Page,
  startArticleServer,
} from '../../testkit/discord/harness.js';
import { page, pasted } from '../../testkit/discord/pages.js';
import { countJobRows } from '../../testkit/discord/split-roles.js';
import { type FakeDiscord, guildIdOnShard } from '../../testkit/fakes/discord/index.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { REDIS_URL } from '../redis/redis.js';
import { startSplitRoles } from './split-roles-setup.js';
import { finalReply } from './views.js';

interface Roles {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  readonly gateway: BotProcess;
  readonly workers: BotProcess[];
  readonly databaseUrl: string;
  /** The channels of guild a (shard 0) and guild b (shard 1). */
  readonly channels: readonly [string, string];
  /** Every worker's "summary posted" log lines so far, the killed ones' included. */
  posted(): { readonly msg: string; readonly [key: string]: unknown }[];
  /** Running job rows in PostgreSQL. */
  jobRows(): Promise<number>;
}

/**
 * A fresh database, Redis key prefix, fake Discord (two shards, a guild on each), article server
 * and the processes: one gateway for both shards, then `workers` workers (with `workerEnv`).
 */
async function startRoles(
  t: TestContext,
  pages: Record<string, Page>,
  options: {
    readonly workers: number;
    readonly workerEnv?: Record<string, string>;
    readonly gatewayEnv?: Record<string, string>;
    /** The app's Message Content intent is enabled (message links read a message's text). */
    readonly messageContent?: boolean;
  },
): Promise<Roles> {
  const articles = await startArticleServer(pages);
  t.after(() => articles.close());
  const [guildA, guildB] = [guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 2)];
  const { fake, databaseUrl, start } = await startSplitRoles(t, {
    database: 'verbatim_roles',
    discord: {
      shards: 2,
      maxConcurrency: 2,
      messageContentEnabled: options.messageContent ?? false,
      guilds: [
        { id: guildA, channels: [{ name: 'general-a' }] },
        { id: guildB, channels: [{ name: 'general-b' }] },
      ],
    },
    articlesPort: articles.port,
    env: { VERBATIM_ENGINE: 'extractive' },
  });
  // The gateway first: it migrates the fresh database before the workers open it.
  const gateway = await start({ VERBATIM_ROLE: 'gateway', ...options.gatewayEnv });
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
    channels: [fake.channelByName('general-a', guildA).id, fake.channelByName('general-b', guildB).id],
    posted: () => workers.flatMap((w) => w.lines().filter((l) => l.msg === 'summary posted')),
    jobRows: () => countJobRows(databaseUrl),
  };
}

/**
 * The test Redis behind a relay the test can cut: the gateway's view of Redis going down (the
 * shared Redis itself keeps running for everyone else).
 */
async function redisRelay(t: TestContext): Promise<{ readonly url: string; cut(): Promise<void> }> {
  const target = new URL(REDIS_URL);
  const proxy = await startTcpProxy(t, target.hostname, Number(target.port || 6379));
  return { url: proxy.through(REDIS_URL), cut: () => proxy.refuse() };
}

/** The fixture article with a line of its own, so that each link is its own article. */
const numbered = (i: number): Page => ({
  body: page.replace('</article>', `<p>Reader note number ${i}.</p></article>`),
});

describe('split roles: gateway and workers', () => {
  it('GIVEN one gateway for both shards and two workers on PostgreSQL and Redis WHEN /summarize is used in guilds of both shards THEN the gateway only acknowledges and queues, the workers answer, each request exactly once with one thread', async (t) => {
    const pages = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/article/${i}`, numbered(i)]));
    const { fake, articles, gateway, workers, channels, posted, jobRows } = await startRoles(t, pages, {
      workers: 2,
      workerEnv: { ENGINE_MAX_ACTIVE: '1' },
    });
    assert.deepEqual(
      fake
        .sessionShards()
        .map((s) => s.join('/'))
        .sort(),
      ['0/2', '1/2'],
      'one gateway, both shards of the recommended 2',
    );

    const handles = Array.from({ length: 6 }, (_, i) =>
      fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${i}`) },
        channelId: channels[i % 2] as string,
      }),
    );
    const replies = await Promise.all(handles.map((h) => finalReply(h, 60_000)));
    for (const [i, reply] of replies.entries()) {
      assert.equal(handles[i]?.callbackType, 5, `request ${i} deferred`);
      const first = reply.embeds[0] as { readonly description?: string } | undefined;
      assert.ok((first?.description ?? '').length > 0, `request ${i} has its summary`);
    }
    // Each summary got one thread with one invitation, and no request was answered twice.
    await eventually(
      () => fake.threads().length === 6 && fake.threads().every((th) => fake.messages(th.id).length >= 1),
      10_000,
      'the threads and their invitations',
    );
    const threads = fake.threads();
    assert.equal(threads.length, 6, 'one thread per summary');
    for (const thread of threads) assert.equal(fake.messages(thread.id).length, 1, 'one invitation');
    await eventually(() => posted().length >= 6, 10_000, 'the workers’ logs');
    assert.deepEqual(
      posted()
        .map((l) => l.requestId)
        .sort(),
      handles.map((h) => h.id).sort(),
      'the workers posted each summary once',
    );
    const gatewayLines = gateway.lines();
    assert.equal(gatewayLines.filter((l) => l.msg === 'request queued').length, 6);
    assert.equal(gatewayLines.filter((l) => l.msg === 'summary posted').length, 0, 'the gateway did no work');
    const done = workers.map((w) => w.lines().filter((l) => l.msg === 'summary posted').length);
    assert.ok(
      done.every((n) => n > 0),
      `both workers took work (${done.join(', ')})`,
    );
    for (const i of [0, 1, 2, 3, 4, 5]) {
      assert.equal(articles.hits.get(`/article/${i}`), 1, `article ${i} fetched once`);
    }
    assert.equal(await jobRows(), 0, 'every job row finished');
    for (const p of [gateway, ...workers]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a worker SIGKILLed in the middle of a summary THEN another worker runs it again by itself and the user gets one summary with one thread', async (t) => {
    const { fake, articles, workers, channels, posted, jobRows } = await startRoles(
      t,
      { '/slow': { ...numbered(0), delayMs: 3000 } },
      // A short lock: a dead worker's job is found within seconds (the default is 30 s).
      { workers: 2, workerEnv: { ENGINE_MAX_ACTIVE: '1', QUEUE_LOCK_MS: '2000' } },
    );
    const handle = fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/slow') },
      channelId: channels[1],
    });
    const started = (w: BotProcess) => w.lines().some((l) => l.msg === 'queued job started');
    const victim = await eventually(() => workers.find(started), 20_000, 'a worker to take the job');
    const survivor = workers.find((w) => w !== victim) as BotProcess;
    const killedAt = performance.now();
    victim.process.kill('SIGKILL');
    await once(victim.process, 'exit');

    const reply = await finalReply(handle, 60_000);
    const recoveredMs = performance.now() - killedAt;
    t.diagnostic(`from SIGKILL to the summary: ${Math.round(recoveredMs)} ms (QUEUE_LOCK_MS 2000)`);
    assert.ok((reply.embeds.length ?? 0) > 0, 'the summary replaced the deferred reply');
    assert.ok(started(survivor), 'the other worker ran it');
    assert.ok(
      survivor.lines().some((l) => l.msg === 'job of a worker that is gone runs again'),
      'found by the stalled check',
    );
    await eventually(
      () => fake.threads().length === 1 && fake.messages(fake.threads()[0]?.id ?? '').length > 0,
    );
    assert.equal(fake.threads().length, 1, 'one thread');
    await eventually(() => posted().length > 0, 10_000, 'the survivor’s log');
    assert.equal(posted().length, 1, 'posted once');
    assert.ok(recoveredMs < 30_000, `recovered in ${Math.round(recoveredMs)} ms`);
    assert.equal(await jobRows(), 0, 'the job row finished');
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a gateway and a worker WHEN /summarize is given a message link THEN the gateway opens it after deferring and queues what it holds; a link it may not open is refused privately, with no job left', async (t) => {
    const { fake, gateway, channels, posted, jobRows } = await startRoles(
      t,
      {},
      { workers: 1, messageContent: true },
    );
    const [channel] = channels;
    const guild = guildIdOnShard(0, 2, 1); // channels[0]'s guild (see startRoles)
    const message = fake.postUserMessage({ channelId: channel, content: pasted });
    const url = (id: string) => `https://discord.com/channels/${guild}/${channel}/${id}`;

    const handle = fake.sendSlashCommand({
      name: 'summarize',
      options: { url: url(message.id) },
      channelId: channel,
    });
    const reply = await finalReply(handle, 60_000);
    assert.equal(handle.callbackType, 5, 'deferred');
    const first = reply.embeds[0] as { readonly url?: string } | undefined;
    assert.equal(first?.url, url(message.id), 'the message summarized, pointing to it');
    await eventually(() => posted().length > 0, 10_000, 'the worker’s log');

    const missing = fake.sendSlashCommand({
      name: 'summarize',
      options: { url: url('1234567890123456789') },
      channelId: channel,
    });
    await missing.waitFor('followup', 10_000);
    assert.equal(missing.followups[0]?.ephemeral, true);
    assert.equal(missing.followups[0]?.content, notices.cannotOpenMessage);
    assert.equal(
      gateway.lines().filter((l) => l.msg === 'request queued').length,
      1,
      'the refused one is not queued',
    );
    await eventually(async () => (await jobRows()) === 0, 10_000, 'every job row finished');
    for (const p of [gateway]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN Redis unreachable from the gateway THEN /summarize is still acknowledged within 3 s and the user is told to try again shortly, with nothing left behind', async (t) => {
    const relay = await redisRelay(t);
    const { fake, articles, gateway, channels, jobRows } = await startRoles(
      t,
      { '/article': numbered(0) },
      { workers: 0, gatewayEnv: { REDIS_URL: relay.url } },
    );
    await relay.cut();
    const handle = fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/article') },
      channelId: channels[0],
    });
    await handle.waitFor((h) => h.followups.some((f) => f.content === notices.queueDown), 10_000);
    assert.ok((handle.ackLatencyMs ?? Infinity) < 3000, `acknowledged in ${handle.ackLatencyMs} ms`);
    assert.equal(handle.followups.length, 1);
    assert.equal(handle.followups[0]?.flags, MessageFlags.Ephemeral, 'told privately');
    assert.equal(handle.rejections.length, 0);
    assert.ok(gateway.lines().some((l) => l.msg === 'could not queue the request'));
    assert.equal(await jobRows(), 0, 'no job row left behind');
    assert.equal(articles.hits.get('/article'), undefined, 'nothing fetched');
  });
});
