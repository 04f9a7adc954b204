import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeArticle } from '../../../src/article/article.js';
import { articleIn, realisticContent, taskOf, userMessage } from '../../../testkit/fakes/openai/realistic.js';
import { type FakeRequest, reply } from '../../../testkit/fakes/openai/server.js';
import { lavrovArticle, startHarness } from './harness.js';

const article = lavrovArticle();

describe('long articles: map over chunks, then reduce', () => {
  it('GIVEN an article longer than contextChars THEN each chunk fits, reduce merges, and every final quote is the article’s own span', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { contextChars: 2000 });
    try {
      const r = await h.engine.summarize(article, { length: 'standard', lang: null });
      assert.ok(r.ok);
      const tasks = h.fake.requests.map((q) => taskOf(q.body));
      const maps = tasks.filter((t) => t === 'map').length;
      assert.ok(maps >= 4, `expected ≥ 4 map calls for ${article.text.length} chars, got ${maps}`);
      assert.equal(tasks.at(-1), 'reduce');
      assert.equal(tasks.filter((t) => t === 'reduce').length, 1);
      for (const q of h.fake.requests.filter((x) => taskOf(x.body) === 'map')) {
        assert.ok(articleIn(q.body).length <= 2000);
      }
      const all = [...r.value.summary, ...r.value.keyPoints];
      assert.ok(all.length >= 2);
      for (const c of all) {
        assert.ok(c.quotes.length > 0);
        for (const q of c.quotes) assert.equal(article.text.slice(q.start, q.end), q.text);
      }
      const reduceUser = userMessage((h.fake.requests.at(-1) as FakeRequest).body);
      assert.match(reduceUser, /^\[1\] .*\n {4}Quote: "/mu);
      const g = r.value.grounding;
      assert.equal(g.proposed, g.verified + g.dropped);
      assert.deepEqual(r.value.usage, {
        inputTokens: 100 * h.fake.requests.length,
        outputTokens: 20 * h.fake.requests.length,
      });
    } finally {
      await h.close();
    }
  });

  it('GIVEN reduce names a point that does not exist THEN that item has no quotes and goes to repair, not to the user', async () => {
    const h = await startHarness(
      (r) => {
        const task = taskOf(r.body);
        if (task === 'reduce') {
          return reply.json({
            summary: [{ text: 'Russia depends on China more and more.', points: [1] }],
            key_points: [{ text: 'A made-up point.', points: [999] }],
          });
        }
        if (task === 'repair') return reply.json({ repairs: [{ id: 1, quotes: [] }] });
        return reply.json(realisticContent(r.body));
      },
      { contextChars: 2500 },
    );
    try {
      const r = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(r.ok);
      assert.equal(r.value.keyPoints.length, 0);
      assert.equal(r.value.summary.length, 1);
      assert.ok(h.fake.requests.some((q) => taskOf(q.body) === 'repair'));
    } finally {
      await h.close();
    }
  });

  it('GIVEN the server says context_length_exceeded THEN the request is split until it fits', async () => {
    const limit = 3000;
    let refused = 0;
    const h = await startHarness((r) => {
      if (articleIn(r.body).length > limit) {
        refused++;
        return reply.contextTooLong();
      }
      return reply.json(realisticContent(r.body));
    });
    try {
      const r = await h.engine.summarize(article, { length: 'standard', lang: null });
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.ok(refused >= 1);
      const accepted = h.fake.requests.filter(
        (q) => articleIn(q.body).length <= limit && taskOf(q.body) === 'map',
      );
      assert.ok(accepted.length >= 3);
      for (const c of [...r.value.summary, ...r.value.keyPoints]) {
        for (const q of c.quotes) assert.equal(article.text.slice(q.start, q.end), q.text);
      }
      const before = h.fake.requests.length;
      const again = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(again.ok);
      const later = h.fake.requests.slice(before);
      assert.ok(
        later.every((q) => articleIn(q.body).length <= limit),
        'the smaller context is remembered for later requests',
      );
    } finally {
      await h.close();
    }
  });

  it('GIVEN a very long article of repeated paragraphs THEN offsets stay valid for quotes found anywhere', async () => {
    const paragraphs = Array.from(
      { length: 60 },
      (_, i) =>
        `Paragraph ${i + 1} reports that the harbour of town number ${i + 1} reopened after the storm.`,
    );
    const long = makeArticle(paragraphs.join('\n\n'), { lang: 'en' });
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { contextChars: 1200 });
    try {
      const r = await h.engine.summarize(long, { length: 'detailed', lang: null });
      assert.ok(r.ok);
      for (const c of [...r.value.summary, ...r.value.keyPoints]) {
        for (const q of c.quotes) assert.equal(long.text.slice(q.start, q.end), q.text);
      }
    } finally {
      await h.close();
    }
  });

  it('GIVEN a concurrency cap THEN no more model calls than that are ever in flight', async () => {
    for (const concurrency of [1, 3]) {
      let inFlight = 0;
      let peak = 0;
      const h = await startHarness(
        async (r) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inFlight--;
          return reply.json(realisticContent(r.body));
        },
        { contextChars: 1500, concurrency },
      );
      try {
        const r = await h.engine.summarize(article, { length: 'standard', lang: null });
        assert.ok(r.ok);
        assert.ok(h.fake.requests.length >= 5);
        assert.equal(peak, concurrency, `concurrency ${concurrency}`);
      } finally {
        await h.close();
      }
    }
  });
});
