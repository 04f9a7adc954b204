/** Word-level helpers shared by the support checks: folding, tokens, stems, stop words. */
import { splitWords, stemmerFor, stopWordsFor, termRules, termsOf } from '../../text/index.js';

/** Lower-case, compatibility-folded, without accents or apostrophe variants: for comparing words. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/gu, "'");
}

/** Word tokens of `text` (Intl.Segmenter word rules), folded, with their offsets. */
export interface Token {
  readonly raw: string;
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export function tokens(text: string, locale?: string | null): Token[] {
  return splitWords(text, locale).map((w) => ({
    raw: w.text,
    word: fold(w.text),
    start: w.start,
    end: w.end,
  }));
}

/** Strips a possessive (`Russia's` → `russia`). */
export function unpossess(word: string): string {
  return word.replace(/'s$|'$/u, '');
}

/**
 * The English stem of a word as the support checks compare it (the text layer's stemmer over the
 * folded word, possessive dropped), so `investigations`/`investigated` and `poisoned`/`poison` meet.
 */
export function stem(word: string): string {
  return englishStem(unpossess(fold(word)));
}

const englishStem = stemmerFor('en');

/** English function words (the text layer's list): never names, never content. */
export const STOPWORDS: ReadonlySet<string> = stopWordsFor('en');

/**
 * Content-word terms of a text in its language (the text layer's `termsOf`: stop words dropped,
 * stemmed): what coverage and evidence compare.
 */
export function contentStems(text: string, locale?: string | null): string[] {
  return termsOf(text, termRules(locale ?? null));
}

export function isCapitalized(raw: string): boolean {
  return /^[\p{Lu}\p{Lt}]/u.test(raw);
}

/** Scripts with letter case, where capitals mark names. */
export function hasCase(raw: string): boolean {
  return /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Georgian}]/u.test(
    raw,
  );
}

/** Words that turn a statement into its opposite. */
export const NEGATIONS = new Set(
  'not no never none nobody nothing neither nor without cannot cant dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wont wouldnt couldnt shouldnt nowhere lack lacks lacked'.split(
    ' ',
  ),
);

export function isNegation(word: string): boolean {
  const w = word.replace(/'/gu, '');
  return NEGATIONS.has(w) || (w.endsWith('nt') && NEGATIONS.has(w));
}
