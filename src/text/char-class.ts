/**
 * Unicode property tests on one code point: `\p{L}`, `\p{Lu}`, `\p{Ll}`, `\p{N}`, `\p{M}`, answered
 * from a table for Latin-1 and for the General Punctuation block (the spaces, dashes, quotes and
 * bullets of European text), and by the property's pattern only beyond. Every `\p{…}` in a pattern
 * costs V8 an ICU property lookup (~0.25 M instructions) each time it parses the pattern, and the
 * pattern's first compilation millions more, which the one-shot `verbatim` command paid on every
 * run; with these, text of Latin-1 letters never runs, so never compiles, the patterns.
 *
 * Each answer is exactly the pattern's (`test/text/char-class.test.ts` compares them on every code
 * point). A lone surrogate is a code point of its own, as for a `u` pattern.
 */

const LETTER = 1;
const UPPER = 2;
const LOWER = 4;
const NUMBER = 8;

/** The properties above of each Latin-1 character (U+0000–U+00FF). Latin-1 has no marks. */
const LATIN1 = ((): Uint8Array => {
  const table = new Uint8Array(0x100);
  const mark = (from: number, to: number, bits: number) => {
    for (let c = from; c <= to; c++) table[c] = (table[c] ?? 0) | bits;
  };
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

/** U+2000–U+206F (General Punctuation): no letters, marks or numbers. */
function isGeneralPunctuation(cp: number): boolean {
  return cp >= 0x2000 && cp <= 0x206f;
}

/** The properties of `cp` when the tables decide them, else undefined. */
function knownBits(cp: number): number | undefined {
  if (cp < 0x100) return LATIN1[cp] ?? 0;
  return isGeneralPunctuation(cp) ? 0 : undefined;
}

const LETTER_PATTERN = /\p{L}/u;
const UPPER_PATTERN = /\p{Lu}/u;
const LOWER_PATTERN = /\p{Ll}/u;
const NUMBER_PATTERN = /\p{N}/u;
const MARK_PATTERN = /\p{M}/u;

/** `/\p{L}/u`: a letter of any script and case. Latin Extended-A and -B (U+0100–U+024F) are all letters. */
export function isLetter(cp: number): boolean {
  if (cp >= 0x100 && cp <= 0x24f) return true;
  const bits = knownBits(cp);
  return bits === undefined ? LETTER_PATTERN.test(String.fromCodePoint(cp)) : (bits & LETTER) !== 0;
}

/** `/\p{Lu}/u`: an upper-case letter. */
export function isUpper(cp: number): boolean {
  const bits = knownBits(cp);
  return bits === undefined ? UPPER_PATTERN.test(String.fromCodePoint(cp)) : (bits & UPPER) !== 0;
}

/** `/\p{Ll}/u`: a lower-case letter. */
export function isLower(cp: number): boolean {
  const bits = knownBits(cp);
  return bits === undefined ? LOWER_PATTERN.test(String.fromCodePoint(cp)) : (bits & LOWER) !== 0;
}

/** `/\p{N}/u`: a digit or other number (`²`, `½`, Roman numerals). */
export function isNumber(cp: number): boolean {
  const bits = knownBits(cp);
  return bits === undefined ? NUMBER_PATTERN.test(String.fromCodePoint(cp)) : (bits & NUMBER) !== 0;
}

/** `/\p{M}/u`: a combining mark. */
export function isMark(cp: number): boolean {
  return knownBits(cp) === undefined && MARK_PATTERN.test(String.fromCodePoint(cp));
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
