import { lazyPattern } from './guarded-pattern.js';

/**
 * Unicode property tests on one code point: `\p{L}`, `\p{Lu}`, `\p{Ll}`, `\p{N}`, `\p{M}`, opening
 * (`\p{Ps}`, `\p{Pi}`) and closing (`\p{Pe}`, `\p{Pf}`) punctuation, answered from a table for
 * Latin-1 and for the General Punctuation block (the spaces, dashes, quotes and bullets of European
 * text), and by the property's pattern only beyond. Every `\p{…}` in a pattern costs V8 an ICU
 * property lookup (~0.25 M instructions) each time it parses the pattern, and the pattern's
 * compilations millions more, which the one-shot `verbatim` command paid on every run; with these,
 * text of Latin-1 letters never runs, so never compiles, the patterns.
 *
 * Each answer is exactly the pattern's (`test/text/char-class.test.ts` compares them on every code
 * point). A lone surrogate is a code point of its own, as for a `u` pattern.
 */

const LETTER = 1;
const UPPER = 2;
const LOWER = 4;
const NUMBER = 8;
const OPENING = 16;
const CLOSING = 32;
const MARK = 64;

/** The properties above of each Latin-1 character (U+0000–U+00FF). Latin-1 has no marks. */
const LATIN1 = ((): Uint8Array => {
  const table = new Uint8Array(0x100);
  const mark = (from: number, to: number, bits: number) => {
    for (let c = from; c <= to; c++) table[c] = (table[c] ?? 0) | bits;
  };
  for (const c of '([{') mark(c.charCodeAt(0), c.charCodeAt(0), OPENING);
  for (const c of ')]}') mark(c.charCodeAt(0), c.charCodeAt(0), CLOSING);
  mark(0xab, 0xab, OPENING); // «
  mark(0xbb, 0xbb, CLOSING); // »
  mark(0x30, 0x39, NUMBER); // 0–9
  mark(0x41, 0x5a, LETTER | UPPER); // A–Z
  mark(0x61, 0x7a, LETTER | LOWER); // a–z
  mark(0xaa, 0xaa, LETTER); // ª, a letter of no case
  mark(0xb2, 0xb3, NUMBER); // ² ³
  mark(0xb5, 0xb5, LETTER | LOWER); // µ
  mark(0xb9, 0xb9, NUMBER); // ¹
  mark(0xba, 0xba, LETTER); // º
  mark(0xbc, 0xbe, NUMBER); // ¼ ½ ¾
  mark(0xc0, 0xd6, LETTER | UPPER); // À–Ö
  mark(0xd8, 0xde, LETTER | UPPER); // Ø–Þ
  mark(0xdf, 0xf6, LETTER | LOWER); // ß–ö
  mark(0xf8, 0xff, LETTER | LOWER); // ø–ÿ
  return table;
})();

/**
 * The opening and closing quotes and brackets of U+2000–U+206F (General Punctuation), which holds
 * no letters, marks or numbers: `‘ ‚ ‛ “ „ ‟ ‹ ⁅` open, `’ ” › ⁆` close.
 */
const GENERAL_PUNCTUATION = new Map<number, number>([
  ...[0x2018, 0x201a, 0x201b, 0x201c, 0x201e, 0x201f, 0x2039, 0x2045].map((c) => [c, OPENING] as const),
  ...[0x2019, 0x201d, 0x203a, 0x2046].map((c) => [c, CLOSING] as const),
]);

/** The properties of `cp` when the tables decide them, else undefined. */
function knownBits(cp: number): number | undefined {
  if (cp < 0x100) return LATIN1[cp] ?? 0;
  return cp >= 0x2000 && cp <= 0x206f ? (GENERAL_PUNCTUATION.get(cp) ?? 0) : undefined;
}

/**
 * The test of one property: the tables' bit where they decide, else the property's pattern, built
 * on first use. No character of the tables is a mark, so MARK is never set there.
 */
