import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  AGENCY_ONLY,
  CAPTION,
  CREDIT_LABEL,
  EMBED_CREDIT,
  PHOTO_CREDIT,
  URL_ONLY,
} from '../../src/text/clutter.js';
import type { GuardedPattern } from '../../src/text/guarded-pattern.js';
import { DATELINE, INITIAL, LETTER_ABBREVIATION } from '../../src/text/sentences.js';
import { textOf } from '../helpers/arbitraries.js';

/** Each guarded pattern, and pieces of text that make up its matches and near misses. */
const CASES: ReadonlyArray<readonly [string, GuardedPattern, readonly string[]]> = [
  ['LETTER_ABBREVIATION', LETTER_ABBREVIATION, ['U', 'S', 'é', 'я', '𝐀', '.', ' ', '(', '“', '1', 'a']],
  [
    'DATELINE',
    DATELINE,
    ['ST', 'J', 'É', 'Ж', '𝐀', 'a', ' ', '.', "'", '-', ', ', ',', 'Mich', 'ab', '•', '1'],
  ],
  ['INITIAL', INITIAL, ['J', 'É', 'Ж', '𝐀', 'a', 'é', ' ', '.', '-', '(', '“', '1']],
  ['CAPTION', CAPTION, ['FILE', 'File', ' ', '-', '—', 'A', 'É', 'a', '\n']],
  ['PHOTO_CREDIT', PHOTO_CREDIT, ['JANE', 'DOE', 'AP', ' ', '/', "'", '-', '&', '.', 'É', 'Ж', 'a', '\n']],
  [
    'AGENCY_ONLY',
    AGENCY_ONLY,
    [
      'Reuters',
      'AP',
      'Getty Images',
      'Associated',
      'dpa',
      'Stella',
      'Pictures',
      'Press',
      'Photos',
      'Agency',
      'Images',
      ' ',
      'É',
      'a',
      '\u00a0',
    ],
  ],
  [
    'EMBED_CREDIT',
    EMBED_CREDIT,
    ['pic.twitter.com/', 'pic', '.', 'twitter', '(@', 'x', ')', ' ', 'February', '23', ', ', '2023', '@'],
  ],
  ['URL_ONLY', URL_ONLY, ['https://', 'HTTP://', 'www.', 'WWW.', 'a', '/', ' ', '\u00a0', '\n', 'ſ']],
  ['CREDIT_LABEL', CREDIT_LABEL, ['Photo', 'photographs', 'IMAGE', 'credit', 's', ' ', ':', '\t', 'ſ']],
];

describe('GuardedPattern', () => {
  for (const [name, guarded, pieces] of CASES) {
    it(`GIVEN any text THEN ${name} matches exactly where its pattern does`, () => {
      const text = textOf(pieces, 14);
      fc.assert(
        fc.property(text, (t) => {
          const matches = guarded.pattern.test(t);
          assert.equal(guarded.test(t), matches);
          if (matches) assert.equal(guarded.mayMatch(t), true);
        }),
        { numRuns: 20000 },
      );
    });
  }

  it('GIVEN text the patterns match THEN the guards let it through', () => {
    for (const [guarded, text] of [
      [LETTER_ABBREVIATION, 'in the U.S.'],
      [DATELINE, 'ST. JOSEPH, Mich.'],
      [INITIAL, 'J.'],
      [CAPTION, 'FILE - Sergei Lavrov'],
      [PHOTO_CREDIT, 'MARCO LONGARI / POOL'],
      [AGENCY_ONLY, 'Stella Pictures'],
      [EMBED_CREDIT, '— Led By Donkeys (@ByDonkeys) February 23, 2023'],
      [URL_ONLY, 'https://example.com/story'],
      [CREDIT_LABEL, 'Photo: Reuters'],
    ] as const) {
      assert.equal(guarded.test(text), true, text);
    }
  });
});
