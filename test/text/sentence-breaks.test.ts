import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { repoRoot } from '../../src/core/paths.js';
import { ROOT_RULE_LANGUAGES, rootSentenceBreaks } from '../../src/text/sentence-breaks.js';
import { splitSentences } from '../../src/text/sentences.js';
import { textOf } from '../helpers/arbitraries.js';

/** What `Intl.Segmenter` gives, in the shape `rootSentenceBreaks` gives it. */
function icu(text: string, locale = 'en'): Array<{ segment: string; index: number }> {
  return [...new Intl.Segmenter(locale, { granularity: 'sentence' }).segment(text)].map((s) => ({
    segment: s.segment,
    index: s.index,
  }));
}

/** Every character `rootSentenceBreaks` decides, each Sentence_Break class with several. */
const DECIDED = [
  ...'abcxyzABCXYZ0159.!?"\'()[]{},-:; \n\r\t#$%&*+/<=>@\\^_`|~',
  ...'ßéöÿªµºÀÉÖØÞ«»‘’“”–—•…',
  ...'¡¢£¤¥¦§¨©¬®¯°±²³´¶·¹¼½¾¿×÷\u00a0\u2009\u202f‚„‹›‐‑‒―†‡‰′″€™',
  ...'ĀāĂăĄąĆćČčĎďĐđĘęĚěĞğİıĸĹĺŁłŃńŇňŉŐőŒœŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽžſȘșȚț',
  ...'АаБбЖжЯяЁёЇїІіЄєҐґЎўЂђЉљЊњЏџҚқӘәӨөҮүӀӏ',
];
/** Pieces that put the rules to work: terminators, closers, spaces and cases in every order. */
const PIECES = [
  ...DECIDED,
  'Mr. Smith',
  'U.S. Army',
  'e.g. this',
  'No. 5',
  '3.5',
  '“Yes.” He',
  '“Yes.” he',
  '(Hi!) There',
  '.. ',
  '?! ',
  '. . .',
  '.\n',
  '.\r\n',
  ' A',
  ' a',
  ' 1',
  'Ö. Ülker',
  'Г. Иванов',
  'т. е. это',
  'Да. Нет',
];

describe('rootSentenceBreaks', () => {
  it('GIVEN random text over the characters it decides THEN its sentences are ICU’s, in every language it serves', () => {
    const text = textOf(PIECES, 40);
    for (const lang of [...ROOT_RULE_LANGUAGES]) {
      fc.assert(
        fc.property(text, (t) => {
          assert.deepEqual(rootSentenceBreaks(t, lang), icu(t, lang), JSON.stringify(t));
        }),
        { numRuns: lang === 'en' ? 3000 : 300 },
      );
    }
  });

  it('GIVEN random strings of single characters it decides THEN its sentences are ICU’s', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DECIDED), { maxLength: 30 }), (chars) => {
        const t = chars.join('');
        assert.deepEqual(rootSentenceBreaks(t, null), icu(t), JSON.stringify(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('GIVEN each character it decides, in every context the rules read THEN its sentences are ICU’s', () => {
    let decided = 0;
    for (let c = 0; c < 0x2200; c++) {
      const ch = String.fromCharCode(c);
      if (rootSentenceBreaks(ch, 'en') === null) continue;
      decided++;
      const contexts = [
        `Hi. ${ch}x`,
        `Hi. ${ch}X`,
        `Hi.${ch} There`,
        `Hi.${ch}There`,
        `a${ch}. b`,
        `A${ch}.B`,
        `A.${ch}B`,
        `x. ${ch} y. Z`,
        `1.${ch}5`,
        `Hi!${ch} Now`,
        `${ch}. ${ch} ${ch}.${ch}`,
      ];
      for (const t of contexts) assert.deepEqual(rootSentenceBreaks(t, 'en'), icu(t), JSON.stringify(t));
    }
    assert.ok(decided > 300, `only ${decided} characters decided`);
  });

  it('GIVEN the English fixtures THEN each paragraph’s sentences are ICU’s', () => {
    const root = repoRoot();
    const files = [
      join(root, 'examples', 'lavrov-china.txt'),
      join(root, 'test', 'fixtures', 'text', 'messy-web.txt'),
      join(root, 'test', 'fixtures', 'extractive', 'lavrov-china.txt'),
    ];
    let decided = 0;
    for (const file of files) {
      for (const para of readFileSync(file, 'utf8').split(/\n\s*\n/u)) {
        const fast = rootSentenceBreaks(para, 'en');
        if (fast === null) continue;
        decided++;
        assert.deepEqual(fast, icu(para), `${file}: ${para.slice(0, 80)}`);
      }
    }
    assert.ok(decided > 40, `only ${decided} paragraphs decided without ICU`);
  });

  it('GIVEN a character or a language it does not decide THEN it leaves the text to ICU', () => {
    assert.equal(rootSentenceBreaks('Ένα. Δύο.', 'en'), null);
    assert.equal(rootSentenceBreaks('Soft\u00adhyphen. Here.', 'en'), null);
    assert.equal(rootSentenceBreaks('Καλημέρα; Ναι.', 'el'), null);
    assert.equal(rootSentenceBreaks('Plain text. Here.', 'el'), null);
    assert.deepEqual(rootSentenceBreaks('', 'en'), []);
  });

  it('GIVEN text with and without characters ICU alone decides THEN splitSentences splits both alike', () => {
    const latin = 'Mr. Smith went to Washington. He said “Yes.” Then he left.\nA new line. 3.5 km away.';
    const withGreek = `${latin} Ω`;
    assert.deepEqual(
      splitSentences(withGreek)
        .map((s) => s.text)
        .slice(0, -1),
      splitSentences(latin).map((s) => s.text),
    );
  });
});
