import { primaryLanguage } from './stop-words.js';

/**
 * ICU's sentence boundaries (Unicode UAX #29 rules SB1–SB998, which `Intl.Segmenter` implements)
 * computed here for text written only in characters whose Sentence_Break class is listed below
 * (ASCII, the letters of Latin-1, Latin Extended-A, Romanian's ș ț and Cyrillic, the usual typographic quotes,
 * dashes, spaces, bullets and symbols), so that splitting a European article's sentences does not
 * build an ICU break iterator: the first one in a process costs ~13 ms (~95 M instructions, as much
 * as starting Node itself), which the `verbatim` command would pay on every run. Any other character, or a language
 * not checked against ICU, gets null and the caller asks `Intl.Segmenter`. The results are the
 * same by construction and by test (`test/text/sentence-breaks.test.ts` compares both on random
 * text over these characters, in each language listed, and on the fixtures).
 */

enum Sb {
  Other = 0,
  CR,
  LF,
  Sp,
  Lower,
  Upper,
  Numeric,
  ATerm,
  STerm,
  Close,
  SContinue,
}

/** Languages whose ICU sentence rules are the root rules this file implements (checked by test). */
export const ROOT_RULE_LANGUAGES: ReadonlySet<string> = new Set([
  'en',
  'fr',
  'de',
  'es',
  'it',
  'pt',
  'nl',
  'ro',
  'tr',
  'vi',
  'sv',
  'da',
  'no',
  'fi',
  'pl',
  'cs',
  'hu',
  'id',
  'ru',
  'uk',
  'bg',
  'be',
  'sr',
  'mk',
  'kk',
]);

/** The class of each code unit below 0x500, or -1 where this file does not decide (ICU must). */
const TABLE = new Int8Array(0x500).fill(-1);
for (let c = 0x20; c < 0x7f; c++) TABLE[c] = Sb.Other;
TABLE[0x0a] = Sb.LF;
TABLE[0x0d] = Sb.CR;
TABLE[0x09] = Sb.Sp;
TABLE[0x20] = Sb.Sp;
TABLE[0xa0] = Sb.Sp; // no-break space
for (let c = 0x61; c <= 0x7a; c++) TABLE[c] = Sb.Lower;
for (let c = 0x41; c <= 0x5a; c++) TABLE[c] = Sb.Upper;
for (let c = 0x30; c <= 0x39; c++) TABLE[c] = Sb.Numeric;
TABLE[0x2e] = Sb.ATerm; // .
TABLE[0x21] = Sb.STerm; // !
TABLE[0x3f] = Sb.STerm; // ?
for (const c of '"\'()[]{}') TABLE[c.charCodeAt(0)] = Sb.Close;
for (const c of ',-:;') TABLE[c.charCodeAt(0)] = Sb.SContinue;
// Latin-1 symbols and punctuation that are neither terminators nor closers: ¡ ¢ £ ¤ ¥ ¦ § ¨ © ¬ ® ¯
// ° ± ² ³ ´ ¶ · ¹ ¼ ½ ¾ ¿ × ÷ (U+00AD, the soft hyphen, is Format: ICU decides).
for (const c of '¡¢£¤¥¦§¨©¬®¯°±²³´¶·¹¼½¾¿×÷') TABLE[c.charCodeAt(0)] = Sb.Other;
// Latin-1 letters: À–Ö, Ø–Þ upper case; ß–ö, ø–ÿ lower case.
for (let c = 0xc0; c <= 0xde; c++) if (c !== 0xd7) TABLE[c] = Sb.Upper;
for (let c = 0xdf; c <= 0xff; c++) if (c !== 0xf7) TABLE[c] = Sb.Lower;
// ª µ º: not cased, but Lowercase (as UAX #29 reads it).
TABLE[0xaa] = Sb.Lower;
TABLE[0xb5] = Sb.Lower;
TABLE[0xba] = Sb.Lower;
TABLE[0xab] = Sb.Close; // «
TABLE[0xbb] = Sb.Close; // »
// Latin Extended-A (Polish, Czech, Hungarian, Turkish… letters): upper case where the letter has a
// lower-case mapping (İ included), lower case otherwise (ı ĸ ŉ ſ have no other case but are Ll).
for (let c = 0x100; c < 0x180; c++) {
  const ch = String.fromCharCode(c);
  TABLE[c] = ch.toLowerCase() !== ch ? Sb.Upper : Sb.Lower;
}
TABLE[0x218] = Sb.Upper; // Ș
TABLE[0x219] = Sb.Lower; // ș
TABLE[0x21a] = Sb.Upper; // Ț
TABLE[0x21b] = Sb.Lower; // ț
// Cyrillic (U+0400–U+04FF): every letter is cased, upper case where it has a lower-case mapping;
// U+0482–U+0489 (a thousands sign and combining marks, which the rules skip over) are left to ICU.
for (let c = 0x400; c < 0x500; c++) {
  if (c >= 0x482 && c <= 0x489) continue;
  const ch = String.fromCharCode(c);
  TABLE[c] = ch.toLowerCase() !== ch ? Sb.Upper : Sb.Lower;
}

