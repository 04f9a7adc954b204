import type { Segment } from './segment.js';
import { segmenterFor } from './segmenters.js';

/**
 * Scripts written without spaces between words: only a dictionary (ICU's) can find their words. With
 * ー々〆 (U+30FC, U+3005, U+3006). Non-ASCII characters of these pattern sources are written as
 * escapes: the command's bundle stays ASCII (scripts/bundle-cli.mjs), and RegExp reads the escape.
 */
const SPACELESS = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30fc\u3005\u3006`;
const WORD_CHAR = String.raw`(?:(?![${SPACELESS}])[\p{L}\p{M}\p{N}_])`;
/**
 * A run of spaceless script (handed to `Intl.Segmenter`), or a word of a spaced script: letters,
 * marks and digits joined by an inner apostrophe or period (`don't`, `U.S`, `3.5`) or a digit group
 * comma (`1,000`), the way ICU's word rules join them. A source, made a pattern (flags `gu`) only
 * for text that needs it: its 37 Unicode properties cost V8 more to parse and compile than any
 * other pattern of a `verbatim` run.
 */
export const WORD_OR_RUN = String.raw`([${SPACELESS}]+)|${WORD_CHAR}+(?:[.'\u2019]${WORD_CHAR}+|,\p{N}+)*`;

/**
 * WORD_OR_RUN for text that holds no spaceless script, where its first alternative never matches
 * and its look-ahead never fails: the same matches from 7 Unicode properties instead of 37.
 */
export const SPACED_WORD = String.raw`[\p{L}\p{M}\p{N}_]+(?:[.'\u2019][\p{L}\p{M}\p{N}_]+|,\p{N}+)*`;

/** The letters, numbers and `_` of Latin-1 (`[\p{L}\p{M}\p{N}_]` there; it has no marks), and its numbers. */
const LATIN1_WORD_CHAR = String.raw`[0-9A-Z_a-z\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]`;
const LATIN1_NUMBER = String.raw`[0-9\u00b2\u00b3\u00b9\u00bc-\u00be]`;

/**
 * SPACED_WORD for text of Latin-1 and General Punctuation alone (most English text; General
 * Punctuation holds no letters or numbers), its classes spelled out: the same matches from a
 * pattern without Unicode properties, which V8 parses and compiles ~15 M instructions cheaper.
 */
export const LATIN1_WORD = `${LATIN1_WORD_CHAR}+(?:[.'’]${LATIN1_WORD_CHAR}+|,${LATIN1_NUMBER}+)*`;

/** A UTF-16 unit outside Latin-1 and General Punctuation (U+2000–U+206F). */
export const BEYOND_LATIN1 = /[\u0100-\u1fff\u2070-\uffff]/;

/**
 * A UTF-16 unit that may be part of a spaceless script's character: none lies below U+0E00 (Thai,
 * the first) or in U+2000–U+2E7F (punctuation, symbols, arrows; Han's radicals start at U+2E80).
 * Surrogates are in: Han reaches beyond U+FFFF.
 */
export const MAY_BE_SPACELESS = /[\u0e00-\u1fff\u2e80-\uffff]/;

/**
 * `Intl.Segmenter` in V8 gets slow on long inputs (segmenting a 200,000-character string word by word
 * takes minutes), so it only ever sees spaceless runs of at most this many characters.
 */
const MAX_SEGMENTER_INPUT = 256;

/**
 * Word-like segments of `text` (letters, digits, ideographs; not spaces or punctuation), in order.
 * Chinese, Japanese and Thai words come from `Intl.Segmenter`'s dictionary rules; words of scripts
 * that separate them with spaces (Latin, Cyrillic, Greek, Arabic…) are matched directly, which gives
 * the same words far faster. `locale` is a BCP 47 tag; an unknown or invalid one falls back to `en`.
 */
export function splitWords(text: string, locale?: string | null): Segment[] {
  const out: Segment[] = [];
  const source = MAY_BE_SPACELESS.test(text)
    ? WORD_OR_RUN
    : BEYOND_LATIN1.test(text)
      ? SPACED_WORD
      : LATIN1_WORD;
  const words = new RegExp(source, 'gu');
  // exec, not matchAll: an iterator step allocates on every word until V8 optimizes this (start-up).
  for (let m = words.exec(text); m !== null; m = words.exec(text)) {
    if (m[1] === undefined) {
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
      continue;
    }
    const segmenter = segmenterFor(locale, 'word');
    for (let from = 0; from < m[0].length; from += MAX_SEGMENTER_INPUT) {
      const piece = m[0].slice(from, from + MAX_SEGMENTER_INPUT);
      for (const w of segmenter.segment(piece)) {
        if (!w.isWordLike) continue;
        const start = m.index + from + w.index;
        out.push({ start, end: start + w.segment.length, text: w.segment });
      }
    }
  }
  return out;
}
