import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildSourceIndex, type Located, locateQuote, MAX_QUOTE_CHARS } from '../../src/grounding/index.js';
import { foldString, isShortProposal } from '../../src/grounding/normalize.js';

const WORDS = [
  'the',
  'minister',
  'arrived',
  'in',
  'Beijing',
  'on',
  'Monday',
  'talks',
  'will',
  'cover',
  'trade',
  'energy',
  'Россия',
  'министр',
  'визит',
  'Пекин',
  'переговоры',
  'сотрудничество',
  '中国',
  '俄罗斯',
  '外长',
  '访问',
  '合作',
  'ロシア',
  '外相',
  '訪問',
  'وزير',
  'الخارجية',
  'بكين',
  '2024',
  '17%',
  'U.S.',
  'don’t',
  'Xi’s',
  'state-run',
  'twenty—five',
];
const GLUE = [
  ' ',
  ' ',
  ' ',
  ' ',
  ', ',
  '. ',
  '.\n\n',
  ' “',
  '” ',
  ' – ',
  ' «',
  '» ',
  '\n',
  '… ',
  ' (',
  ') ',
  '，',
  '。',
];

/** Article-like text: words from several scripts joined by spaces, punctuation, quote marks, line breaks. */
const articleText = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...GLUE)), { minLength: 8, maxLength: 160 })
  .map((parts) => parts.map(([w, g]) => w + g).join(''));

function assertInvariant(text: string, r: Located): void {
  if (!r.found) return;
  assert.ok(r.quotes.length >= 1);
  let previousEnd = 0;
  for (const q of r.quotes) {
    assert.equal(text.slice(q.start, q.end), q.text);
    assert.ok(q.text.length >= 1 && q.text.length <= MAX_QUOTE_CHARS);
    assert.equal(q.text.trim(), q.text);
    if (r.method === 'fragments') assert.ok(q.start >= previousEnd, 'fragments are in text order');
    previousEnd = q.end;
  }
}

describe('locateQuote properties', () => {
  it('GIVEN any substring of an article that is not short THEN it is found and every quote is an exact slice', () => {
    fc.assert(
      fc.property(articleText, fc.nat(), fc.nat(), (text, a, b) => {
        const start = a % text.length;
        const end = start + 1 + (b % Math.min(text.length - start, 900));
        const proposal = text.slice(start, end);
        fc.pre(!isShortProposal(foldString(proposal)));
        const r = locateQuote(buildSourceIndex(text), proposal);
        assert.equal(r.found, true, JSON.stringify({ proposal, r }));
        assertInvariant(text, r);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN any substring of any string THEN the result is found with exact slices, or empty / too_short, never not_found', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 600 }),
        fc.nat(),
        fc.nat(),
        (text, a, b) => {
          const start = a % text.length;
          const end = start + 1 + (b % (text.length - start));
          const r = locateQuote(buildSourceIndex(text), text.slice(start, end));
          assertInvariant(text, r);
          if (!r.found) assert.notEqual(r.reason, 'not_found');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GIVEN a substring with one character changed THEN it is found near-verbatim as the source’s own characters', () => {
    fc.assert(
      fc.property(articleText, fc.nat(), fc.nat(), fc.nat(), (text, a, b, c) => {
        const start = a % text.length;
        const end = Math.min(text.length, start + 40 + (b % 200));
        const proposal = text.slice(start, end);
        fc.pre(proposal.trim().length >= 40);
        const at = c % proposal.length;
        fc.pre(/\p{L}/u.test(proposal.charAt(at)));
        const replacement = proposal.charAt(at) === 'x' ? 'y' : 'x';
        const edited = proposal.slice(0, at) + replacement + proposal.slice(at + 1);
        fc.pre(!isShortProposal(foldString(edited)));
        const r = locateQuote(buildSourceIndex(text), edited);
        assert.equal(r.found, true, JSON.stringify({ edited, r }));
        assertInvariant(text, r);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN random proposals THEN any found result still satisfies the slice and length invariants', () => {
    fc.assert(
      fc.property(articleText, fc.string({ unit: 'grapheme', maxLength: 500 }), (text, proposal) => {
        const r = locateQuote(buildSourceIndex(text), proposal);
        assertInvariant(text, r);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN random sentences of words absent from the article THEN they are not found', () => {
    const text = WORDS.slice(0, 12).join(' ');
    const index = buildSourceIndex(text);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS.slice(12)), { minLength: 4, maxLength: 30 }), (words) => {
        const r = locateQuote(index, words.join(' '));
        assert.equal(r.found, false);
      }),
      { numRuns: 200 },
    );
  });
});
