import { lazyPattern } from './guarded-pattern.js';
/**
 * Per-language folding of one word before it becomes a term, so spellings a reader takes as the
 * same word meet: lower case by the language's rules (Turkish `İ` → `i`, `I` → `ı`), any script's
 * digits as ASCII digits, apostrophe variants as `'`, and per script: Arabic without diacritics or
 * tatweel and with one alef; Devanagari without nukta, with anusvara for chandrabindu; Greek
 * without accents and with `σ` for final `ς`; Cyrillic `ё` as `е`; Romanian `ş ţ` with the comma.
 * Latin accents are folded later (`unaccentLatin`), after the stemmer, which needs them.
 */
export function foldWord(word: string, primary: string): string {
  let w = primary === 'tr' || primary === 'az' ? word.toLocaleLowerCase('tr') : word.toLowerCase();
  w = w.replace(APOSTROPHES, "'");
  if (NON_ASCII_DIGIT.test(w)) w = w.replace(NON_ASCII_DIGITS, asciiDigit);
  const mayBeOtherScript = FROM_GREEK_ON.test(w);
  if (mayBeOtherScript && ARABIC().test(w)) {
    w = w
      .replace(ARABIC_MARKS, '')
      .replace(/[أإآٱ]/gu, 'ا')
      .replace(/ى/gu, 'ي')
      .replace(/ة/gu, 'ه');
  } else if (mayBeOtherScript && DEVANAGARI().test(w)) {
    w = w.replace(/[\u093c\u200c\u200d]/gu, '').replace(/\u0901/gu, '\u0902');
  } else if (mayBeOtherScript && GREEK().test(w)) {
    w = w.normalize('NFD').replace(COMBINING(), '').replace(/ς/gu, 'σ').normalize('NFC');
  } else if (primary === 'ro') {
    w = w.replace(/ş/gu, 'ș').replace(/ţ/gu, 'ț');
  } else if (w.includes('ё')) {
    w = w.replace(/ё/gu, 'е');
  }
  return w;
}

/** `word` without the accents of its Latin letters (`café` → `cafe`); other scripts untouched. */
export function unaccentLatin(word: string): string {
  return LATIN_ACCENTED.test(word) ? word.normalize('NFD').replace(COMBINING(), '').normalize('NFC') : word;
}

const APOSTROPHES = /[’‘`´ʼ]/gu;
const COMBINING = lazyPattern(() => /\p{M}+/gu);
const ARABIC = lazyPattern(() => /\p{Script=Arabic}/u);
const DEVANAGARI = lazyPattern(() => /\p{Script=Devanagari}/u);
const GREEK = lazyPattern(() => /\p{Script=Greek}/u);
/**
 * A UTF-16 unit at or beyond U+0370, where Greek, the first of the three scripts above, starts
 * (surrogates included): a word without one is none of them, and their patterns need not run.
 */
export const FROM_GREEK_ON = /[\u0370-\uffff]/;
/** Latin letters outside ASCII: only these can carry accents to fold. */
const LATIN_ACCENTED = /[\u00c0-\u024f\u1e00-\u1eff]/u;
/** Harakat, Quranic marks, the superscript alef and tatweel. */
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/gu;

/** Zero of each decimal digit block met in articles (Arabic-Indic, Persian, Devanagari, Bengali, Thai, full-width). */
const DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10];
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59\uff10-\uff19]/u;
const NON_ASCII_DIGITS = new RegExp(NON_ASCII_DIGIT.source, 'gu');

function asciiDigit(d: string): string {
  const code = d.charCodeAt(0);
  for (const zero of DIGIT_ZEROS) if (code >= zero && code <= zero + 9) return String(code - zero);
  return d;
}
