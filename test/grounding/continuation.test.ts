import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  claimIsQuote,
  MAX_QUOTE_CHARS,
  type Quote,
  quoteContinuation,
  quoteSpan,
  withContinuation,
} from '../../src/grounding/index.js';

/** The quote of `part`, located at its first occurrence in `text`. */
function quoteOf(text: string, part: string): Quote {
  const start = text.indexOf(part);
  assert.ok(start >= 0, part);
  const q = quoteSpan(text, start, start + part.length);
  assert.ok(q);
  return q;
}

const LONG_SENTENCE = `The council said that ${Array.from({ length: 60 }, (_, i) => `section ${i + 1} of the plan`).join(', ')} would be paid for by a grant.`;
const TEXT = `Barrier Opens\n\nThe gates weigh 480 tonnes each. Officials said the barrier, which cost 310 million euros, would close twelve times a year.\n\n${LONG_SENTENCE}\n\n“It works,” she said. 市は声明を出した。工事は終わった。`;

describe('where a quote’s sentence goes on', () => {
  it('GIVEN a sentence longer than MAX_QUOTE_CHARS quoted from its start THEN it continues after the quote, not before', () => {
    const start = TEXT.indexOf(LONG_SENTENCE);
    const q = quoteSpan(TEXT, start, start + LONG_SENTENCE.length);
    assert.ok(q && q.text.length <= MAX_QUOTE_CHARS && q.end < start + LONG_SENTENCE.length);
    assert.deepEqual(quoteContinuation(TEXT, q), { before: false, after: true });
    assert.equal(withContinuation(TEXT, q), `${q.text}…`);
    assert.equal(TEXT.slice(q.start, q.end), q.text, 'the quote itself is unchanged');
  });

  it('GIVEN whole sentences, lines and paragraphs THEN no mark', () => {
    for (const part of [
      'The gates weigh 480 tonnes each.',
      'Barrier Opens',
      'Officials said the barrier, which cost 310 million euros, would close twelve times a year.',
      '市は声明を出した。',
      '工事は終わった。',
    ]) {
      assert.deepEqual(quoteContinuation(TEXT, quoteOf(TEXT, part)), { before: false, after: false }, part);
    }
  });

  it('GIVEN a clause from inside a sentence THEN marks on the sides where the sentence goes on; a missing final period is not a continuation', () => {
    const cases: [string, boolean, boolean][] = [
      ['the barrier, which cost 310 million euros', true, true],
      ['Officials said the barrier', false, true],
      ['would close twelve times a year', true, false],
      ['The gates weigh 480 tonnes', false, true],
      ['It works', false, true],
    ];
    for (const [part, before, after] of cases) {
      assert.deepEqual(quoteContinuation(TEXT, quoteOf(TEXT, part)), { before, after }, part);
    }
    assert.equal(
      withContinuation(TEXT, quoteOf(TEXT, 'the barrier, which cost 310 million euros'), 'X'),
      '…X…',
    );
  });

  it('GIVEN random spans of random prose THEN the marked text is the quote with at most one … at each end, and a mark only where a letter or digit of the same line lies on that side', () => {
    const sentence = fc
      .array(fc.stringMatching(/^[a-z]{1,8}$/u), { minLength: 1, maxLength: 30 })
      .map((w) => `${w.join(' ')}${'.!?'[w.length % 3]}`);
    const text = fc
      .array(fc.array(sentence, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
      .map((ps) => ps.map((p) => p.join(' ')).join('\n\n'));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 600 }), (t, at, len) => {
        const start = at % t.length;
        const q = quoteSpan(t, start, Math.min(t.length, start + len + 1));
        if (!q) return;
        const { before, after } = quoteContinuation(t, q);
        assert.equal(withContinuation(t, q), `${before ? '…' : ''}${q.text}${after ? '…' : ''}`);
        const lineStart = t.lastIndexOf('\n', q.start - 1) + 1;
        if (before) assert.match(t.slice(lineStart, q.start), /[a-z]/u);
        const lineEnd = t.indexOf('\n', q.end);
        if (after) assert.match(t.slice(q.end, lineEnd === -1 ? t.length : lineEnd), /[a-z]/u);
        if (q.start === lineStart) assert.equal(before, false);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN a claim that is its quote, or its quote with the … of a cut sentence THEN it is drawn as the quote; another claim is not', () => {
    const q = quoteOf(TEXT, 'Officials said the barrier');
    assert.equal(claimIsQuote('Officials said  the barrier', q), true);
    assert.equal(claimIsQuote('Officials said the barrier…', q), true);
    assert.equal(claimIsQuote('…Officials said the barrier…', q), true);
    assert.equal(claimIsQuote('Officials said the barrier would close.', q), false);
  });
});
