import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Article, makeArticle } from '../../../src/article/article.js';
import type { AnswerResult, Claim, SummaryResult } from '../../../src/engines/engine.js';
import { ANSWER_THRESHOLD, createExtractiveEngine } from '../../../src/engines/extractive/index.js';
import { MAX_QUOTE_CHARS } from '../../../src/grounding/index.js';
import { readFixture } from '../../helpers/fixtures.js';

const lavrov = makeArticle(readFixture('extractive', 'lavrov-china.txt'), { lang: 'en' });
const engine = createExtractiveEngine();

async function summarize(article: Article, length: 'short' | 'standard' | 'detailed' = 'standard') {
  const result = await engine.summarize(article, { length, lang: null });
  assert.equal(result.ok, true, JSON.stringify(result));
  if (!result.ok) throw new Error('unreachable');
  return result.value;
}

async function answer(article: Article, question: string, history: AnswerResult[] = []) {
  const turns = history.map((h, i) => ({ question: `q${i}`, answer: h.answer }));
  const result = await engine.answer(article, question, turns);
  assert.equal(result.ok, true, JSON.stringify(result));
  if (!result.ok) throw new Error('unreachable');
  return result.value;
}

/** Every quote is the article's own characters at its offsets, within the length cap. */
function assertGrounded(article: Article, claims: readonly Claim[]): void {
  for (const claim of claims) {
    assert.ok(claim.quotes.length >= 1);
    for (const q of claim.quotes) {
      assert.equal(article.text.slice(q.start, q.end), q.text);
      assert.ok(q.start >= 0 && q.start < q.end && q.end <= article.text.length);
      assert.ok(q.text.length <= MAX_QUOTE_CHARS);
    }
  }
}

function assertOfflineInfo(value: SummaryResult | AnswerResult, claims: readonly Claim[]): void {
  assert.equal(value.engine, 'extractive');
  assert.equal(value.model, null);
  assert.equal(value.fallback, null);
  assert.deepEqual(value.usage, { inputTokens: 0, outputTokens: 0 });
  const quotes = claims.reduce((n, c) => n + c.quotes.length, 0);
  assert.deepEqual(value.grounding, {
    proposed: quotes,
    verified: quotes,
    dropped: 0,
    repaired: 0,
    unsupported: 0,
  });
}

