import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  chunkText,
  type Segment,
  splitParagraphs,
  splitSentences,
  splitWords,
} from '../../src/text/index.js';

/** Article-like text: words, abbreviations, quotes, dashes, breaks and other scripts, in any order. */
const PIECES = [
  'Dr.',
  'Smith',
  'went',
  'to',
  'the',
  'U.S.',
  'on',
  'Jan.',
  '5',
  'e.g.',
  'J.',
  'R.',
  'Tolkien',
  '3.5',
  '“Is it true?”',
  'she',
  'asked',
  '—',
  '–',
  '...',
  '…',
  '.',
  '!',
  '?',
  ',',
  '"',
  '«',
  '»',
  'Россия',
  'и',
  'Китай',
  '我们',
  '北京大学。',
  '東京タワーへ行きました。',
  '😀',
  'ñ',
  'é',
  '#tag',
  '»',
  '-',
];
const SEPARATORS = [' ', ' ', ' ', '\n', '\n\n', '  ', '\t', '\u00a0'];
const articleLike = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), { maxLength: 120 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));
const anyText = fc.oneof(
  articleLike,
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

function assertSlicesBack(text: string, segments: readonly Segment[]): void {
  let previousEnd = 0;
  for (const s of segments) {
    assert.equal(text.slice(s.start, s.end), s.text);
    assert.ok(s.start >= previousEnd, `segments overlap or go backwards at ${s.start}`);
    assert.ok(s.end > s.start, 'empty segment');
    previousEnd = s.end;
  }
}

function assertTrimmed(segments: readonly Segment[]): void {
  for (const s of segments) assert.equal(s.text, s.text.trim());
}

/** Every non-whitespace character of `text` lies inside some segment. */
function assertCovers(text: string, segments: readonly Segment[]): void {
  const covered = new Uint8Array(text.length);
  for (const s of segments) covered.fill(1, s.start, s.end);
  for (let i = 0; i < text.length; i++) {
    if (!covered[i])
      assert.match(text[i] as string, /\s/u, `character ${i} (${JSON.stringify(text[i])}) is lost`);
  }
}

describe('segmentation invariants, for all inputs', () => {
  it('GIVEN any text THEN paragraphs slice back, in order, trimmed, and cover it', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const paragraphs = splitParagraphs(text);
        assertSlicesBack(text, paragraphs);
        assertTrimmed(paragraphs);
        assertCovers(text, paragraphs);
      }),
    );
  });

  it('GIVEN any text THEN sentences slice back, in order, trimmed, cover it, and never cross a paragraph break', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const sentences = splitSentences(text, 'en');
        assertSlicesBack(text, sentences);
        assertTrimmed(sentences);
        assertCovers(text, sentences);
        for (const s of sentences) assert.doesNotMatch(s.text, /\n[^\S\n]*\n/u);
      }),
    );
  });

  it('GIVEN any text THEN words slice back, in order, and hold no whitespace', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('en', 'ru', 'ja', 'zh', null), (text, locale) => {
        const words = splitWords(text, locale);
        assertSlicesBack(text, words);
        for (const w of words) assert.doesNotMatch(w.text, /\s/u);
      }),
    );
  });

  it('GIVEN any text and size THEN chunks slice back, in order, trimmed, within the size, and cover it', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 2, max: 400 }), (text, maxChars) => {
        const chunks = chunkText(text, maxChars, 'en');
        assertSlicesBack(text, chunks);
        assertTrimmed(chunks);
        assertCovers(text, chunks);
        for (const c of chunks)
          assert.ok(c.text.length <= maxChars, `chunk of ${c.text.length} > ${maxChars}`);
      }),
    );
  });

  it('GIVEN a chunk boundary inside an emoji THEN the surrogate pair is never split', () => {
    const text = '😀'.repeat(50);
    for (const c of chunkText(text, 7)) {
      assert.ok(!/^[\udc00-\udfff]/u.test(c.text) && !/[\ud800-\udbff]$/u.test(c.text));
    }
  });
});
