import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Claim, GroundingCounts, SummaryResult } from '../../../src/engines/engine.js';
import { CACHE_NAMESPACE } from '../../../src/engines/openai/index.js';
import { realisticContent, taskOf, userMessage } from '../../../testkit/fakes/openai/realistic.js';
import { type FakeRequest, reply } from '../../../testkit/fakes/openai/server.js';
import { CountingCache, lavrovArticle, startHarness } from './harness.js';

const article = lavrovArticle();
const S1 = 'Russian foreign minister arrives in China hat in hand.';
const S2 =
  'Russia has sought to strengthen its relationship with China since it launched its full-scale war of aggression against Ukraine in February 2022.';
const HARM = 'The war in Ukraine is currently doing more harm than good to China.';
const CURRENCY =
  'According to Turkey, Russia is currently the third largest user of Chinese currency in the world.';
const claim = (text: string, ...quotes: string[]) => ({ text, quotes });

function assertGrounded(claims: readonly Claim[]): void {
  for (const c of claims) {
    assert.ok(c.quotes.length > 0, `claim without quotes: ${c.text}`);
    for (const q of c.quotes) assert.equal(article.text.slice(q.start, q.end), q.text);
  }
}

function assertCounts(g: GroundingCounts, value: SummaryResult): void {
  const emitted = [...value.summary, ...value.keyPoints].reduce((n, c) => n + c.quotes.length, 0);
  assert.equal(g.verified, emitted);
  assert.equal(g.proposed, g.verified + g.dropped);
  assert.ok(g.repaired <= g.verified);
  assert.ok(g.dropped >= 0);
}

