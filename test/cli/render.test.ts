import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeArticle } from '../../src/article/article.js';
import { summarizeLine } from '../../src/cli/lines.js';
import { renderAnswer, renderSummary } from '../../src/cli/render.js';
import type { AnswerResult } from '../../src/engines/engine.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { type Quote, quoteSpan } from '../../src/grounding/index.js';

/** One sentence of about 600 characters: any quote of it is cut at MAX_QUOTE_CHARS. */
const LONG_SENTENCE = `Harbor Town opened its barrier on Wednesday after the council said that ${Array.from(
  { length: 40 },
  (_, i) => `gate ${i + 1} had been tested`,
).join(', ')}, and the mayor welcomed it.`;
const article = makeArticle(
  `Barrier Opens\n\n${LONG_SENTENCE}\n\nThe gates weigh 480 tonnes each. They close twelve times a year. Engineers checked them on Tuesday.`,
  { source: 'barrier.txt', lang: 'en' },
);

function quoteOf(part: string): Quote {
  const start = article.text.indexOf(part);
  const q = quoteSpan(article.text, start, start + part.length);
  assert.ok(q);
  return q;
}

const squash = (s: string) => s.replace(/\s+/gu, ' ');

describe('readable output of quotes', () => {
  it('GIVEN the offline engine quoting a sentence cut at 400 characters THEN the quote shows … where the sentence goes on, and the JSON quote is the article’s characters only', async () => {
    const result = await createExtractiveEngine().summarize(article, { length: 'short', lang: null });
    assert.ok(result.ok);
    const cut = [...result.value.summary, ...result.value.keyPoints]
      .flatMap((c) => c.quotes)
      .find((q) => LONG_SENTENCE.startsWith(q.text));
    assert.ok(cut && cut.text.length < LONG_SENTENCE.length, 'the long sentence is quoted in part');
    const shown = squash(renderSummary(article, result.value, 1000));
    assert.ok(shown.includes(`“${squash(cut.text)}…” (¶2)`), shown);
    assert.ok(shown.includes('“The gates weigh 480 tonnes each.” (¶3)'), 'a whole sentence has no mark');

    const line = summarizeLine(article, { length: 'short', lang: null }, result.value);
    for (const q of [...line.summary, ...line.keyPoints].flatMap((c) => c.quotes)) {
      assert.equal(article.text.slice(q.start, q.end), q.text);
      assert.ok(!q.text.startsWith('…') && !q.text.endsWith('…'));
    }
  });

  it('GIVEN a model’s claims with a clause quoted from inside a sentence THEN the listed quote shows … on both sides', () => {
    const clause = quoteOf('the council said that gate 1 had been tested');
    const whole = quoteOf('They close twelve times a year.');
    const result: AnswerResult = {
      engine: 'openai',
      model: 'm',
      fallback: null,
      grounding: { proposed: 2, verified: 2, dropped: 0, repaired: 0, unsupported: 0 },
      usage: { inputTokens: 0, outputTokens: 0 },
      answerable: true,
      answer: [
        {
          text: 'The first gate was tested, and the gates close twelve times a year.',
          quotes: [clause, whole],
        },
      ],
      nearest: [],
    };
    const shown = squash(renderAnswer(article, 'Were the gates tested?', result, 1000));
    assert.ok(shown.includes('[1] “…the council said that gate 1 had been tested…” (¶2)'), shown);
    assert.ok(shown.includes('[2] “They close twelve times a year.” (¶3)'), shown);
  });
});
