import { splitWords } from '../../text/index.js';
import { porterStem } from './porter-stem.js';
import { russianStem } from './russian-stem.js';
import { STOP_WORDS } from './stop-words.js';

/** A language's retrieval rules: which words to drop and how to fold the rest. */
export interface TermRules {
  readonly lang: string | null;
  readonly stopWords: ReadonlySet<string>;
  readonly stem: (word: string) => string;
}

const NO_STOP_WORDS: ReadonlySet<string> = new Set();

/** Rules for `lang` (BCP 47; null: English rules, the most common case for unlabelled text). */
export function termRules(lang: string | null): TermRules {
  const primary = (lang ?? 'en').toLowerCase().split('-')[0] ?? 'en';
  const stopWords = STOP_WORDS.get(primary) ?? NO_STOP_WORDS;
  if (primary === 'en') return { lang, stopWords, stem: porterStem };
  if (primary === 'ru') return { lang, stopWords, stem: russianStem };
  if (['zh', 'ja', 'ko', 'th'].includes(primary)) return { lang, stopWords, stem: (w) => w };
  return { lang, stopWords, stem: truncateStem };
}

/** Languages without a stemmer here keep the first 6 letters: crude, but it joins most inflections. */
function truncateStem(word: string): string {
  const letters = Array.from(word);
  return letters.length > 6 ? letters.slice(0, 6).join('') : word;
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
