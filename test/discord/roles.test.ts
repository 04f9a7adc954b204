import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import pg from 'pg';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { type BotProcess, startBotProcess } from '../../testkit/discord/bot-process.js';
import { eventually, startArticleServer } from '../../testkit/discord/harness.js';
import { page } from '../../testkit/discord/pages.js';
import { guildIdOnShard, startFakeDiscord } from '../../testkit/fakes/discord/index.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';
import { finalReply } from './views.js';

/** CI starts PostgreSQL; a missing server is a failure, never a skip. */
const PG_URL = process.env.VERBATIM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh PostgreSQL database for the test's processes, dropped after it. */
async function freshDatabase(t: TestContext): Promise<string> {
  const name = `verbatim_roles_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  t.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stops a bot process with SIGTERM and waits for it to exit. */
async function stop(bot: BotProcess): Promise<void> {
  if (bot.process.exitCode !== null) return;
  const exited = once(bot.process, 'exit');
  bot.process.kill('SIGTERM');
  await exited;
}

describe('split roles: gateway and workers', () => {
  it('GIVEN one gateway for both shards and two workers on PostgreSQL and Redis WHEN /summarize is used in guilds of both shards THEN the gateway only acknowledges and queues, the workers answer, each request exactly once with one thread', async (t) => {
    const redis = await testRedis(t);
    const databaseUrl = await freshDatabase(t);
    const articles = await startArticleServer(
      Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [
          `/article/${i}`,
          { body: page.replace('</article>', `<p>Reader note number ${i}.</p></article>`) },
        ]),
      ),
    );
    t.after(() => articles.close());
    const [guildA, guildB] = [guildIdOnShard(0, 2, 1), guildIdOnShard(1, 2, 2)];
    const fake = await startFakeDiscord({
      shards: 2,
      maxConcurrency: 2,
      guilds: [
        { id: guildA, channels: [{ name: 'general-a' }] },
        { id: guildB, channels: [{ name: 'general-b' }] },
      ],
    });
    t.after(() => fake.close());
    await deployCommands(commands, {
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: null,
      apiUrl: fake.apiUrl,
    });
    const env = {
      LOG_LEVEL: 'info',
      VERBATIM_ENGINE: 'extractive',
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: redis.prefix,
      FETCH_ALLOW: '127.0.0.1/32',
      FETCH_ALLOWED_PORTS: String(articles.port),
      WORKER_THREADS: '1',
      DISCORD_USER_SUMMARIES_PER_MINUTE: '0',
    };
    const processes: BotProcess[] = [];
    t.after(async () => {
      for (const p of processes) await stop(p);
    });
    // The gateway first: it migrates the fresh database before the workers open it.
    const gateway = await startBotProcess({ ...env, VERBATIM_ROLE: 'gateway' });
    processes.push(gateway);
    for (let i = 0; i < 2; i++) {
      processes.push(await startBotProcess({ ...env, VERBATIM_ROLE: 'worker', ENGINE_MAX_ACTIVE: '1' }));
    }
    const workers = processes.slice(1);
    assert.deepEqual(
      fake
        .sessionShards()
        .map((s) => s.join('/'))
        .sort(),
      ['0/2', '1/2'],
      'one gateway, both shards of the recommended 2',
    );

    const channels = [fake.channelByName('general-a', guildA).id, fake.channelByName('general-b', guildB).id];
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

    const posted = () => workers.flatMap((w) => w.lines().filter((l) => l.msg === 'summary posted'));
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
    for (const i of [0, 1, 2, 3, 4, 5])
      assert.equal(articles.hits.get(`/article/${i}`), 1, `article ${i} fetched once`);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM jobs');
    await db.end();
    assert.equal(Number(rows[0]?.n), 0, 'every job row finished');
    for (const p of processes) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });
});
