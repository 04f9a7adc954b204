import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { splitWords } from '../../src/text/index.js';
import {
  BEYOND_LATIN1,
  LATIN1_WORD,
  MAY_BE_SPACELESS,
  SPACED_WORD,
  WORD_OR_RUN,
} from '../../src/text/words.js';
import { textOf } from '../helpers/arbitraries.js';

const words = (text: string, locale?: string) => splitWords(text, locale).map((w) => w.text);

describe('splitWords', () => {
  it('GIVEN English THEN contractions, dotted abbreviations, decimals and digit groups stay whole', () => {
    assert.deepEqual(words("We don't know: the U.S. paid $3.5 billion, or 1,000 e-mails."), [
      'We',
      "don't",
      'know',
      'the',
      'U.S',
      'paid',
      '3.5',
      'billion',
      'or',
      '1,000',
      'e',
      'mails',
    ]);
  });

  it('GIVEN Chinese and Japanese THEN words come from the dictionary, not from spaces', () => {
    assert.deepEqual(words('我们今天去北京大学。', 'zh'), ['我们', '今天', '去', '北京', '大学']);
    assert.ok(words('東京タワーへ行きました', 'ja').includes('東京タワー'));
  });

  it('GIVEN Russian with accented and mixed-script words THEN each is one word', () => {
    assert.deepEqual(words('Россия и Китай подписали договор; café naïve', 'ru'), [
      'Россия',
      'и',
      'Китай',
      'подписали',
      'договор',
      'café',
      'naïve',
    ]);
  });

  it('GIVEN a 200,000-character text THEN words are found quickly', () => {
    const text = 'Beijing has watched with joy how attention goes to Europe. '.repeat(3400);
    const started = performance.now();
    assert.equal(splitWords(text).length, 10 * 3400);
    assert.ok(performance.now() - started < 5000);
  });
});

describe('SPACED_WORD', () => {
  it('GIVEN a code point MAY_BE_SPACELESS passes over THEN it is of no spaceless script', () => {
    const spaceless = new RegExp(`^(?:${WORD_OR_RUN})$`, 'u');
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!MAY_BE_SPACELESS.test(ch) && spaceless.exec(ch)?.[1] !== undefined) {
        assert.fail(`U+${cp.toString(16)} is spaceless`);
      }
    }
  });

  it('GIVEN text without spaceless script THEN SPACED_WORD matches what WORD_OR_RUN matches', () => {
    const pieces = [..."aZé ß,.'’“—_-1²½", 'я', 'Ж', 'ά', '\u0301', '٣', 'ك', '\u00a0', '€'];
    const text = textOf(pieces, 16);
    const matches = (t: string, source: string) =>
      [...t.matchAll(new RegExp(source, 'gu'))].map((m) => [m.index, m[0]]);
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(MAY_BE_SPACELESS.test(t), false);
        assert.deepEqual(matches(t, SPACED_WORD), matches(t, WORD_OR_RUN));
      }),
      { numRuns: 10000 },
    );
  });
});

describe('LATIN1_WORD', () => {
  it('GIVEN text of Latin-1 and General Punctuation THEN LATIN1_WORD matches what SPACED_WORD matches', () => {
    const allowed: string[] = [];
    for (let c = 0; c <= 0xff; c++) allowed.push(String.fromCharCode(c));
    for (let c = 0x2000; c <= 0x206f; c++) allowed.push(String.fromCharCode(c));
    for (let c = 0; c <= 0xffff; c++) {
      const inside = c <= 0xff || (c >= 0x2000 && c <= 0x206f);
      if (BEYOND_LATIN1.test(String.fromCharCode(c)) === inside) assert.fail(`U+${c.toString(16)}`);
    }
    const pieces = [...allowed, ...allowed.map((ch) => `${ch}a`), ...allowed.map((ch) => `1${ch}2`)];
    const text = textOf(pieces, 10);
    const matches = (t: string, source: string) =>
      [...t.matchAll(new RegExp(source, 'gu'))].map((m) => [m.index, m[0]]);
    for (const ch of allowed)
      assert.deepEqual(
        matches(`a${ch}b${ch}1${ch}`, LATIN1_WORD),
        matches(`a${ch}b${ch}1${ch}`, SPACED_WORD),
      );
    fc.assert(
      fc.property(text, (t) => assert.deepEqual(matches(t, LATIN1_WORD), matches(t, SPACED_WORD))),
      { numRuns: 10000 },
    );
  });
});