describe('summarize through the real SDK against a fake server', () => {
  it('GIVEN a well-behaved model THEN every claim carries quotes that are the article’s own spans', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)));
    try {
      const r = await h.engine.summarize(article, { length: 'standard', lang: null });
      assert.ok(r.ok);
      assert.ok(r.value.summary.length >= 1 && r.value.summary.length <= 3);
      assert.ok(r.value.keyPoints.length <= 5);
      assertGrounded([...r.value.summary, ...r.value.keyPoints]);
      assertCounts(r.value.grounding, r.value);
      assert.equal(r.value.grounding.dropped, 0);
      assert.equal(r.value.engine, 'openai');
      assert.equal(r.value.model, 'fake-model');
      assert.equal(r.value.fallback, null);
      assert.deepEqual(r.value.usage, { inputTokens: 100, outputTokens: 20 });
      const body = h.fake.requests[0]?.body;
      assert.equal(body?.response_format?.type, 'json_schema');
      assert.equal(body?.response_format?.json_schema?.strict, true);
      assert.equal(body?.model, 'fake-model');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a fabricated quote beside a real one THEN the fabricated one is dropped and counted', async () => {
    const h = await startHarness(() =>
      reply.json({
        summary: [
          claim(
            'Russia’s foreign minister arrives in China hat in hand.',
            S1,
            'Lavrov said the Moon is Chinese.',
          ),
        ],
        key_points: [],
      }),
    );
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
      assert.equal(r.value.summary.length, 1);
      assert.deepEqual(
        r.value.summary[0]?.quotes.map((q) => q.text),
        [S1],
      );
      assert.deepEqual(r.value.grounding, { proposed: 2, verified: 1, dropped: 1, repaired: 0 });
      assert.equal(h.fake.requests.length, 1, 'a claim with a located quote needs no repair');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a near-miss quote (straight apostrophe, other case, extra space) THEN it is snapped to the article’s characters', async () => {
    const nearMiss = "from Beijing's point of view, Russia is a constantly  weakening neighbor";
    const h = await startHarness(() =>
      reply.json({
        summary: [claim('Beijing sees Russia as a weakening neighbor.', nearMiss)],
        key_points: [],
      }),
    );
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
      const q = r.value.summary[0]?.quotes[0];
      assert.ok(q);
      assert.ok(q.text.startsWith('From Beijing’s point of view'), q.text);
      assert.equal(article.text.slice(q.start, q.end), q.text);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a claim whose only quote is fabricated THEN one repair request finds a real quote and it counts as repaired', async () => {
    const h = await startHarness((r) => {
      if (taskOf(r.body) === 'repair')
        return reply.json(realisticContent(r.body), { prompt_tokens: 50, completion_tokens: 10 });
      return reply.json({
        summary: [
          claim(
            'Russia has sought to strengthen its relationship with China since February 2022.',
            'Russia loves China.',
          ),
        ],
        key_points: [claim('The war in Ukraine is doing more harm than good to China.', HARM)],
      });
    });
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
      assert.equal(h.fake.requests.length, 2);
      const repairRequest = userMessage((h.fake.requests[1] as FakeRequest).body);
      assert.match(repairRequest, /\[1\] Statement: Russia has sought to strengthen/);
      assert.ok(repairRequest.includes(S2), 'the repair request lists the most similar passages');
      assert.ok(!repairRequest.includes('[2] Statement'), 'only unsupported claims are sent for repair');
      assert.deepEqual(
        r.value.summary[0]?.quotes.map((q) => q.text),
        [S2],
      );
      assert.deepEqual(r.value.grounding, { proposed: 3, verified: 2, dropped: 1, repaired: 1 });
      assert.deepEqual(r.value.usage, { inputTokens: 150, outputTokens: 30 });
    } finally {
      await h.close();
    }
  });

  it('GIVEN the repair round finds nothing either THEN the claim is dropped', async () => {
    const h = await startHarness((r) => {
      if (taskOf(r.body) === 'repair')
        return reply.json({ repairs: [{ id: 1, quotes: ['Russia loves China deeply.'] }] });
      return reply.json({
        summary: [claim('The war in Ukraine is doing more harm than good to China.', HARM)],
        key_points: [claim('Russia and China signed a treaty.', 'Russia and China signed a treaty.')],
      });
    });
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
      assert.equal(r.value.keyPoints.length, 0);
      assert.deepEqual(r.value.grounding, { proposed: 3, verified: 1, dropped: 2, repaired: 0 });
    } finally {
      await h.close();
    }
  });

  it('GIVEN a real quote under a claim with a wrong name, number or date THEN the claim is dropped without repair', async () => {
    const h = await startHarness(() =>
      reply.json({
        summary: [
          claim(
            'China is a big, indirect beneficiary of the war in Ukraine.',
            'China is a big, indirect beneficiary of the war in Ukraine.',
          ),
        ],
        key_points: [
          claim('Turkey says the war in Ukraine is doing more harm than good to China.', HARM),
          claim('Russia is the second largest user of Chinese currency.', CURRENCY),
          claim('Russia has sought closer ties with China since March 2022.', S2),
          claim('Russia is the third largest user of Chinese currency.', CURRENCY),
        ],
      }),
    );
    try {
      const r = await h.engine.summarize(article, { length: 'standard', lang: null });
      assert.ok(r.ok);
      assert.deepEqual(
        r.value.keyPoints.map((c) => c.text),
        ['Russia is the third largest user of Chinese currency.'],
      );
      assert.deepEqual(r.value.grounding, { proposed: 5, verified: 2, dropped: 3, repaired: 0 });
      assert.equal(h.fake.requests.length, 1);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a length option THEN the prompt asks for that many key points and no more are kept', async () => {
    const sentences = article.text.split(/(?<=\.)\s+/u).filter((s) => s.length > 40 && s.endsWith('.'));
    const h = await startHarness(() =>
      reply.json({
        summary: sentences.slice(0, 5).map((s) => claim(s, s)),
        key_points: sentences.slice(5, 17).map((s) => claim(s, s)),
      }),
    );
    try {
      const short = await h.engine.summarize(article, { length: 'short', lang: null });
      const detailed = await h.engine.summarize(article, { length: 'detailed', lang: null });
      assert.ok(short.ok && detailed.ok);
      assert.equal(short.value.summary.length, 3);
      assert.equal(short.value.keyPoints.length, 3);
      assert.equal(detailed.value.keyPoints.length, 8);
      assert.match(userMessage((h.fake.requests[0] as FakeRequest).body), /up to 3 key points/);
      assert.match(userMessage((h.fake.requests[1] as FakeRequest).body), /up to 8 key points/);
      assertCounts(short.value.grounding, short.value);
    } finally {
      await h.close();
    }
  });

  it('GIVEN an output language THEN the user prompt asks for it and the quotes stay in the article’s language', async () => {
    const h = await startHarness(() =>
      reply.json({ summary: [claim('Der russische Außenminister kommt nach China.', S1)], key_points: [] }),
    );
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: 'de' });
      assert.ok(r.ok);
      assert.equal(r.value.summary[0]?.quotes[0]?.text, S1);
      const body = (h.fake.requests[0] as FakeRequest).body;
      assert.match(userMessage(body), /Write the statements in German \(de\)/);
      assert.ok(!body.messages[0]?.content.includes('German'));
    } finally {
      await h.close();
    }
  });

  it('GIVEN nothing the model said can be grounded THEN the result is engine_failed, never an ungrounded summary', async () => {
    const h = await startHarness((r) =>
      taskOf(r.body) === 'repair'
        ? reply.json({ repairs: [] })
        : reply.json({
            summary: [claim('Aliens landed in Beijing.', 'Aliens landed in Beijing.')],
            key_points: [],
          }),
    );
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
    } finally {
      await h.close();
    }
  });
});

