import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { MessageFlags } from 'discord.js';
import { notices } from '../../src/discord/texts.js';
import { type BotProcess, stopBotProcess } from '../../testkit/discord/bot-process.js';
import {
  type ArticleServer,
  eventually,
  type Page,
  startArticleServer,
} from '../../testkit/discord/harness.js';
import { page } from '../../testkit/discord/pages.js';
import { countJobRows } from '../../testkit/discord/split-roles.js';
import {
  type FakeDiscord,
  guildIdOnShard,
  type InteractionHandle,
} from '../../testkit/fakes/discord/index.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { REDIS_URL } from '../redis/redis.js';
import { startSplitRoles } from './split-roles-setup.js';
import { finalReply } from './views.js';

type LogLine = { readonly msg: string; readonly [key: string]: unknown };

interface Split {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  /** The database as every process but a gateway given `pgProxy` sees it. */
  readonly databaseUrl: string;
  /** The channels of guild a (shard 0) and guild b (shard 1). */
  readonly channels: readonly [string, string];
  readonly workers: readonly BotProcess[];
  /** Starts a gateway (stopped after the test) with the common settings and `env`. */
  gateway(env: Record<string, string>): Promise<BotProcess>;
  /** Every worker's "summary posted" log lines so far. */
  posted(): LogLine[];
  /** Job rows left in PostgreSQL. */
  jobRows(): Promise<number>;
}

/**
 * A fresh database and Redis key prefix, the fake Discord (two shards, a guild on each), an article
 * server and `workers` workers; gateways are started by the test (`gateway(env)`).
 */
async function startSplit(
  t: TestContext,
  pages: Record<string, Page>,
  options: { readonly workers: number },
): Promise<Split> {
  const articles = await startArticleServer(pages);
  t.after(() => articles.close());
  const [guildA, guildB] = [guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 2)];
  const { fake, databaseUrl, start } = await startSplitRoles(t, {
    database: 'verbatim_gateway',
    discord: {
      shards: 2,
      maxConcurrency: 2,
      guilds: [
        { id: guildA, channels: [{ name: 'general-a' }] },
        { id: guildB, channels: [{ name: 'general-b' }] },
      ],
    },
    articlesPort: articles.port,
    env: { VERBATIM_ENGINE: 'extractive' },
  });
  // The first worker migrates the fresh database (processes starting together take turns).
  const workers: BotProcess[] = [];
  for (let i = 0; i < options.workers; i++) {
    workers.push(await start({ VERBATIM_ROLE: 'worker', ENGINE_MAX_ACTIVE: '1' }));
  }
  return {
    fake,
    articles,
    databaseUrl,
    channels: [fake.channelByName('general-a', guildA).id, fake.channelByName('general-b', guildB).id],
    workers,
    gateway: (gatewayEnv) => start({ VERBATIM_ROLE: 'gateway', ...gatewayEnv }),
    posted: () => workers.flatMap((w) => w.lines().filter((l) => l.msg === 'summary posted')),
    jobRows: () => countJobRows(databaseUrl),
  };
}

/** The fixture article with a line of its own, so that each link is its own article. */
const numbered = (i: number, delayMs = 0): Page => ({
  body: page.replace('</article>', `<p>Reader note number ${i}.</p></article>`),
  ...(delayMs > 0 ? { delayMs } : {}),
});

/** The user was told, privately, to try again shortly: as the first reply, or after a deferral. */
const toldBusy = (h: InteractionHandle): boolean =>
  (h.original?.content === notices.queueDown && h.original.ephemeral) ||
  h.followups.some((f) => f.content === notices.queueDown && f.flags === MessageFlags.Ephemeral);

const queuedIds = (p: BotProcess): unknown[] =>
  p
    .lines()
    .filter((l) => l.msg === 'request queued')
    .map((l) => l.requestId);

