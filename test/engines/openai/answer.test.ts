import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Turn } from '../../../src/engines/engine.js';
import { HISTORY_CHARS, HISTORY_TURNS } from '../../../src/engines/openai/index.js';
import {
  articleIn,
  realisticContent,
  taggedBlock,
  taskOf,
  userMessage,
} from '../../../testkit/fakes/openai/realistic.js';
import { type FakeRequest, reply } from '../../../testkit/fakes/openai/server.js';
import { CountingCache, lavrovArticle, startHarness } from './harness.js';

const article = lavrovArticle();
const YELLEN =
  'In Turkey’s opinion, it is very noteworthy that at the same time as Lavrov, US Treasury Secretary Janet Yellen is visiting China, meeting with the country’s top political leadership.';

function turns(n: number): Turn[] {
  return Array.from({ length: n }, (_, i) => ({
    question: `Question number ${i}: what does the article say about topic ${i}? ${'x'.repeat(200)}`,
    answer: [{ text: `Answer number ${i}. ${'y'.repeat(300)}`, quotes: [] }],
  }));
}

describe('answer through the real SDK against a fake server', () => {
  it('GIVEN a question the article answers THEN the claims are grounded in the article', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)));
    try {
      const r = await h.engine.answer(article, 'Who is visiting China at the same time as Lavrov?', []);
      assert.ok(r.ok);
      assert.equal(r.value.answerable, true);
      assert.ok(r.value.answer.length >= 1);
      for (const c of r.value.answer)
        for (const q of c.quotes) assert.equal(article.text.slice(q.start, q.end), q.text);
      assert.equal(r.value.answer[0]?.quotes[0]?.text, YELLEN);
      const user = userMessage((h.fake.requests[0] as FakeRequest).body);
      assert.match(user, /^Question: Who is visiting China at the same time as Lavrov\?$/mu);
      assert.equal(articleIn((h.fake.requests[0] as FakeRequest).body), article.text);
    } finally {
      await h.close();
    }
  });

  it('GIVEN the model says the article does not say THEN answerable is false with no claims', async () => {
    const h = await startHarness(() => reply.json({ answerable: false, claims: [] }));
    try {
      const r = await h.engine.answer(article, 'What is the capital of Peru?', []);
      assert.ok(r.ok);
      assert.equal(r.value.answerable, false);
      assert.deepEqual(r.value.answer, []);
    } finally {
      await h.close();
    }
  });

  it('GIVEN an answer whose claims cannot be grounded THEN it becomes "the article doesn’t say"', async () => {
    const h = await startHarness((r) =>
      taskOf(r.body) === 'repair'
        ? reply.json({ repairs: [{ id: 1, quotes: ['Lima is the capital of Peru.'] }] })
        : reply.json({
            answerable: true,
            claims: [{ text: 'Lima is the capital of Peru.', quotes: ['Lima is the capital.'] }],
          }),
    );
    try {
      const r = await h.engine.answer(article, 'What is the capital of Peru?', []);
      assert.ok(r.ok);
      assert.equal(r.value.answerable, false);
      assert.deepEqual(r.value.answer, []);
      assert.deepEqual(r.value.grounding, { proposed: 2, verified: 0, dropped: 2, repaired: 0 });
    } finally {
      await h.close();
    }
  });

  it('GIVEN 200 turns of history THEN the prompt holds only the last few, within the character bound', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)));
    try {
      const q = 'What does Turkey say about Yellen?';
      await h.engine.answer(article, q, turns(3));
      await h.engine.answer(article, q, turns(200));
      const [small, large] = h.fake.requests.map((r) => r.body);
      const history = taggedBlock(large as NonNullable<typeof large>, 'history') ?? '';
      assert.ok(history.length <= HISTORY_CHARS, `history block is ${history.length} chars`);
      assert.match(history, /Question number 199/);
      assert.doesNotMatch(history, /Question number 0:/);
      assert.ok((history.match(/^Q: /gmu) ?? []).length <= HISTORY_TURNS);
      const sizeSmall = userMessage(small as NonNullable<typeof small>).length;
      const sizeLarge = userMessage(large as NonNullable<typeof large>).length;
      assert.ok(sizeLarge <= sizeSmall + HISTORY_CHARS, `${sizeLarge} vs ${sizeSmall}`);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a long article THEN only the chunks most like the question are sent, within the budget', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { contextChars: 2500 });
    try {
      const r = await h.engine.answer(article, 'Is Janet Yellen visiting China?', []);
      assert.ok(r.ok);
      const body = (h.fake.requests[0] as FakeRequest).body;
      const sent = articleIn(body);
      assert.ok(sent.length <= 2500, `sent ${sent.length} chars`);
      assert.ok(sent.includes('Janet Yellen'), 'the chunk that answers is chosen');
      assert.match(userMessage(body), /most related to the question/);
      assert.equal(r.value.answer[0]?.quotes[0]?.text, YELLEN);
    } finally {
      await h.close();
    }
  });

  it('GIVEN the same question twice THEN one model call; a different question or history is a new one', async () => {
    const cache = new CountingCache();
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { cache });
    try {
      await h.engine.answer(article, 'Who visits China?', []);
      await h.engine.answer(article, '  Who visits China?  ', []);
      assert.equal(h.fake.requests.length, 1);
      await h.engine.answer(article, 'Who is Yellen?', []);
      await h.engine.answer(article, 'Who visits China?', turns(1));
      assert.equal(h.fake.requests.length, 3);
    } finally {
      await h.close();
    }
  });

  it('GIVEN an empty question THEN empty_input without a model call', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)));
    try {
      const r = await h.engine.answer(article, '   ', []);
      assert.equal(!r.ok && r.error.code, 'empty_input');
      assert.equal(h.fake.requests.length, 0);
    } finally {
      await h.close();
    }
  });
});
