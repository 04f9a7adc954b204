import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  endsWithMark,
  hasLetterOrNumber,
  isClosingPunctuation,
  isLetter,
  isLower,
  isMark,
  isNumber,
  isOpeningPunctuation,
  isSpace,
  isUpper,
  lettersMarksAndNumbers,
} from '../../src/text/char-class.js';
import { FROM_GREEK_ON } from '../../src/text/fold-word.js';
import {
  LATIN_LETTERS,
  LATIN_WORD,
  LATIN1_LATIN_WORD,
  MAY_HOLD_TELLING_LETTERS,
} from '../../src/text/language.js';
import { afterOpeners, startsLower, THAI } from '../../src/text/sentences.js';
import { textOf } from '../helpers/arbitraries.js';

/** Each test and the pattern it stands for. */
const TESTS: ReadonlyArray<readonly [string, (cp: number) => boolean, RegExp]> = [
  ['isLetter', isLetter, /\p{L}/u],
  ['isUpper', isUpper, /\p{Lu}/u],
  ['isLower', isLower, /\p{Ll}/u],
  ['isNumber', isNumber, /\p{N}/u],
  ['isMark', isMark, /\p{M}/u],
  ['isOpeningPunctuation', isOpeningPunctuation, /[\p{Ps}\p{Pi}]/u],
  ['isClosingPunctuation', isClosingPunctuation, /[\p{Pe}\p{Pf}]/u],
  ['isSpace', isSpace, /\s/u],
];

/** Letters, marks, numbers and neither, from the tables and beyond them, a lone surrogate among them. */
const PIECES = [..."aZé ß,.'’“”—•_-1²½", 'я', 'Ж', '\u0301', '٣', '中', '𝐀', '\ud835', '\udc00', '\u00a0'];

describe('char-class', () => {
  for (const [name, test, pattern] of TESTS) {
    it(`GIVEN any code point THEN ${name} answers as ${pattern} does`, () => {
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        const expected = pattern.test(String.fromCodePoint(cp));
        if (test(cp) !== expected) assert.fail(`${name}(U+${cp.toString(16)}) should be ${expected}`);
      }
    });
  }

  it('GIVEN any text THEN hasLetterOrNumber and lettersMarksAndNumbers answer as their patterns do', () => {
    const text = textOf(PIECES, 12);
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(hasLetterOrNumber(t), /[\p{L}\p{N}]/u.test(t));
        assert.equal(lettersMarksAndNumbers(t), t.replace(/[^\p{L}\p{M}\p{N}]+/gu, ''));
      }),
      { numRuns: 5000 },
    );
  });

  it('GIVEN any code point THEN THAI answers as \\p{Script=Thai} does', () => {
    const thai = /\p{Script=Thai}/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (THAI.test(ch) !== thai.test(ch)) assert.fail(`U+${cp.toString(16)}`);
    }
  });

  it('GIVEN a code point of Greek, Arabic or Devanagari script THEN FROM_GREEK_ON finds it', () => {
    const scripts = /[\p{Script=Greek}\p{Script=Arabic}\p{Script=Devanagari}]/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (scripts.test(ch) && !FROM_GREEK_ON.test(ch)) assert.fail(`U+${cp.toString(16)}`);
    }
  });

  it('GIVEN a letter any of LATIN_LETTERS counts THEN MAY_HOLD_TELLING_LETTERS finds it', () => {
    const patterns = LATIN_LETTERS.map(
      ([letters]) => new RegExp(letters.source, letters.flags.replace('g', '')),
    );
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (patterns.some((p) => p.test(ch)) && !MAY_HOLD_TELLING_LETTERS.test(ch))
        assert.fail(`U+${cp.toString(16)}`);
    }
  });

  it('GIVEN any text THEN the scans over opening and closing marks answer as their patterns do', () => {
    const pieces = [
      ...'aZé .!?;…。？؟।"\'’”»«“‘()[]{}•·*-\n\t',
      '\u00a0',
      '\u2009',
      'я',
      'Ж',
      '𝐚',
      '\ud835',
      '\udc00',
      '⁆',
      '⸂',
      '》',
    ];
    const text = textOf(pieces, 10);
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(endsWithMark(t, '.!?…。！？'), /[.!?…。！？][\p{Pe}\p{Pf}"'’”»]*$/u.test(t));
        assert.equal(endsWithMark(t, '?？؟;'), /[?？؟;][\p{Pe}\p{Pf}"'’”»]*$/u.test(t));
        assert.equal(afterOpeners(t), /^[\p{Ps}\p{Pi}"'«‘“\s]*/u.exec(t)?.[0].length);
        assert.equal(startsLower(t), /^\p{Ll}/u.test(t.slice(afterOpeners(t))));
      }),
      { numRuns: 20000 },
    );
  });

  it('GIVEN a character of Latin-1 or General Punctuation THEN LATIN1_LATIN_WORD takes it as LATIN_WORD does', () => {
    const one = (p: RegExp) => new RegExp(`^${p.source}$`, 'u');
    const [latin1, full] = [one(LATIN1_LATIN_WORD), one(LATIN_WORD())];
    for (const [from, to] of [
      [0, 0xff],
      [0x2000, 0x206f],
    ] as const) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCharCode(c);
        if (latin1.test(ch) !== full.test(ch)) assert.fail(`U+${c.toString(16)}`);
      }
    }
  });
});
