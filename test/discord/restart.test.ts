import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { notices } from '../../src/discord/messages.js';
import { CUSTOM_IDS } from '../../src/discord/payloads.js';
import {
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
} from '../../testkit/discord/harness.js';
import { page, pastedBody as pasted } from '../../testkit/discord/pages.js';
import { runRestartUnderLoad } from '../../testkit/drivers/restart-under-load.js';
import type { InteractionHandle, StoredMessage } from '../../testkit/fakes/discord/index.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { assertQuotesFromArticle, finalReply } from './views.js';

/** The custom id of the "Try again" button on a message, if it has one. */
function retryButtonOf(message: StoredMessage | null | undefined): string | undefined {
  const rows = (message?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows
    .flatMap((r) => r.components ?? [])
    .map((c) => c.custom_id)
    .find((id) => id?.startsWith(`${CUSTOM_IDS.retry}:`));
}

/** A summary of a slow link, interrupted by a restart whose drain gives it 100 ms. */
async function interruptedSummary(h: Harness, url: string): Promise<InteractionHandle> {
  const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url } });
  await handle.waitFor('ack');
  await eventually(async () => (await h.bot.service.store.unfinishedJobs()).length > 0, 5000, 'the job');
  await h.restart({ graceMs: 100 });
  await handle.waitFor((x) => retryButtonOf(x.original) !== undefined, 5000);
  return handle;
}