describe('extractive summarize', () => {
  it('GIVEN the sample article at each length THEN the summary has 1, 2, 3 sentences and distinct key points', async () => {
    for (const [length, count] of [
      ['short', 1],
      ['standard', 2],
      ['detailed', 3],
    ] as const) {
      const value = await summarize(lavrov, length);
      assert.equal(value.summary.length, count, length);
      assert.ok(value.keyPoints.length >= 3, length);
      const all = [...value.summary, ...value.keyPoints];
      assertGrounded(lavrov, all);
      assertOfflineInfo(value, all);
      assert.equal(new Set(all.map((c) => c.quotes[0]?.start)).size, all.length, 'no sentence twice');
    }
  });

  it('GIVEN the sample article THEN no breadcrumb, credit, hashtag, heading or comment prompt is quoted', async () => {
    const value = await summarize(lavrov, 'detailed');
    for (const claim of [...value.summary, ...value.keyPoints]) {
      assert.doesNotMatch(
        claim.text,
        /»|#|Leave a Comment|Akismet|LONGARI|Reuters|Stella Pictures|01:51:40/u,
      );
      assert.match(claim.text, /[.!?…]["”’]?$/u, `a complete sentence: ${claim.text}`);
    }
  });

  it('GIVEN the same article twice THEN the result is identical (deterministic)', async () => {
    const first = await createExtractiveEngine().summarize(lavrov, { length: 'standard', lang: null });
    const second = await createExtractiveEngine().summarize(lavrov, { length: 'standard', lang: null });
    assert.deepEqual(first, second);
  });

  it('GIVEN a news article THEN the summary comes from its lead', async () => {
    const value = await summarize(lavrov, 'short');
    const first = value.summary[0]?.quotes[0];
    assert.ok(
      first && first.start < lavrov.text.length / 4,
      'the summary sentence sits early in the article',
    );
  });

  it('GIVEN Russian and Japanese articles THEN quotes are their own sentences', async () => {
    for (const [file, lang] of [
      ['ru-river.txt', 'ru'],
      ['ja-library.txt', 'ja'],
    ] as const) {
      const article = makeArticle(readFixture('extractive', file), { lang });
      const value = await summarize(article, 'standard');
      assert.equal(value.summary.length, 2);
      assertGrounded(article, [...value.summary, ...value.keyPoints]);
      for (const c of value.summary) assert.match(c.text, /[.。]$/u);
    }
  });

  it('GIVEN a sentence longer than the quote cap THEN it is quoted in part and the claim marks the cut', async () => {
    const long = `The council approved ${'a long list of measures, including new bus lanes, '.repeat(12)}and a park.`;
    const article = makeArticle(`${long}\n\nThe mayor welcomed the vote on the measures and the park.`);
    const value = await summarize(article, 'detailed');
    assertGrounded(article, [...value.summary, ...value.keyPoints]);
    const cut = [...value.summary, ...value.keyPoints].find((c) => c.text.startsWith('The council'));
    assert.ok(cut, 'the long sentence is among the claims');
    assert.ok(cut.text.endsWith('…'));
    assert.ok((cut.quotes[0]?.text.length ?? 0) <= MAX_QUOTE_CHARS);
  });

  it('GIVEN a translation request THEN it refuses with unsupported_option, and accepts the article’s own language', async () => {
    const refused = await engine.summarize(lavrov, { length: 'standard', lang: 'fi' });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.equal(refused.error.code, 'unsupported_option');
    const unlabelled = makeArticle(lavrov.text);
    const same = await engine.summarize(unlabelled, { length: 'standard', lang: 'en-GB' });
    assert.equal(same.ok, true);
  });

  it('GIVEN empty text or nothing but page furniture THEN empty_input or not_an_article', async () => {
    const empty = await engine.summarize(makeArticle('   '), { length: 'standard', lang: null });
    assert.equal(!empty.ok && empty.error.code, 'empty_input');
    const furniture = makeArticle('Leave a Comment\n\n#one #two #three\n\nHome » News » World');
    const none = await engine.summarize(furniture, { length: 'standard', lang: null });
    assert.equal(!none.ok && none.error.code, 'not_an_article');
  });

  it('GIVEN an aborted signal THEN it stops with timeout', async () => {
    const result = await engine.summarize(lavrov, { length: 'standard', lang: null }, AbortSignal.abort());
    assert.equal(!result.ok && result.error.code, 'timeout');
  });

  it('GIVEN a 200,000-character article THEN summarize returns grounded claims', async () => {
    const paragraphs = lavrov.text.split('\n\n');
    const parts: string[] = [];
    for (let i = 0; parts.join('\n\n').length < 200_000; i++) {
      parts.push(`${paragraphs[i % paragraphs.length]} Section ${i}.`);
    }
    const big = makeArticle(parts.join('\n\n'));
    const value = await summarize(big, 'standard');
    assert.equal(value.summary.length, 2);
    assertGrounded(big, [...value.summary, ...value.keyPoints]);
  });
});

describe('extractive answer', () => {
  it('GIVEN a question the article answers THEN the answer quotes the sentence holding it', async () => {
    const value = await answer(lavrov, 'What gas pipeline did China reject?');
    assert.equal(value.answerable, true);
    assert.match(value.answer[0]?.text ?? '', /Siberia II gas pipeline/u);
    assertGrounded(lavrov, value.answer);
    assertOfflineInfo(value, value.answer);
  });

  it('GIVEN two sentences with the same words THEN the one saying the question’s words together answers, wherever it stands', async () => {
    // Same eight content words in each: BM25, coverage and context tie, and a tie goes to the
    // earlier sentence; only how close together the question's words stand tells them apart.
    const apart = 'Salmon were counted at the old mill, while the northern survey covered the fjord.';
    const together = 'The old mill survey covered salmon counted in the northern fjord.';
    const rest = 'The river council met on Tuesday. Budgets for roads were approved.';
    for (const [a, b] of [
      [apart, together],
      [together, apart],
    ]) {
      const article = makeArticle(`${a}\n\n${b}\n\n${rest}`, { lang: 'en' });
      const value = await answer(article, 'Were salmon counted in the northern fjord?');
      assert.equal(value.answer[0]?.quotes[0]?.text, together, `${a} | ${b}`);
    }
  });

  it('GIVEN a question the article does not answer THEN it is not answerable and the answer is empty', async () => {
    for (const question of ['What is the capital of Australia?', 'How many goals did Messi score in 2012?']) {
      const value = await answer(lavrov, question);
      assert.equal(value.answerable, false, question);
      assert.deepEqual(value.answer, []);
      assertOfflineInfo(value, []);
    }
  });

  it('GIVEN a follow-up that points back THEN the earlier question’s subject guides the answer', async () => {
    const first = await engine.answer(lavrov, 'What did China issue to resolve the Ukraine crisis?', []);
    assert.ok(first.ok && first.value.answerable);
    if (!first.ok) return;
    const turns = [
      { question: 'What did China issue to resolve the Ukraine crisis?', answer: first.value.answer },
    ];
    const followUp = await engine.answer(lavrov, 'What did Russia say about it?', turns);
    assert.ok(followUp.ok);
    if (followUp.ok) assert.match(followUp.value.answer[0]?.text ?? '', /position is reasonable/u);
  });

  it('GIVEN a question in Russian THEN it is answered from the Russian article', async () => {
    const article = makeArticle(readFixture('extractive', 'ru-river.txt'), { lang: 'ru' });
    const value = await answer(article, 'На сколько метров поднялся уровень воды в Волге?');
    assert.equal(value.answerable, true);
    assert.match(value.answer[0]?.text ?? '', /три метра/u);
  });

  it('GIVEN an empty question THEN bad_usage', async () => {
    const result = await engine.answer(lavrov, '  ', []);
    assert.equal(!result.ok && result.error.code, 'bad_usage');
  });

  it('GIVEN the threshold THEN it is a share in (0, 1)', () => {
    assert.ok(ANSWER_THRESHOLD > 0 && ANSWER_THRESHOLD < 1);
  });
});
