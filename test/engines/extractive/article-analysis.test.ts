import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { startsAsContinuation } from '../../../src/engines/extractive/article-analysis.js';
import { textOf } from '../../helpers/arbitraries.js';

describe('startsAsContinuation', () => {
  it('GIVEN any text THEN it answers as its pattern does', () => {
    const pieces = [
      ...'aZé .!?"\'’”»«“‘()[]{}•·*-\n\t',
      '\u00a0',
      'я',
      'Ж',
      '𝐚',
      '\ud835',
      '\udc00',
      '⸂',
      '》',
    ];
    const text = textOf(pieces, 10);
    const pattern = /^[\p{Pi}\p{Ps}"'•·*-]*\s*\p{Ll}/u;
    fc.assert(
      fc.property(text, (t) => assert.equal(startsAsContinuation(t), pattern.test(t))),
      { numRuns: 20000 },
    );
  });
});
