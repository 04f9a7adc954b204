import { lettersMarksAndNumbers } from './char-class.js';
import { foldWord, unaccentLatin } from './fold-word.js';
import { type Stemmer, stemmerFor } from './stem.js';
import { primaryLanguage, stopWordsFor } from './stop-words.js';
import { splitWords } from './words.js';

/** A language's retrieval rules: which words to drop and how to fold the rest. */
export interface TermRules {
  readonly lang: string | null;
  /** The primary language subtag the rules are for (`en` when `lang` is null). */
  readonly primary: string;
  readonly stopWords: ReadonlySet<string>;
  readonly stem: Stemmer;
}

/** Rules for `lang` (BCP 47; null: English rules, the most common case for unlabelled text). */
export function termRules(lang: string | null): TermRules {
  return { lang, primary: primaryLanguage(lang), stopWords: stopWordsFor(lang), stem: stemmerFor(lang) };
}

/** What an apostrophe hangs on a word, per language: `Russia's`, Turkish `İstanbul'da`, French `l'État`. */
const POSSESSIVE = /'s?$/u;
const SUFFIX_AFTER_APOSTROPHE = /'.*$/u;
const ELIDED_ARTICLE = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|dell|all|dall|nell|sull|un)'/u;

/**
 * The index terms of `text`, in order, duplicates kept: words by `Intl.Segmenter`, folded by the
 * language's rules (`foldWord`), stop words dropped (a lone letter stays: `vitamin C`, `B cells`),
 * stemmed, Latin accents folded.
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
  const lower = foldWord(word, rules.primary);
  if (rules.stopWords.has(lower)) return null;
  const bare = lettersMarksAndNumbers(withoutApostrophe(lower, rules.primary));
  if (bare === '' || rules.stopWords.has(bare)) return null;
  if (rules.primary === 'en') return rules.stem(unaccentLatin(bare));
  return unaccentLatin(rules.stem(bare));
}

function withoutApostrophe(word: string, primary: string): string {
  if (!word.includes("'")) return word;
  if (primary === 'tr' || primary === 'az') return word.replace(SUFFIX_AFTER_APOSTROPHE, '');
  if (primary === 'fr' || primary === 'it' || primary === 'ca') return word.replace(ELIDED_ARTICLE, '');
  return word.replace(POSSESSIVE, '');
}
