import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DANGLING_START } from '../../src/engines/extractive/key-sentences.js';
import { foldAsciiCase } from '../../src/text/ascii-case.js';
import { isClutter } from '../../src/text/clutter.js';
import {
  DATE_QUESTION,
  DATE_WORDS,
  NEGATION,
  NUMBER_QUESTION,
  NUMBER_WORDS,
  PERSON_PRONOUN,
  PERSON_QUESTION,
} from '../../src/text/question-cues.js';
import { textOf } from '../helpers/arbitraries.js';

/** Patterns built of what `foldAsciiCase`'s callers use: lower-case words, `\b \d \s \S .*`, `[^,]`, `$`, caseless marks. */
const PATTERNS = [
  String.raw`^(?:share (?:this|on|via)\b|\d+ comments?\b|comments?$|sign up\b)`,
  String.raw`^(?:follow (?:us|\S+(?: \S+){0,3} on (?:x|skype))\b|download (?:the|our)\b.*\bapp\b)`,
  String.raw`^(?:(?:--|—|–|-)?\s*with files from\b|©|\(?(?:additional )?reporting by\b)`,
  String.raw`^(?:[“"‘'«]\s*)?(?:(?:[^,]{0,10},\s+)?(?:kelvin|ask|is)\b)`,
  String.raw`\bks\b|sk$`,
];
/** Letters in both cases and the characters whose case folding is tricky (ſ, Kelvin sign, dotted and dotless i). */
const PIECES = [
  ...'sSkKiIaAeEwWxXtThHoOnNpPfFlLuUyYrRcCdDmM',
  '\u017f',
  '\u212a',
  'İ',
  'ı',
  'é',
  'É',
  ' ',
  ',',
  '-',
  '—',
  '©',
  '“',
  '(',
  '1',
  '_',
  '\n',
  'share',
  'SHARE',
  'Comments',
  'with files from',
  'follow',
  ' on ',
  'download',
  'app',
  'reporting by',
  'kelvin',
  'ask',
];

describe('foldAsciiCase', () => {
  it('GIVEN any text THEN a lower-case pattern with `u` matches the folded text exactly where it matches the text with `iu`', () => {
    const text = textOf(PIECES, 16);
    for (const source of PATTERNS) {
      const caseless = new RegExp(source, 'iu');
      const folded = new RegExp(source, 'u');
      fc.assert(
        fc.property(text, (t) => caseless.test(t) === folded.test(foldAsciiCase(t))),
        { numRuns: 3000 },
      );
    }
  });

  it('GIVEN text THEN only A–Z, ſ and the Kelvin sign change, and the length stays', () => {
    assert.equal(foldAsciiCase('Ünïcode ſtraße \u212AELVIN İı É'), 'Ünïcode straße kelvin İı É');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (t) => foldAsciiCase(t).length === t.length));
  });

  it('GIVEN boilerplate in any case THEN it is clutter, as before', () => {
    for (const line of [
      'SHARE THIS ARTICLE',
      'Leave A Comment',
      '\u017fubscribe now',
      'Reporting By Jane Doe',
    ])
      assert.equal(isClutter(line), true, line);
    assert.equal(isClutter('Shared values matter to both countries, the minister said.'), false);
  });

  it('GIVEN any text THEN the folded question-cue and connective patterns match as they would with `iu`', () => {
    const pieces = [
      ...PIECES,
      ..."gGbBvV0'’?:.",
      'When',
      'WHAT YEAR',
      'how many',
      'In which century',
      'Who',
      'whose',
      'Twelve',
      'DOZEN',
      'March',
      '1990s',
      '21st',
      'He',
      'They',
      'NOT',
      "Don't",
      'isn’t',
      'However',
      'But',
      'These',
      'Their',
    ];
    const text = textOf(pieces, 12);
    for (const pattern of [
      DATE_QUESTION,
      NUMBER_QUESTION,
      PERSON_QUESTION,
      NUMBER_WORDS,
      DATE_WORDS,
      PERSON_PRONOUN,
      NEGATION,
      DANGLING_START,
    ]) {
      assert.equal(pattern.flags, 'u');
      const caseless = new RegExp(pattern.source, 'iu');
      fc.assert(
        fc.property(text, (t) => caseless.test(t) === pattern.test(foldAsciiCase(t))),
        { numRuns: 3000 },
      );
    }
  });
});