function propertyTest(bit: number, pattern: () => RegExp): (cp: number) => boolean {
  return (cp) => {
    const bits = knownBits(cp);
    return bits === undefined ? pattern().test(String.fromCodePoint(cp)) : (bits & bit) !== 0;
  };
}

const letterTest = propertyTest(
  LETTER,
  lazyPattern(() => /\p{L}/u),
);

/** `/\p{L}/u`: a letter of any script and case. Latin Extended-A and -B (U+0100–U+024F) are all letters. */
export function isLetter(cp: number): boolean {
  return (cp >= 0x100 && cp <= 0x24f) || letterTest(cp);
}

/** `/\p{Lu}/u`: an upper-case letter. */
export const isUpper = propertyTest(
  UPPER,
  lazyPattern(() => /\p{Lu}/u),
);
/** `/\p{Ll}/u`: a lower-case letter. */
export const isLower = propertyTest(
  LOWER,
  lazyPattern(() => /\p{Ll}/u),
);
/** `/\p{N}/u`: a digit or other number (`²`, `½`, Roman numerals). */
export const isNumber = propertyTest(
  NUMBER,
  lazyPattern(() => /\p{N}/u),
);
/** `/\p{M}/u`: a combining mark. */
export const isMark = propertyTest(
  MARK,
  lazyPattern(() => /\p{M}/u),
);
/** `/[\p{Ps}\p{Pi}]/u`: an opening bracket or quote. */
export const isOpeningPunctuation = propertyTest(
  OPENING,
  lazyPattern(() => /[\p{Ps}\p{Pi}]/u),
);
/** `/[\p{Pe}\p{Pf}]/u`: a closing bracket or quote. */
export const isClosingPunctuation = propertyTest(
  CLOSING,
  lazyPattern(() => /[\p{Pe}\p{Pf}]/u),
);

/** `/\s/u`: white space or a line break (what `trim` removes). */
export function isSpace(cp: number): boolean {
  const ch = String.fromCodePoint(cp);
  return ch.trim() === '';
}

/** `/[\p{L}\p{N}]/u.test(text)`: true when `text` holds a letter or a number. */
export function hasLetterOrNumber(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isLetter(cp) || isNumber(cp)) return true;
  }
  return false;
}

/** `text.replace(/[^\p{L}\p{M}\p{N}]+/gu, '')`: only the letters, marks and numbers of `text`. */
export function lettersMarksAndNumbers(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isLetter(cp) || isNumber(cp) || isMark(cp)) out += ch;
  }
  return out;
}

/** The code point that ends just before `end` in `text` (a lone surrogate as itself). */
export function codePointBefore(text: string, end: number): number {
  const low = text.charCodeAt(end - 1);
  const high = end >= 2 ? text.charCodeAt(end - 2) : 0;
  const paired = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
  return paired ? (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000 : low;
}

/**
 * `new RegExp(`[${marks}][\p{Pe}\p{Pf}"'’”»]*$`, 'u').test(text)`: `text` ends in one of `marks`
 * (characters of one UTF-16 unit, none a closing mark), then any closing brackets and quotes.
 */
export function endsWithMark(text: string, marks: string): boolean {
  let end = text.length;
  while (end > 0) {
    const cp = codePointBefore(text, end);
    if (!(isClosingPunctuation(cp) || cp === 0x22 || cp === 0x27))
      return marks.includes(String.fromCodePoint(cp));
    end -= cp > 0xffff ? 2 : 1;
  }
  return false;
}

/** Where the run of code points of `text` passing `inRun` that starts at `start` ends. */
export function endOfRun(text: string, start: number, inRun: (cp: number) => boolean): number {
  let end = start;
  for (let cp = text.codePointAt(end); cp !== undefined && inRun(cp); cp = text.codePointAt(end)) {
    end += cp > 0xffff ? 2 : 1;
  }
  return end;
}

/** True when the code point at `i` of `text` is a lower-case letter (`\p{Ll}`). */
export function isLowerAt(text: string, i: number): boolean {
  const cp = text.codePointAt(i);
  return cp !== undefined && isLower(cp);
}