const PG_TARGET = new URL(process.env.VERBATIM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const REDIS_TARGET = new URL(REDIS_URL);

describe('split roles: the gateway under faults, kills and restarts', () => {
  it('GIVEN PostgreSQL unreachable from the gateway (packets dropped, then connections refused) THEN every /summarize and paste form is acknowledged within 3 s and its user told privately to try again shortly, with nothing recorded or queued; once PostgreSQL is back a new /summarize is answered', async (t) => {
    const pgProxy: TcpProxy = await startTcpProxy(t, PG_TARGET.hostname, Number(PG_TARGET.port || 5432));
    const pages = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/article/${i}`, numbered(i)]));
    const {
      fake,
      articles,
      databaseUrl,
      channels,
      gateway: startGateway,
      jobRows,
    } = await startSplit(t, pages, {
      workers: 1,
    });
    const gateway = await startGateway({
      DATABASE_URL: pgProxy.through(databaseUrl),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '1000',
    });
    const [channel] = channels;
    const summarize = (i: number) =>
      fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${i}`) },
        channelId: channel,
      });
    // Warm: the gateway's pool holds open connections, which the cut then leaves dangling.
    const warm = await finalReply(summarize(0), 60_000);
    assert.ok(warm.embeds.length > 0);
    // Paste forms opened while PostgreSQL answers: their submissions need no read before the deferral.
    const forms = [
      fake.sendSlashCommand({ name: 'summarize', channelId: channel }),
      fake.sendSlashCommand({ name: 'summarize', channelId: channel }),
    ];
    await Promise.all(forms.map((f) => f.waitFor('modal')));
    const submit = (form: InteractionHandle) =>
      fake.sendModalSubmit({
        customId: (form.modal as { custom_id: string }).custom_id,
        fields: {
          title: 'Pasted',
          'part-1': `${'A paragraph of pasted text, long enough to read. '.repeat(20)}`,
        },
        fromInteraction: form,
      });

    const cutOff = async (label: string, slash: InteractionHandle, pasted: InteractionHandle) => {
      for (const [what, h] of [
        ['/summarize', slash],
        ['the paste form', pasted],
      ] as const) {
        await h.waitFor(toldBusy, 20_000);
        assert.ok(
          (h.ackLatencyMs ?? Infinity) < 3000,
          `${label}, ${what}: acknowledged in ${h.ackLatencyMs} ms`,
        );
        assert.equal(h.rejections.length, 0, `${label}, ${what}: nothing refused by Discord`);
      }
      // Refused as its acknowledgement when its server's defaults cannot be read; deferred, then
      // told, when they were read a moment ago (DEFAULTS_REUSE_MS).
      assert.ok(
        [4, 5].includes(slash.callbackType ?? 0),
        `${label}: /summarize answered (${slash.callbackType})`,
      );
      assert.equal(pasted.callbackType, 5, `${label}: the paste form deferred at once, then told`);
    };

    pgProxy.blackhole();
    await cutOff('packets dropped', summarize(1), submit(forms[0] as InteractionHandle));
    await pgProxy.refuse();
    await cutOff('connections refused', summarize(2), submit(forms[1] as InteractionHandle));

    await pgProxy.restore();
    const back = await finalReply(summarize(3), 60_000);
    assert.ok(back.embeds.length > 0, 'answered once PostgreSQL is back');

    assert.equal(queuedIds(gateway).length, 2, 'only the two answered requests were queued');
    assert.equal(articles.hits.get('/article/1'), undefined, 'nothing fetched for a refused request');
    assert.equal(articles.hits.get('/article/2'), undefined, 'nothing fetched for a refused request');
    await eventually(async () => (await jobRows()) === 0, 15_000, 'no job row left behind');
    assert.ok(
      gateway.lines().some((l) => l.msg === 'could not record the request'),
      'the failed record logged',
    );
    assert.deepEqual(
      gateway.lines().filter((l) => l.msg === 'interaction failed'),
      [],
      'no request ended as a bug',
    );
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN Redis unreachable from the gateway (packets dropped) WHEN a user asks for more summaries than their limit THEN each is acknowledged within 3 s: the first ones told to try again shortly, the one past the limit refused by the count this process keeps meanwhile', async (t) => {
    const redisProxy = await startTcpProxy(t, REDIS_TARGET.hostname, Number(REDIS_TARGET.port || 6379));
    const {
      fake,
      articles,
      channels,
      gateway: startGateway,
      jobRows,
    } = await startSplit(t, { '/article/0': numbered(0) }, { workers: 0 });
    const gateway = await startGateway({
      REDIS_URL: redisProxy.through(REDIS_URL),
      DISCORD_USER_SUMMARIES_PER_MINUTE: '2',
    });
    redisProxy.blackhole();
    const handles: InteractionHandle[] = [];
    for (let i = 0; i < 3; i++) {
      const h = fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url('/article/0') },
        channelId: channels[0],
      });
      await h.waitFor((x) => toldBusy(x) || x.callbackType === 4, 20_000);
      handles.push(h);
    }
    for (const [i, h] of handles.entries()) {
      assert.ok((h.ackLatencyMs ?? Infinity) < 3000, `request ${i} acknowledged in ${h.ackLatencyMs} ms`);
    }
    assert.ok(
      toldBusy(handles[0] as InteractionHandle) && toldBusy(handles[1] as InteractionHandle),
      'the queue is down: try again shortly',
    );
    const third = handles[2] as InteractionHandle;
    assert.equal(third.callbackType, 4, 'refused as the acknowledgement');
    assert.equal(third.ephemeral, true);
    assert.match(third.original?.content ?? '', /several summaries in a short time/);
    assert.equal(queuedIds(gateway).length, 0);
    assert.equal(await jobRows(), 0, 'no job row left behind');
    await redisProxy.restore();
  });

  it('GIVEN a gateway per shard and two workers WHEN the gateway of shard 0 is SIGKILLed with its requests queued, then started again twice over (two sessions on one shard) and one of those SIGTERMed THEN every request is answered exactly once, an interaction the other session acknowledged first is left to it quietly, and the shard keeps working', async (t) => {
    const pages = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`/article/${i}`, numbered(i, 800)]),
    );
    const {
      fake,
      articles,
      channels,
      workers,
      gateway: startGateway,
      posted,
      jobRows,
    } = await startSplit(t, pages, {
      workers: 2,
    });
    const shard = (i: number) => ({ DISCORD_SHARD_IDS: String(i), DISCORD_SHARD_COUNT: '2' });
    const first = await startGateway(shard(0));
    const other = await startGateway(shard(1));
    let page = 0;
    const summarize = (channelId: string) =>
      fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${page++}`) },
        channelId,
      });

    // Queued by the first gateway of shard 0, which then dies before any is answered.
    const beforeKill = [0, 1, 2, 3].map(() => summarize(channels[0]));
    const onShard1 = [0, 1].map(() => summarize(channels[1]));
    await eventually(() => queuedIds(first).length === 4, 20_000, 'shard 0’s requests queued');
    first.process.kill('SIGKILL');
    await once(first.process, 'exit');
    assert.ok(
      beforeKill.some((h) => (h.original?.embeds.length ?? 0) === 0),
      'the gateway died while work it queued was still running',
    );

    // Started again while (as far as Discord knows) the old one might still run: two sessions hold shard 0.
    const [second, third] = await Promise.all([startGateway(shard(0)), startGateway(shard(0))]);
    // The killed one's session stays resumable for a while (as on Discord), receiving too: three in all.
    assert.equal(fake.sessionShards().filter(([i]) => i === 0).length, 3, 'two live sessions on shard 0');
    const twoSessions = [0, 1, 2, 3].map(() => summarize(channels[0]));
    await Promise.all(twoSessions.map((h) => h.waitFor('ack', 10_000)));
    await eventually(
      () => queuedIds(second).length + queuedIds(third).length === 4,
      20_000,
      'the two-session requests queued',
    );

    await stopBotProcess(third);
    assert.equal(third.process.exitCode, 0, 'SIGTERM: stopped cleanly');
    assert.ok(third.lines().some((l) => l.msg === 'bot stopped'));
    const afterStop = [0, 1].map(() => summarize(channels[0]));

    const all = [...beforeKill, ...onShard1, ...twoSessions, ...afterStop];
    const replies = await Promise.all(all.map((h) => finalReply(h, 90_000)));
    for (const [i, reply] of replies.entries()) {
      const h = all[i] as InteractionHandle;
      assert.equal(h.callbackType, 5, `request ${i} deferred`);
      assert.ok(reply.embeds.length > 0, `request ${i} has its summary`);
      assert.deepEqual(h.followups, [], `request ${i}: no error or busy reply`);
    }
    await eventually(() => posted().length >= all.length, 20_000, 'the workers’ logs');
    assert.deepEqual(
      posted()
        .map((l) => l.requestId)
        .sort(),
      all.map((h) => h.id).sort(),
      'each request posted exactly once',
    );
    await eventually(() => fake.threads().length === all.length, 10_000, 'one thread per summary');
    for (const thread of fake.threads()) assert.equal(fake.messages(thread.id).length, 1, 'one invitation');

    // Two sessions: each interaction acknowledged by one, refused to the other (40060), left by it quietly.
    const left = [second, third].flatMap((g) =>
      g
        .lines()
        .filter((l) => l.msg === 'acknowledged by another session of this shard: left to it')
        .map((l) => l.requestId),
    );
    assert.deepEqual([...left].sort(), twoSessions.map((h) => h.id).sort(), 'each left once by the loser');
    for (const h of twoSessions) {
      assert.deepEqual(
        h.rejections.map((r) => r.code),
        [40060],
        'the other session’s acknowledgement refused',
      );
    }
    assert.deepEqual(
      [...queuedIds(second), ...queuedIds(third)].sort(),
      [...twoSessions, ...afterStop].map((h) => h.id).sort(),
      'each queued once, by the session that acknowledged it',
    );
    assert.deepEqual(
      queuedIds(third).filter((id) => afterStop.some((h) => h.id === id)),
      [],
      'nothing taken after SIGTERM',
    );
    assert.deepEqual(queuedIds(other).sort(), onShard1.map((h) => h.id).sort());
    for (const g of [second, third, other, ...workers]) {
      assert.deepEqual(
        g.lines().filter((l) => l.msg === 'interaction failed'),
        [],
      );
      assert.deepEqual(g.warnings(), []);
    }
    await eventually(async () => (await jobRows()) === 0, 15_000, 'every job row finished');
    assert.deepEqual(fake.problems(), []);
  });
});