describe('summarize: cache and in-flight sharing', () => {
  it('GIVEN the same request twice THEN the model is asked once and the second result costs no tokens', async () => {
    const cache = new CountingCache();
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { cache });
    try {
      const first = await h.engine.summarize(article, { length: 'standard', lang: null });
      const second = await h.engine.summarize(article, { length: 'standard', lang: null });
      assert.ok(first.ok && second.ok);
      assert.equal(h.fake.requests.length, 1);
      assert.deepEqual(second.value.summary, first.value.summary);
      assert.deepEqual(second.value.usage, { inputTokens: 0, outputTokens: 0 });
      assert.ok([...cache.entries.keys()].every((k) => k.startsWith(`${CACHE_NAMESPACE}:`)));
      const other = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(other.ok);
      assert.equal(h.fake.requests.length, 2, 'different options are a different request');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a cached result whose quotes no longer match the article THEN it is not trusted', async () => {
    const cache = new CountingCache();
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { cache });
    try {
      await h.engine.summarize(article, { length: 'short', lang: null });
      for (const [k, v] of cache.entries) {
        const value = v as SummaryResult;
        const tampered = {
          ...value,
          summary: value.summary.map((c) => ({
            ...c,
            quotes: c.quotes.map((q) => ({ ...q, start: q.start + 1 })),
          })),
        };
        cache.entries.set(k, tampered);
      }
      const again = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(again.ok);
      assert.equal(h.fake.requests.length, 2);
      assertGrounded(again.value.summary);
    } finally {
      await h.close();
    }
  });

  it('GIVEN identical requests at the same time THEN they share one model call', async () => {
    const h = await startHarness(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return reply.json(realisticContent(r.body));
    });
    try {
      const [a, b, c] = await Promise.all([
        h.engine.summarize(article, { length: 'standard', lang: null }),
        h.engine.summarize(article, { length: 'standard', lang: null }),
        h.engine.summarize(article, { length: 'standard', lang: null }),
      ]);
      assert.ok(a.ok && b.ok && c.ok);
      assert.equal(h.fake.requests.length, 1);
      assert.deepEqual(a.value, b.value);
    } finally {
      await h.close();
    }
  });
});

describe('summarize: a broken cache', () => {
  it('GIVEN a cache that throws THEN the model still answers', async () => {
    const broken = {
      get: async () => {
        throw new Error('disk full');
      },
      put: async () => {
        throw new Error('disk full');
      },
    };
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { cache: broken });
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
    } finally {
      await h.close();
    }
  });
});
