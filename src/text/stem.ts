import { porterStem } from './porter-stem.js';
import { russianStem } from './russian-stem.js';
import { primaryLanguage } from './stop-words.js';

/** Folds one lower-case word to the form its inflections share (`investigated` → `investig`). */
export type Stemmer = (word: string) => string;

/** Scripts written without inflection or without spaces: words are kept whole. */
const UNSTEMMED = new Set(['zh', 'ja', 'ko', 'th']);

/**
 * The stemmer for `lang` (BCP 47; null: English): Porter for English, a light suffix stripper for
 * Russian, none for Chinese, Japanese, Korean and Thai, else the first six letters (crude, but it
 * joins most inflections).
 */
export function stemmerFor(lang: string | null): Stemmer {
  const primary = primaryLanguage(lang);
  if (primary === 'en') return porterStem;
  if (primary === 'ru') return russianStem;
  if (UNSTEMMED.has(primary)) return keepWord;
  return truncateStem;
}

function keepWord(word: string): string {
  return word;
}

function truncateStem(word: string): string {
  const letters = Array.from(word);
  return letters.length > 6 ? letters.slice(0, 6).join('') : word;
}