/** The class of a code unit of 0x500 or above, or -1 (ICU must decide). */
function classAbove(c: number): number {
  switch (c) {
    case 0x2018: // ‘
    case 0x2019: // ’
    case 0x201a: // ‚
    case 0x201c: // “
    case 0x201d: // ”
    case 0x201e: // „
    case 0x2039: // ‹
    case 0x203a: // ›
      return Sb.Close;
    case 0x2013: // –
    case 0x2014: // —
      return Sb.SContinue;
    case 0x2009: // thin space
    case 0x202f: // narrow no-break space
      return Sb.Sp;
    case 0x2010: // ‐
    case 0x2011: // non-breaking hyphen
    case 0x2012: // ‒
    case 0x2015: // ―
    case 0x2020: // †
    case 0x2021: // ‡
    case 0x2022: // •
    case 0x2026: // …
    case 0x2030: // ‰
    case 0x2032: // ′
    case 0x2033: // ″
    case 0x20ac: // €
    case 0x2122: // ™
      return Sb.Other;
    default:
      return -1;
  }
}

/** A sentence as `Intl.Segmenter` yields it: the text and where it starts. */
export interface SentencePiece {
  readonly segment: string;
  readonly index: number;
}

/**
 * The sentences ICU's sentence break iterator finds in `text` for `locale` (BCP 47; null: English),
 * or null when `text` holds a character, or `locale` is a language, this file does not decide.
 */
export function rootSentenceBreaks(text: string, locale: string | null | undefined): SentencePiece[] | null {
  if (locale && !ROOT_RULE_LANGUAGES.has(primaryLanguage(locale))) return null;
  const n = text.length;
  const cls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const k = c < 0x500 ? (TABLE[c] as number) : classAbove(c);
    if (k < 0) return null;
    cls[i] = k;
  }
  // SB8 looks ahead past anything but letters, paragraph separators and terminators for a
  // lower-case letter: whether the first such class at or after each index is Lower, in one pass.
  const lowerAhead = new Uint8Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const k = cls[i] as number;
    lowerAhead[i] =
      k === Sb.Lower ? 1 : k === Sb.Upper || isParaSep(k) || isTerm(k) ? 0 : (lowerAhead[i + 1] as number);
  }
  const out: SentencePiece[] = [];
  let start = 0;
  // What SB6–SB11 read before the boundary: a terminator (or none), then Close*, then Sp*.
  let term: number = Sb.Other;
  let beforeTerm: number = Sb.Other;
  let closes = 0;
  let spaces = 0;
  for (let i = 0; i < n; i++) {
    const cur = cls[i] as number;
    if (
      i > 0 &&
      breaksBefore(cls[i - 1] as number, cur, term, beforeTerm, closes, spaces, lowerAhead[i] === 1)
    ) {
      out.push({ segment: text.slice(start, i), index: start });
      start = i;
    }
    if (isTerm(cur)) {
      beforeTerm = i > 0 ? (cls[i - 1] as number) : Sb.Other;
      term = cur;
      closes = 0;
      spaces = 0;
    } else if (term !== Sb.Other && cur === Sb.Close && spaces === 0) closes++;
    else if (term !== Sb.Other && cur === Sb.Sp) spaces++;
    else term = Sb.Other;
  }
  if (n > 0) out.push({ segment: text.slice(start), index: start });
  return out;
}

function isParaSep(k: number): boolean {
  return k === Sb.CR || k === Sb.LF;
}

function isTerm(k: number): boolean {
  return k === Sb.ATerm || k === Sb.STerm;
}

/**
 * UAX #29's sentence rules for the boundary between classes `prev` and `cur`, after `term` (ATerm,
 * STerm or Other: none), the class before it, and `closes` Close and then `spaces` Sp since it;
 * `lowerAhead`: SB8's look-ahead from `cur` finds a lower-case letter.
 */
function breaksBefore(
  prev: number,
  cur: number,
  term: number,
  beforeTerm: number,
  closes: number,
  spaces: number,
  lowerAhead: boolean,
): boolean {
  if (prev === Sb.CR && cur === Sb.LF) return false; // SB3
  if (isParaSep(prev)) return true; // SB4
  if (!isTerm(term)) return false; // SB998
  if (term === Sb.ATerm && spaces === 0 && closes === 0) {
    if (cur === Sb.Numeric) return false; // SB6
    if (cur === Sb.Upper && (beforeTerm === Sb.Upper || beforeTerm === Sb.Lower)) return false; // SB7
  }
  if (term === Sb.ATerm && lowerAhead) return false; // SB8
  if (cur === Sb.SContinue || isTerm(cur)) return false; // SB8a
  if (spaces === 0 && (cur === Sb.Close || cur === Sb.Sp || isParaSep(cur))) return false; // SB9
  if (cur === Sb.Sp || isParaSep(cur)) return false; // SB10
  return true; // SB11
}