describe('restarts', () => {
  it('GIVEN mixed requests and the bot process restarted mid-way, by SIGTERM and by SIGKILL THEN every request ends with its answer (at once, after Try again, or asked again) and none is lost', async () => {
    for (const variant of ['sigterm', 'sigkill'] as const) {
      const result = await runRestartUnderLoad({ requests: 10, variant, modelDelayMs: 1500, graceMs: 500 });
      const lost = result.reports.filter((r) => r.fate === 'lost' || r.fate === 'failed');
      assert.deepEqual(lost, [], `${variant}: nothing lost or failed`);
      assert.ok(result.counts.retried > 0, `${variant}: the restart interrupted work, which was retried`);
      assert.equal(result.counts.answered + result.counts.retried + result.counts.reasked, result.requests);
      assert.deepEqual(result.fakeProblems, []);
      if (variant === 'sigterm') {
        assert.equal(result.exitCode, 0, 'SIGTERM exits 0');
        assert.ok(result.exitMs < 500 + 2000 + 3000, `exited promptly (${result.exitMs} ms)`);
        assert.ok(result.toldAtShutdown > 0, 'the stopping process offered the retries');
        assert.equal(
          result.counts.reasked,
          2,
          'both requests sent while draining were turned away, then answered',
        );
      } else {
        assert.ok(result.toldAfterRestart > 0, 'the next process offered the retries');
      }
    }
  });

  it('GIVEN a summary interrupted by a restart WHEN someone else presses Try again THEN only they are told it is not theirs; the requester’s press replaces the notice with the summary', async (t) => {
    const articles = await startArticleServer({ '/slow': { body: page, delayMs: 3000 } });
    t.after(() => articles.close());
    const h = await startHarness(t, { articles });
    const handle = await interruptedSummary(h, articles.url('/slow'));
    assert.equal(handle.original?.content, notices.stoppedRetry);
    const customId = retryButtonOf(handle.original) as string;
    assert.equal(customId, `${CUSTOM_IDS.retry}:${handle.id}`);

    const bob = h.fake.sendButton({
      customId,
      messageId: handle.original?.id as string,
      user: h.fake.userByName('bob').id,
    });
    await bob.waitFor('responded');
    assert.equal(bob.ephemeral, true);
    assert.equal(bob.original?.content, notices.retryNotYours);

    articles.set('/slow', { body: page });
    const press = h.fake.sendButton({ customId, messageId: handle.original?.id as string });
    await press.waitFor((x) => (x.original?.embeds.length ?? 0) > 0, 15_000);
    assert.equal(press.original?.id, handle.original?.id, 'the notice became the summary');
    assertQuotesFromArticle(press.original?.embeds ?? [], pasted);
    assert.equal(retryButtonOf(press.original), undefined, 'no Try again left on it');
    await eventually(() => h.fake.threads().some((x) => x.id === handle.original?.id), 5000, 'its thread');
    await eventually(
      async () => (await h.bot.service.store.unfinishedJobs()).length === 0,
      5000,
      'jobs done',
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a pasted text interrupted while the model works THEN its job keeps the stored article’s hash, not the text, and Try again summarizes it from the store', async (t) => {
    let slow = true;
    const openai = await startFakeOpenAI({
      handler: async (request) => {
        if (slow) await sleep(4000);
        return realisticReply(request);
      },
    });
    t.after(() => openai.close());
    const h = await startHarness(t, {
      env: {
        VERBATIM_ENGINE: 'openai',
        OPENAI_BASE_URL: openai.baseURL,
        OPENAI_API_KEY: 'k',
        OPENAI_MAX_RETRIES: '0',
      },
    });
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const job = await eventually(
      async () => {
        const [j] = await h.bot.service.store.unfinishedJobs();
        return (j?.payload as { retry?: { source?: { kind?: string } } } | undefined)?.retry?.source?.kind ===
          'stored'
          ? j
          : null;
      },
      5000,
      'the job to refer to the stored article',
    );
    assert.ok(!JSON.stringify(job.payload).includes(pasted.slice(0, 40)), 'the text is not kept twice');
    await h.restart({ graceMs: 100 });
    await handle.waitFor((x) => retryButtonOf(x.original) !== undefined, 5000);
    slow = false;
    const press = h.fake.sendButton({
      customId: retryButtonOf(handle.original) as string,
      messageId: handle.original?.id as string,
    });
    await press.waitFor((x) => (x.original?.embeds.length ?? 0) > 0, 15_000);
    assertQuotesFromArticle(press.original?.embeds ?? [], pasted);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN an interrupted paste whose stored article was purged, or a request older than DISCORD_RETRY_HOURS THEN Try again says so and forgets the job', async (t) => {
    const articles = await startArticleServer({ '/slow': { body: page, delayMs: 3000 } });
    t.after(() => articles.close());
    const h = await startHarness(t, { articles, env: { DISCORD_RETRY_HOURS: '1' } });
    const old = await interruptedSummary(h, articles.url('/slow'));
    const raw = new Database(h.dbPath);
    raw.prepare('UPDATE jobs SET started_at = ? WHERE id = ?').run(Date.now() - 2 * 3_600_000, old.id);
    raw.close();
    const tooOld = h.fake.sendButton({
      customId: retryButtonOf(old.original) as string,
      messageId: old.original?.id as string,
    });
    await tooOld.waitFor((x) => x.original?.content === notices.retryTooOld, 5000);
    assert.equal(retryButtonOf(tooOld.original), undefined);

    const stored = await h.bot.service.store.unfinishedJobs();
    assert.deepEqual(stored, [], 'the old job is forgotten');
    const gone = {
      id: '900000000000000001',
      kind: 'summarize',
      guildId: h.fake.guildId,
      channelId: h.fake.channelId,
      userId: h.fake.user.id,
      reply: { via: 'message' as const, messageId: '900000000000000000' },
      startedAt: Date.now() - 1000,
      payload: {
        v: 1,
        retry: {
          kind: 'summarize',
          source: { kind: 'stored', contentHash: 'f'.repeat(64) },
          length: 'standard',
          lang: null,
          private: false,
          openThread: true,
        },
        interruptedAt: null,
      },
    };
    await h.bot.service.store.recordJob(gone);
    await h.restart();
    const notice = await h.fake.waitForMessage(
      h.fake.channelId,
      (m) => m.content === notices.interruptedRetry,
    );
    const press = h.fake.sendButton({ customId: retryButtonOf(notice) as string, messageId: notice.id });
    await press.waitFor((x) => x.original?.content === notices.retryGone, 5000);
    assert.deepEqual(await h.bot.service.store.unfinishedJobs(), []);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN SIGTERM while a summary runs THEN new interactions and mentions get an immediate “restarting” answer, the running summary finishes within the grace period, and the bot stops', async (t) => {
    const articles = await startArticleServer({ '/slow': { body: page, delayMs: 1000 } });
    t.after(() => articles.close());
    const h = await startHarness(t, { articles });
    const running = h.fake.sendSlashCommand({ name: 'summarize', options: { url: articles.url('/slow') } });
    await running.waitFor('ack');
    const stopping = h.bot.stop({ graceMs: 10_000 });
    const turned = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const mention = h.fake.postUserMessage({ content: 'summarize https://example.com', mentionsBot: true });
    await turned.waitFor('responded', 2000);
    assert.equal(turned.original?.content, notices.shuttingDown);
    assert.ok((turned.ackLatencyMs ?? 3000) < 1000, `answered at once (${turned.ackLatencyMs} ms)`);
    const reply = await h.fake.waitForMessage(
      h.fake.channelId,
      (m) => m.api.message_reference?.message_id === mention.id,
    );
    assert.equal(reply.content, notices.shuttingDown);
    assertQuotesFromArticle((await finalReply(running)).embeds, pasted);
    await eventually(
      async () => (await h.bot.service.store.unfinishedJobs()).length === 0,
      2000,
      'nothing left for the next start to apologise for',
    );
    const started = performance.now();
    await stopping;
    assert.ok(performance.now() - started < 5000, 'stopped promptly once the work was done');
    assert.deepEqual(problems(h), []);
  });
});
