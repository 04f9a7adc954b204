import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Events } from 'discord.js';
import { notices } from '../../src/discord/texts.js';
import { startBotProcess } from '../../testkit/discord/bot-process.js';
import { eventually, problems, startArticleServer, startHarness } from '../../testkit/discord/harness.js';
import { page, pastedBody as pasted } from '../../testkit/discord/pages.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { assertQuotesFromArticle, finalReply } from './views.js';

describe('a bot that keeps working when things go wrong', () => {
  it('GIVEN Discord answering 429 to the reply edit and to the thread THEN discord.js waits and retries, and the user gets everything', async (t) => {
    const h = await startHarness(t);
    h.fake.rateLimitNext(/^PATCH \/webhooks\//u, 0.3);
    h.fake.rateLimitNext('POST /channels/{channel.id}/messages/{message.id}/threads', 0.2);
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    await eventually(() => h.fake.threads().find((x) => x.id === summary.id), 5000, 'thread');
    const statuses = (prefix: string) =>
      h.fake
        .requests()
        .filter((r) => `${r.method} ${r.path}`.startsWith(prefix))
        .map((r) => r.status);
    assert.deepEqual(statuses('PATCH /webhooks/').slice(0, 2), [429, 200]);
    assert.deepEqual(
      statuses('POST /channels/').filter((s) => s === 429),
      [429],
    );
    assert.deepEqual(problems(h), [], 'no rate-limit overruns, no errors');
  });

  it('GIVEN a dropped gateway connection THEN the bot resumes and still answers', async (t) => {
    const h = await startHarness(t);
    const resumed = once(h.bot.client, Events.ShardResume);
    h.fake.dropConnection();
    await resumed;
    assert.equal(h.fake.gatewayStats.resumes, 1);
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    assertQuotesFromArticle((await finalReply(handle)).embeds, pasted);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a user over their summaries per minute THEN they are told when to try again; others are not affected', async (t) => {
    const h = await startHarness(t, { env: { DISCORD_USER_SUMMARIES_PER_MINUTE: '1' } });
    await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }));
    const again = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    await again.waitFor('responded');
    assert.equal(again.callbackType, 4);
    assert.equal(again.ephemeral, true);
    assert.match(again.original?.content ?? '', /Try again in (59|60) seconds\./u);
    const bob = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      user: h.fake.userByName('bob').id,
    });
    assertQuotesFromArticle((await finalReply(bob)).embeds, pasted);
  });

  it('GIVEN the engine’s capacity full THEN a new request is told the bot is busy', async (t) => {
    const openai = await startFakeOpenAI({
      handler: async (request) => {
        await sleep(1500);
        return realisticReply(request);
      },
    });
    t.after(() => openai.close());
    const h = await startHarness(t, {
      env: {
        VERBATIM_ENGINE: 'openai',
        OPENAI_BASE_URL: openai.baseURL,
        OPENAI_API_KEY: 'test-key',
        OPENAI_MAX_RETRIES: '0',
        ENGINE_MAX_ACTIVE: '1',
        ENGINE_MAX_WAITING: '0',
      },
    });
    const first = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    await eventually(() => openai.requests.length > 0, 5000, 'the first model call');
    const second = h.fake.sendSlashCommand({ name: 'summarize', options: { text: `${pasted}\n\nAnother.` } });
    await second.waitFor((x) => x.followups.some((f) => f.ephemeral), 5000);
    assert.match(
      second.followups[0]?.content ?? '',
      /busy with other requests right now\. Try again in a minute\./u,
    );
    assertQuotesFromArticle((await finalReply(first)).embeds, pasted);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN requests that succeed and fail THEN metrics count them by kind and outcome, and time the acknowledgements', async (t) => {
    const h = await startHarness(t);
    await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }));
    const bad = h.fake.sendSlashCommand({ name: 'summarize', options: { url: 'not a link' } });
    await bad.waitFor((x) => x.followups.some((f) => f.ephemeral), 5000);
    const help = h.fake.postUserMessage({ content: 'hi', mentionsBot: true });
    await h.fake.waitForMessage(h.fake.channelId, (m) => m.api.message_reference?.message_id === help.id);
    const text = await eventually(
      async () => {
        const rendered = await h.bot.context.metrics.render();
        return rendered.includes('outcome="bad_usage"') ? rendered : null;
      },
      5000,
      'the metrics',
    );
    assert.match(text, /^verbatim_requests_total\{kind="summarize",outcome="ok"\} 1$/mu);
    assert.match(text, /^verbatim_requests_total\{kind="summarize",outcome="invalid_url"\} 1$/mu);
    assert.match(text, /^verbatim_requests_total\{kind="mention",outcome="bad_usage"\} 1$/mu);
    assert.match(text, /^verbatim_ack_latency_seconds_count 2$/mu);
    assert.match(text, /^verbatim_grounding_quotes_total\{result="verified"\} [1-9]/mu);
    assert.match(text, /^verbatim_cache_misses_total\{cache="model"\} 1$/mu);
    assert.match(text, /^verbatim_inflight_jobs 0$/mu);
  });

  it('GIVEN a failure nobody planned for (the database gone) THEN the user gets a short apology with a reference, and the log has the details; in a server, where the server’s defaults cannot be read before the acknowledgement, a plain “busy”', async (t) => {
    const h = await startHarness(t, { global: true });
    await h.bot.system.store.close();
    // In a DM there are no server defaults to read: the job cannot be recorded, so the request fails
    // before its acknowledgement — a private reply.
    const dm = h.fake.openDm();
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: dm.id,
    });
    await handle.waitFor('responded', 10_000);
    assert.equal(handle.ephemeral, true);
    const notice = handle.original?.content ?? '';
    assert.equal(
      notice,
      `Something went wrong on my side. Try again; if it keeps happening, tell the server admins (reference ${handle.id}).`,
    );
    const logged = h.logs.find((l) => l.msg === 'interaction failed');
    assert.ok(logged, 'logged');
    assert.equal(logged.interactionId, handle.id);
    assert.ok(JSON.stringify(logged.err).includes('stack'), 'the stack is in the log, not in Discord');
    // In a server the defaults (private or not decides the acknowledgement) come first: a store that
    // cannot answer them is told as busy, like PostgreSQL unreachable from a gateway.
    const inServer = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    await inServer.waitFor('responded', 10_000);
    assert.equal(inServer.ephemeral, true);
    assert.equal(inServer.original?.content ?? '', notices.queueDown);
    assert.ok(
      h.logs.some(
        (l) => l.msg === 'could not read server settings' && JSON.stringify(l.err).includes('stack'),
      ),
      'the store’s error is in the log',
    );
    assert.deepEqual(h.errors, [], 'nothing escaped to the client’s error event');
  });

  it('GIVEN a restart while a summary is being fetched THEN its reply says the bot had to restart and offers to try again', async (t) => {
    const articles = await startArticleServer({ '/slow': { body: page, delayMs: 3000 } });
    t.after(() => articles.close());
    const h = await startHarness(t, { articles });
    const slow = h.fake.sendSlashCommand({ name: 'summarize', options: { url: articles.url('/slow') } });
    await slow.waitFor('ack');
    await eventually(() => articles.hits.get('/slow'), 5000, 'the fetch');
    await h.restart({ graceMs: 100 });
    await slow.waitFor((x) => (x.original?.components.length ?? 0) > 0, 5000);
    assert.equal(
      slow.original?.content,
      'I had to restart while working on this. Press **Try again** in a moment to run it again.',
    );

    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the bot process killed in the middle of a summary THEN after it restarts the user is told; with HEALTH_PORT it is ready on /readyz; SIGTERM stops it cleanly; neither process printed a warning', async (t) => {
    const articles = await startArticleServer({ '/slow': { body: page, delayMs: 5000 } });
    t.after(() => articles.close());
    const h = await startHarness(t, { articles });
    await h.bot.stop();

    const child = await startBotProcess(h.env);
    t.after(() => void child.process.kill('SIGKILL'));
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url: articles.url('/slow') } });
    await handle.waitFor('ack', 5000);
    await eventually(() => articles.hits.get('/slow'), 5000, 'the fetch');
    child.process.kill('SIGKILL');
    await once(child.process, 'exit');

    await h.restart();
    await handle.waitFor(
      (x) =>
        x.edits.some(
          (e) =>
            (e.body as { content?: string }).content ===
            'I restarted while working on this. Press **Try again** to run it again.',
        ),
      5000,
    );
    const [kept] = await h.bot.system.store.unfinishedJobs();
    assert.equal(kept?.id, handle.id, 'kept for its retry');
    await h.bot.stop();

    const port = await freePort();
    const second = await startBotProcess({ ...h.env, HEALTH_PORT: String(port) });
    t.after(() => void second.process.kill('SIGKILL'));
    await eventually(() => second.lines().some((l) => l.msg === 'health server listening'), 10_000, 'health');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ok: true, checks: { discord: true, store: true } });
    assert.match(
      await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
      /^process_start_time_seconds /mu,
    );
    second.process.kill('SIGTERM');
    const [code] = (await once(second.process, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.ok(second.lines().some((l) => l.msg === 'bot stopped'));
    assert.deepEqual([...child.warnings(), ...second.warnings()], []);
  });
});

/** A port nothing listens on right now (the kernel's choice, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
