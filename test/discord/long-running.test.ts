import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import {
  eventually,
  modelEnv,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pastedBody as pasted } from '../../testkit/discord/pages.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { embedsOf, finalReply } from './views.js';

/** Requests through one running bot: well past the 10 listeners after which node warns. */
const REQUESTS = 50;
/** Requests in flight at once (the engine runs ENGINE_MAX_ACTIVE = 4; the rest wait). */
const AT_ONCE = 5;

describe('a long-running bot', () => {
  it(`GIVEN ${REQUESTS} model-written summaries (pasted and fetched) and answers through one running bot THEN no process warning, and the shutdown signal holds no more abort listeners than before`, async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    t.after(() => void process.off('warning', onWarning));
    const openai = await startFakeOpenAI({ handler: realisticReply });
    t.after(() => openai.close());
    const articles = await startArticleServer({ '/news/barrier': { body: page } });
    t.after(() => articles.close());
    const h = await startHarness(t, {
      articles,
      fake: { rateLimits: WIDE_BUCKETS },
      env: modelEnv(openai),
    });
    const signal = h.bot.context.signal;
    const listenersBefore = getEventListeners(signal, 'abort').length;

    const first = await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }));
    const thread = await eventually(() => h.fake.threads().find((x) => x.id === first.id), 5000, 'thread');
    const request = (i: number) =>
      i % 5 === 4
        ? h.fake.sendSlashCommand({
            name: 'ask',
            options: { question: `How much does each gate weigh? (${i})` },
            channelId: thread.id,
          })
        : i % 5 === 3
          ? h.fake.sendSlashCommand({
              name: 'summarize',
              options: { url: `${articles.url('/news/barrier')}?copy=${i}` },
            })
          : h.fake.sendSlashCommand({ name: 'summarize', options: { text: `${pasted}\n\nCopy ${i}.` } });
    for (let i = 1; i < REQUESTS; i += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, REQUESTS - i) }, (_, k) => request(i + k));
      const replies = await Promise.all(batch.map((handle) => finalReply(handle, 30_000)));
      for (const reply of replies) assert.match(embedsOf(reply).at(-1)?.footer?.text ?? '', /openai/u);
    }
    await tick();

    // The fetched copies are one text: its summary is written once, then comes from the cache.
    assert.ok(openai.requests.length >= REQUESTS - 10, `${openai.requests.length} model calls`);
    assert.equal(articles.hits.get('/news/barrier'), 10, 'every fetched copy was fetched');
    assert.equal(getEventListeners(signal, 'abort').length, listenersBefore);
    assert.deepEqual(warnings, []);
    assert.deepEqual(problems(h), []);
  });
});
