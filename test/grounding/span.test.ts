import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_QUOTE_CHARS, type Quote, quoteSpan, revalidateQuote } from '../../src/grounding/index.js';

function stamped(text: string, start: number, end: number): Quote {
  const q = quoteSpan(text, start, end);
  assert.ok(q, `expected a quote for [${start}, ${end})`);
  assert.equal(text.slice(q.start, q.end), q.text);
  return q;
}

describe('quoteSpan', () => {
  it('GIVEN a span with surrounding whitespace THEN it is trimmed and offsets follow', () => {
    const text = 'Intro.\n\n  The minister arrived on Monday.  \n\nMore.';
    const q = stamped(text, 6, text.indexOf('More'));
    assert.equal(q.text, 'The minister arrived on Monday.');
    assert.equal(q.start, text.indexOf('The'));
  });

  it('GIVEN a sentence opening a quotation it does not close THEN the dangling mark is trimmed', () => {
    const text = '“We will win. Nobody doubts it,” he said.';
    assert.equal(stamped(text, 0, 13).text, 'We will win.');
    assert.equal(stamped(text, 0, text.length).text, text);
  });

  it('GIVEN a span ending in a comma or an opening bracket THEN the dangling punctuation is trimmed', () => {
    const text = 'Trade grew, exports fell (sharply) and prices rose.';
    assert.equal(stamped(text, 0, 11).text, 'Trade grew');
    assert.equal(stamped(text, 12, 26).text, 'exports fell');
    assert.equal(stamped(text, 12, 34).text, 'exports fell (sharply)');
  });

  it('GIVEN a possessive apostrophe at the end THEN it is kept', () => {
    const text = 'It was the workers’ decision.';
    assert.equal(stamped(text, 7, 19).text, 'the workers’');
  });

  it('GIVEN out-of-range, reversed, non-integer or blank spans THEN null', () => {
    const text = 'Some text here.';
    assert.equal(quoteSpan(text, -1, 4), null);
    assert.equal(quoteSpan(text, 0, text.length + 1), null);
    assert.equal(quoteSpan(text, 5, 4), null);
    assert.equal(quoteSpan(text, 0.5, 4), null);
    assert.equal(quoteSpan(text, 4, 4), null);
    assert.equal(quoteSpan('a   b', 1, 4), null);
  });

  it('GIVEN a span longer than 400 characters THEN it is cut at the last sentence end past half the cap', () => {
    const sentence = 'The ministers discussed trade, energy and transport at length. ';
    const text = sentence.repeat(12);
    const q = stamped(text, 0, text.length);
    assert.ok(q.text.length <= MAX_QUOTE_CHARS && q.text.length >= MAX_QUOTE_CHARS / 2);
    assert.ok(q.text.endsWith('at length.'));
  });

  it('GIVEN a long span without sentence ends THEN it is cut at a clause end, else a word boundary', () => {
    const clauses = Array.from({ length: 30 }, (_, i) => `clause number ${i} goes here`).join(', ');
    const q1 = stamped(clauses, 0, clauses.length);
    assert.ok(q1.text.length <= MAX_QUOTE_CHARS);
    assert.equal(clauses.charAt(q1.end), ',');
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const q2 = stamped(words, 0, words.length);
    assert.ok(q2.text.length <= MAX_QUOTE_CHARS && q2.text.length > MAX_QUOTE_CHARS - 10);
    assert.equal(words.charAt(q2.end), ' ');
  });

  it('GIVEN long CJK text THEN it is cut after 。 and never splits a surrogate pair', () => {
    const zh = '双方将就乌克兰危机和亚太局势交换意见并讨论能源贸易交通合作问题。'.repeat(20);
    const q = stamped(zh, 0, zh.length);
    assert.ok(q.text.length <= MAX_QUOTE_CHARS && q.text.endsWith('。'));
    const emoji = '😀'.repeat(300);
    const e = stamped(emoji, 0, emoji.length);
    assert.ok(e.text.length <= MAX_QUOTE_CHARS);
    assert.equal(e.text.length % 2, 0);
    assert.equal(e.text, '😀'.repeat(e.text.length / 2));
  });

  it('GIVEN any span of any text THEN the quote, if any, is an exact slice inside the span of at most 400 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1200 }), fc.nat(), fc.nat(), (text, a, b) => {
        const start = text.length === 0 ? 0 : a % (text.length + 1);
        const end = start + (b % (text.length - start + 1));
        const q = quoteSpan(text, start, end);
        if (q === null) return;
        assert.equal(text.slice(q.start, q.end), q.text);
        assert.ok(q.text.length >= 1 && q.text.length <= MAX_QUOTE_CHARS);
        assert.ok(q.start >= start - 1 && q.end <= end + 1, 'stays within the span (± a surrogate half)');
      }),
      { numRuns: 500 },
    );
  });
});

describe('revalidateQuote', () => {
  const text = 'The minister arrived on Monday.';

  it('GIVEN a stored quote that matches the text THEN it is returned as a Quote', () => {
    const q = revalidateQuote(text, { text: 'minister arrived', start: 4, end: 20 });
    assert.deepEqual(q && { ...q }, { text: 'minister arrived', start: 4, end: 20 });
  });

  it('GIVEN a stored quote whose text, offsets or length are wrong THEN null', () => {
    assert.equal(revalidateQuote(text, { text: 'minister arrives', start: 4, end: 20 }), null);
    assert.equal(revalidateQuote(text, { text: 'minister arrived', start: 5, end: 21 }), null);
    assert.equal(revalidateQuote(text, { text: '', start: 4, end: 4 }), null);
    assert.equal(revalidateQuote(text, { text: 'x', start: -1, end: 0 }), null);
    assert.equal(revalidateQuote(text, { text: 'T', start: 0.0, end: 1.5 }), null);
    const long = 'a'.repeat(MAX_QUOTE_CHARS + 1);
    assert.equal(revalidateQuote(long, { text: long, start: 0, end: long.length }), null);
  });

  it('GIVEN malformed JSON values THEN null rather than an exception', () => {
    const bad = [null, 'q', { text: 1, start: 0, end: 1 }, { text: 'T', start: '0', end: 1 }];
    for (const value of bad) {
      assert.equal(
        revalidateQuote(text, value as unknown as { text: string; start: number; end: number }),
        null,
      );
    }
  });
});
