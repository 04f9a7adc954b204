import { createRequire } from 'node:module';
import { lightStemmer } from './light-stem.js';
import { porterStem } from './porter-stem.js';
import { primaryLanguage } from './stop-words.js';

/** Folds one lower-case, normalized word to the form its inflections share (`investigated` → `investig`). */
export type Stemmer = (word: string) => string;

/** Languages whose words do not inflect (or are not spaced): words are kept whole. */
const UNINFLECTED = new Set(['zh', 'ja', 'ko', 'th', 'lo', 'km', 'my', 'vi', 'yue']);

/** The Snowball algorithm of each language `snowball-stemmers` 0.6.0 covers (English uses Porter). */
const SNOWBALL: Readonly<Record<string, string>> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  cs: 'czech',
  da: 'danish',
  nl: 'dutch',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  hu: 'hungarian',
  it: 'italian',
  ga: 'irish',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  es: 'spanish',
  sl: 'slovene',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
};

/** Distinct words remembered per Snowball language before the memo starts over. */
const MEMO_WORDS = 50_000;

interface SnowballStemmer {
  stem(word: string): string;
}
interface SnowballFactory {
  newStemmer(algorithm: string): SnowballStemmer;
}

let snowball: SnowballFactory | null = null;
const stemmers = new Map<string, Stemmer>();

/**
 * The stemmer for `lang` (BCP 47; null: English): Porter for English; Snowball (`snowball-stemmers`)
 * for the 23 other languages it covers, loaded on first use so a process that never meets them
 * never pays for them; light suffix strippers for Greek and Hindi; none for languages that do not
 * inflect (Chinese, Japanese, Korean, Thai, Vietnamese…); else the first six letters (crude, but it
 * joins most inflections). Input: one word as `normalizeTerm` prepares it (lower-case, language
 * folding applied, accents still on).
 */
export function stemmerFor(lang: string | null): Stemmer {
  const primary = primaryLanguage(lang);
  if (primary === 'en') return porterStem;
  if (UNINFLECTED.has(primary)) return keepWord;
  const light = lightStemmer(primary);
  if (light) return light;
  const algorithm = SNOWBALL[primary];
  if (!algorithm) return truncateStem;
  let stemmer = stemmers.get(algorithm);
  if (!stemmer) {
    snowball ??= createRequire(import.meta.url)('snowball-stemmers') as SnowballFactory;
    stemmer = memoized(snowball.newStemmer(algorithm));
    stemmers.set(algorithm, stemmer);
  }
  return stemmer;
}

/**
 * Snowball's JavaScript port takes 5–20 µs a word; text repeats its words, so each is stemmed once
 * per process (bounded: the memo starts over past MEMO_WORDS). A pure function's memo, safe to share.
 */
function memoized(stemmer: SnowballStemmer): Stemmer {
  let memo = new Map<string, string>();
  return (word) => {
    let stem = memo.get(word);
    if (stem === undefined) {
      stem = stemmer.stem(word);
      if (memo.size >= MEMO_WORDS) memo = new Map();
      memo.set(word, stem);
    }
    return stem;
  };
}

function keepWord(word: string): string {
  return word;
}

function truncateStem(word: string): string {
  const letters = Array.from(word);
  return letters.length > 6 ? letters.slice(0, 6).join('') : word;
}
