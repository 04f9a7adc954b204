import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  alignBest,
  alignInBand,
  editBudget,
  locateFuzzy,
  sentenceCount,
  splitSentences,
} from '../../src/grounding/fuzzy.js';
import { buildSourceIndex } from '../../src/grounding/index.js';
import { foldString } from '../../src/grounding/normalize.js';

/** Smallest edit distance between `p` and any substring of `t` (plain O(|p|·|t|) dynamic programming). */
function bruteDistance(p: string, t: string): number {
  let prev = Array.from({ length: t.length + 1 }, () => 0);
  for (let i = 1; i <= p.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (p[i - 1] === t[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return Math.min(...prev);
}

/** Plain edit distance between two strings. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(
        Math.min(
          (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
          (prev[j] ?? 0) + 1,
          (cur[j - 1] ?? 0) + 1,
        ),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function units(s: string): Uint16Array {
  return Uint16Array.from(s, (_, i) => s.charCodeAt(i));
}

const small = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), minLength: 2, maxLength: 14 });
const medium = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' '), maxLength: 40 });

describe('alignment', () => {
  it('GIVEN any pattern and text THEN alignBest and alignInBand over all diagonals find the brute-force distance', () => {
    fc.assert(
      fc.property(small, medium, fc.nat(6), (p, t, k) => {
        // A pattern no longer than the budget matches the empty span, which callers never want.
        fc.pre(p.length > k && t.length > 0);
        const truth = bruteDistance(p, t);
        const a = alignBest(p, units(t), 0, t.length, k);
        const b = alignInBand(p, units(t), -p.length - k, t.length + k, k);
        for (const found of [a, b]) {
          if (truth > k) {
            assert.equal(found, null);
            continue;
          }
          assert.ok(found);
          assert.equal(found.distance, truth);
          assert.equal(
            levenshtein(p, t.slice(found.start, found.end)),
            truth,
            'the span really is that close',
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('GIVEN a window THEN alignBest only reports spans inside it', () => {
    const t = 'xxxx abcdef xxxx abcdef';
    const a = alignBest('abcdef', units(t), 12, t.length, 1);
    assert.deepEqual(a, { start: 17, end: 23, distance: 0 });
    assert.equal(alignBest('abcdef', units(t), 0, 8, 1), null);
  });
});

describe('edit budget', () => {
  it('GIVEN proposals of various lengths THEN the budget is 10% of the characters, at most 8 per sentence', () => {
    assert.equal(editBudget('a'.repeat(9)), 0);
    assert.equal(editBudget('a'.repeat(50)), 5);
    assert.equal(editBudget('a'.repeat(300)), 8);
    assert.equal(sentenceCount('one. two! three'), 2);
    assert.equal(editBudget(`${'a'.repeat(150)}. ${'b'.repeat(150)}.`), 16);
  });

  it('GIVEN a folded proposal THEN it splits into sentences with their terminators', () => {
    assert.deepEqual(splitSentences('one two. three? four'), ['one two.', 'three?', 'four']);
    assert.deepEqual(splitSentences('双方将交换意见。会谈结束后举行记者会。'), [
      '双方将交换意见。',
      '会谈结束后举行记者会。',
    ]);
  });
});

describe('locateFuzzy', () => {
  const words = fc
    .array(
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 9 }),
      {
        minLength: 50,
        maxLength: 250,
      },
    )
    .map((ws) => ws.join(' '));

  it('GIVEN a slice of varied text with random edits THEN the best match within budget is found', () => {
    fc.assert(
      fc.property(
        words,
        fc.nat(),
        fc.integer({ min: 30, max: 200 }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('sub', 'ins', 'del')), { maxLength: 10 }),
        (text, a, length, edits) => {
          const start = a % (text.length - 30);
          let p = text.slice(start, start + length);
          for (const [at, kind] of edits) {
            const i = at % p.length;
            if (kind === 'sub') p = `${p.slice(0, i)}#${p.slice(i + 1)}`;
            else if (kind === 'ins') p = `${p.slice(0, i)}#${p.slice(i)}`;
            else p = p.slice(0, i) + p.slice(i + 1);
          }
          const index = buildSourceIndex(text);
          const pattern = foldString(p);
          const budget = editBudget(pattern);
          fc.pre(pattern.length >= 20);
          const truth = bruteDistance(pattern, index.folded);
          const found = locateFuzzy(index, pattern, budget);
          if (truth > budget) {
            assert.equal(found, null);
            return;
          }
          assert.ok(found, `a match at distance ${truth} exists`);
          assert.equal(found.distance, truth);
          assert.equal(levenshtein(pattern, index.folded.slice(found.start, found.end)), truth);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('GIVEN a pattern with more absent grams than its budget THEN null is returned', () => {
    const index = buildSourceIndex('the quick brown fox jumps over the lazy dog '.repeat(20));
    assert.equal(locateFuzzy(index, 'zzzz qqqq xxxx wwww vvvv jjjj kkkk', 3), null);
  });
});
