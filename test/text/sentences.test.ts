import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { splitSentences } from '../../src/text/index.js';
import { wordBeforeFinalPeriod } from '../../src/text/sentences.js';
import { textOf } from '../helpers/arbitraries.js';

const texts = (text: string, locale?: string) => splitSentences(text, locale).map((s) => s.text);

describe('splitSentences', () => {
  it('GIVEN titles, initials and dated abbreviations THEN the sentence is not cut after them', () => {
    assert.deepEqual(
      texts('Mr. Smith met Dr. Jones on Jan. 5. J. R. R. Tolkien was there. It was No. 1 in St. Louis.'),
      ['Mr. Smith met Dr. Jones on Jan. 5.', 'J. R. R. Tolkien was there.', 'It was No. 1 in St. Louis.'],
    );
  });

  it('GIVEN a wire dateline THEN it opens the first sentence', () => {
    assert.deepEqual(texts('ST. JOSEPH, Mich. A man was arrested on Monday. He denied it.'), [
      'ST. JOSEPH, Mich. A man was arrested on Monday.',
      'He denied it.',
    ]);
  });

  it('GIVEN a letter abbreviation THEN it ends a sentence only before a typical opener', () => {
    assert.deepEqual(texts('He lives in the U.S. The rest is history. The U.S. Geological Survey agreed.'), [
      'He lives in the U.S.',
      'The rest is history.',
      'The U.S. Geological Survey agreed.',
    ]);
  });

  it('GIVEN a quoted question followed by its speaker THEN both stay one sentence', () => {
    assert.deepEqual(texts('“Is it over?” she asked. “Not yet.” He left.'), [
      '“Is it over?” she asked.',
      '“Not yet.”',
      'He left.',
    ]);
  });

  it('GIVEN dashes and an ellipsis THEN a dash never ends a sentence and an ellipsis before a capital does', () => {
    assert.deepEqual(texts('He said — quietly — that it was 3.5 times bigger... Then he left!'), [
      'He said — quietly — that it was 3.5 times bigger...',
      'Then he left!',
    ]);
  });

  it('GIVEN a heading line and a hard-wrapped line THEN the heading stands alone and the wrap is joined', () => {
    assert.deepEqual(texts('China’s problems\nThe war goes on and\non. It hurts trade.'), [
      'China’s problems',
      'The war goes on and\non.',
      'It hurts trade.',
    ]);
  });

  it('GIVEN two paragraphs THEN no sentence spans the blank line between them', () => {
    const text = 'The first paragraph has no end\n\nthe second starts in lower case.';
    assert.deepEqual(texts(text), ['The first paragraph has no end', 'the second starts in lower case.']);
  });

  it('GIVEN Japanese, Chinese and Russian text THEN sentences end at their own punctuation', () => {
    assert.deepEqual(texts('今日は晴れです。明日は雨でしょう！本当？', 'ja'), [
      '今日は晴れです。',
      '明日は雨でしょう！',
      '本当？',
    ]);
    assert.deepEqual(texts('我们去北京。他们留在上海。', 'zh'), ['我们去北京。', '他们留在上海。']);
    assert.deepEqual(texts('Г-н Иванов приехал в Москву. Он остался там на неделю.', 'ru'), [
      'Г-н Иванов приехал в Москву.',
      'Он остался там на неделю.',
    ]);
  });

  it('GIVEN a 200,000-character paragraph without breaks THEN it is split quickly and completely', () => {
    const text = 'The committee met again and talked about the budget for the coming year. '
      .repeat(2700)
      .trim();
    const started = performance.now();
    const sentences = splitSentences(text, 'en');
    assert.equal(sentences.length, 2700);
    assert.ok(performance.now() - started < 5000, 'segmenting must stay linear in the input');
  });
});

describe('wordBeforeFinalPeriod', () => {
  it('GIVEN any text THEN it reads the word its pattern captures', () => {
    const pieces = [...'aZé.-. (“"\'‘«[,1\u0000\u00a0’•', 'я', '𝐀', '\ud835', '\udc00', 'Mr', 'approx'];
    const text = textOf(pieces, 12);
    const pattern = /(?:^|[\s(“"'‘«[])([\p{L}.-]+)\.$/u;
    fc.assert(
      fc.property(text, (t) => assert.equal(wordBeforeFinalPeriod(t), pattern.exec(t)?.[1])),
      { numRuns: 20000 },
    );
  });
});
