import { type Stemmer, stemmerFor } from './stem.js';
import { stopWordsFor } from './stop-words.js';
import { splitWords } from './words.js';

/** A language's retrieval rules: which words to drop and how to fold the rest. */
export interface TermRules {
  readonly lang: string | null;
  readonly stopWords: ReadonlySet<string>;
  readonly stem: Stemmer;
}

/** Rules for `lang` (BCP 47; null: English rules, the most common case for unlabelled text). */
export function termRules(lang: string | null): TermRules {
  return { lang, stopWords: stopWordsFor(lang), stem: stemmerFor(lang) };
}

const APOSTROPHES = /[’‘`´ʼ]/gu;
const POSSESSIVE = /'s?$/u;
/** Only Latin letters lose their accents (`café` → `cafe`); in kana the marks change the sound. */
const LATIN = /\p{Script=Latin}/u;

/**
 * The index terms of `text`, in order, duplicates kept: words by `Intl.Segmenter`, lower-cased,
 * Latin accents folded, stop words dropped (a lone letter stays: `vitamin C`, `B cells`), then stemmed.
 */
export function termsOf(text: string, rules: TermRules): string[] {
  const out: string[] = [];
  for (const word of splitWords(text, rules.lang)) {
    const term = normalizeTerm(word.text, rules);
    if (term !== null) out.push(term);
  }
  return out;
}

/**
 * `normalizeTerm` with memory: articles repeat their words, so each distinct word is folded and
 * stemmed once. Scope one to one article's analysis.
 */
export function cachedTermNormalizer(rules: TermRules): (word: string) => string | null {
  const seen = new Map<string, string | null>();
  return (word) => {
    let term = seen.get(word);
    if (term === undefined) {
      term = normalizeTerm(word, rules);
      seen.set(word, term);
    }
    return term;
  };
}

/** One word as an index term, or null when it is a stop word or carries nothing (`the`, `'`). */
export function normalizeTerm(word: string, rules: TermRules): string | null {
  const lower = word.toLowerCase().replace(APOSTROPHES, "'");
  if (rules.stopWords.has(lower)) return null;
  const unmarked = LATIN.test(lower) ? lower.normalize('NFD').replace(/\p{M}+/gu, '') : lower;
  const bare = unmarked.replace(POSSESSIVE, '').replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
  if (bare === '' || rules.stopWords.has(bare)) return null;
  return rules.stem(bare);
}
