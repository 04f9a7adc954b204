import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { containsEmail, isEmailOnly, isHashtag } from '../../src/text/clutter.js';
import { findClutter, isClutter, splitSentences } from '../../src/text/index.js';
import { textOf } from '../helpers/arbitraries.js';
import { readFixture } from '../helpers/fixtures.js';

describe('isClutter', () => {
  it('GIVEN page furniture THEN each line is clutter', () => {
    for (const line of [
      'Home » today » World » “Russia’s emergency cry” – 2024-04-09 01:51:40',
      '#Russias #emergency #cry #expert #Sergei',
      'Leave a Comment',
      'This site uses Akismet to reduce spam. Learn how your comment data is processed.',
      'Send this page to someone via email',
      'CLICK HERE TO GET THE FOX NEWS APP',
      'Follow Yahoo Finance on Twitter, Facebook, Instagram, Flipboard, LinkedIn, and YouTube',
      'Download the Yahoo Finance app for Apple or Android',
      '-- With files from The Associated Press',
      'Sergei Lavrov gave space to Xi Jinping at the Brics meeting in August 2023 MARCO LONGARI / POOL',
      'The audience burst out laughing at Sergei Lavrov’s comment. Reuters',
      'Advertisement',
      'https://example.com/story',
      '(Russian Embassy, London) pic.twitter.com/efRXKgDuqV -- Led By Donkeys (@ByDonkeys) February 23, 2023',
      '(Also see "Phase III Results Show Moderna Could Challenge" - Scrip, 18 Jan, 2023.)',
      'As always, you’re welcome to email us at info@example.org with questions.',
      'You can also subscribe to this newsletter here.',
      'Image shows the body of the gunman, who died in a confrontation with police',
    ]) {
      assert.equal(isClutter(line), true, line);
    }
  });

  it('GIVEN article prose, headlines and quotes THEN none is clutter', () => {
    for (const line of [
      'Russian foreign minister arrives in China hat in hand.',
      'FIRST ON FOX: Chairman of the House Foreign Affairs Committee Michael McCaul traveled to Kyiv Tuesday.',
      '– Beijing has watched with joy how the US’s political attention goes to Europe.',
      'Putin and Xi share the same worldview',
      'Follow-up talks are planned for May.',
      'Subscribers to the service rose by 4% in 2023, the company said.',
      '“We are planning to explore additional indications for 4157,” he said.',
      'Весной 2023 года уровень воды в Волге поднялся на три метра.',
      '新しい開館時間は午前九時から午後九時までとなる。',
    ]) {
      assert.equal(isClutter(line), false, line);
    }
  });
});

describe('findClutter', () => {
  it('GIVEN a pasted web page THEN captions with credits and the furniture are flagged and the prose kept', () => {
    const text = readFixture('text', 'messy-web.txt');
    const sentences = splitSentences(text, 'en');
    const flags = findClutter(text, sentences);
    const kept = sentences.filter((_, i) => !flags[i]).map((s) => s.text);
    assert.deepEqual(kept, [
      'Flood waters rise across the valley',
      'The river rose by two metres overnight, officials said.',
      'Dr. Amy Chen, a hydrologist at the U.S. Geological Survey, said the peak was expected on Jan. 5.',
      '"Is it over?" she asked.',
      '"Not yet."',
    ]);
  });
});

// The patterns containsEmail and isEmailOnly replace (quadratic on long runs of letters): on short
// inputs they are the specification.
const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/u;
const EMAIL_ONLY_PATTERN = /^\S+@\S+\.\S+$/u;

describe('email detection', () => {
  it('GIVEN any short text THEN it agrees with the unanchored email pattern it replaced', () => {
    const piece = fc.constantFrom(
      'a',
      'Z',
      'é',
      '𝐀',
      '7',
      '.',
      '-',
      '_',
      '%',
      '+',
      '@',
      ' ',
      '\n',
      ',',
      '𝟕',
      '\u{1F600}',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        assert.equal(containsEmail(text), EMAIL_PATTERN.test(text), JSON.stringify(text));
        assert.equal(isEmailOnly(text), EMAIL_ONLY_PATTERN.test(text), JSON.stringify(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('GIVEN addresses in prose and near-misses THEN only the addresses are found', () => {
    assert.equal(containsEmail('Write to info@example.org today.'), true);
    assert.equal(containsEmail('Пишите: новости@пример.рф'), true);
    assert.equal(containsEmail('the @handle and user@localhost and a@b.c'), false);
    assert.equal(isEmailOnly('jane.doe@example.co.uk'), true);
    assert.equal(isEmailOnly('jane doe@example.co.uk'), false);
  });
});

describe('isHashtag', () => {
  it('GIVEN any token THEN it answers as /^#\\p{L}/u does', () => {
    const pieces = [...'#a1_ É', 'я', '𝐀', '\ud835', '\udc00', '“', '中'];
    const token = textOf(pieces, 6);
    fc.assert(
      fc.property(token, (t) => isHashtag(t) === /^#\p{L}/u.test(t)),
      { numRuns: 10000 },
    );
  });
});
