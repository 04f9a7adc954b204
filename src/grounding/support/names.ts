import { lazyPattern } from '../../text/guarded-pattern.js';
import { splitSentences } from '../../text/index.js';
import { isCalendarWord } from './dates.js';
import { countryOfCityIn } from './places.js';
import { fold, hasCase, isCapitalized, STOPWORDS, type Token, tokens, unpossess } from './words.js';

/** Lower-case words allowed inside a multiword name (`Bank of England`, `Charles de Gaulle`). */
const NAME_CONNECTORS = new Set([
  'of',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'bin',
  'al',
  'el',
  'y',
]);

/** Capitalized words that are titles or roles rather than names: checked only as part of a longer name. */
const TITLES = new Set(
  'president prime minister foreign secretary chancellor king queen prince princess general minister senator governor mayor chief director ceo chairman professor dr mr mrs ms sir lord lady pope judge justice officer spokesman spokeswoman spokesperson'.split(
    ' ',
  ),
);

/** Country ↔ adjective pairs no suffix rule relates. */
const IRREGULAR_DEMONYMS: ReadonlyArray<readonly [string, string]> = [
  ['france', 'french'],
  ['britain', 'british'],
  ['uk', 'british'],
  ['england', 'english'],
  ['netherlands', 'dutch'],
  ['holland', 'dutch'],
  ['spain', 'spanish'],
  ['greece', 'greek'],
  ['switzerland', 'swiss'],
  ['wales', 'welsh'],
  ['finland', 'finnish'],
  ['sweden', 'swedish'],
  ['denmark', 'danish'],
  ['poland', 'polish'],
  ['ireland', 'irish'],
  ['scotland', 'scottish'],
  ['turkey', 'turkish'],
  ['philippines', 'filipino'],
  ['us', 'american'],
  ['usa', 'american'],
  ['america', 'american'],
  ['peru', 'peruvian'],
  ['israel', 'israeli'],
  ['pakistan', 'pakistani'],
  ['iraq', 'iraqi'],
  ['yemen', 'yemeni'],
  ['thailand', 'thai'],
];

/**
 * True when two name words denote the same thing: equal, or a country and its adjective
 * (`China`/`Chinese`, `Ukraine`/`Ukrainian`, `Russia`/`Russians`). Deliberately not a shared
 * prefix: `Turki` and `Turkey`, `Iran` and `Iraq` are different names.
 */
export function sameNameWord(a: string, b: string): boolean {
  const x = unpossess(fold(a)).replace(/\./gu, '');
  const y = unpossess(fold(b)).replace(/\./gu, '');
  if (x === y) return true;
  if (x.length < 3 || y.length < 3) return false;
  for (const [country, adjective] of IRREGULAR_DEMONYMS) {
    if ((x === country || x === `${adjective}s`) && (y === adjective || y === `${adjective}s`)) return true;
    if ((y === country || y === `${adjective}s`) && (x === adjective || x === `${adjective}s`)) return true;
  }
  return demonymOf(x, y) || demonymOf(y, x);
}

function demonymOf(place: string, adjective: string): boolean {
  const bases = [place, place.replace(/[aeiouy]$/u, '')];
  const suffixes = ['n', 'an', 'ian', 'ese', 'i', 'ish', 'ns', 'ans', 'ians', 'is'];
  return bases.some((base) => base.length >= 3 && suffixes.some((s) => adjective === base + s));
}

const OPENING_PUNCT = lazyPattern(() => /^[\s\p{Ps}\p{Pi}"'«‘“–—-]*$/u);

export interface NameMention {
  /** The name as written in the claim. */
  readonly text: string;
  /** Its words (folded), titles included. */
  readonly words: readonly string[];
}

/**
 * Names in `text`: runs of capitalized words (with connectors such as `of`), acronyms (`NATO`,
 * `U.S.`), and Katakana runs (foreign names in Japanese). A lone capitalized word at the start of a
 * sentence counts only when `properNouns` (words seen capitalized mid-sentence in the article or
 * quotes) says it is a name, since a capital there may just be the sentence's first letter.
 * Scripts without case (Chinese, Arabic, Hebrew, Thai…) have no reliable name signal and yield none.
 */
export function findNames(
  text: string,
  properNouns: ReadonlySet<string> = new Set(),
  locale?: string | null,
): NameMention[] {
  const out: NameMention[] = [];
  for (const sentence of splitSentences(text, locale)) {
    const toks = tokens(sentence.text, locale);
    let run: Token[] = [];
    const flush = () => {
      while (run.length > 0 && NAME_CONNECTORS.has(run.at(-1)?.word ?? '')) run.pop();
      if (run.length > 0) {
        const first = run[0] as Token;
        const initial = OPENING_PUNCT().test(sentence.text.slice(0, first.start));
        let words = run;
        if (initial && (STOPWORDS.has(first.word) || !properNouns.has(unpossess(first.word)))) {
          if (run.length === 1 || STOPWORDS.has(first.word)) words = run.slice(1);
        }
        const meaningful = words.filter((t) => !NAME_CONNECTORS.has(t.word) && !isCalendarWord(t.word));
        if (meaningful.length > 0 && !meaningful.every((t) => TITLES.has(t.word) || STOPWORDS.has(t.word))) {
          const s = (words[0] as Token).start;
          const e = (words.at(-1) as Token).end;
          out.push({ text: sentence.text.slice(s, e), words: meaningful.map((t) => unpossess(t.word)) });
        }
      }
      run = [];
    };
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      const gap = i > 0 ? sentence.text.slice((toks[i - 1] as Token).end, t.start) : '';
      const joined = run.length === 0 || /^[\s-]*$/u.test(gap) || /^\.\s*$/u.test(gap);
      if (/^\p{Script=Katakana}[\p{Script=Katakana}ー・]+$/u.test(t.raw)) {
        flush();
        out.push({ text: t.raw, words: [t.word] });
        continue;
      }
      if (hasCase(t.raw) && isCapitalized(t.raw) && !/^\p{N}/u.test(t.raw)) {
        if (!joined) flush();
        run.push(t);
      } else if (run.length > 0 && joined && NAME_CONNECTORS.has(t.word)) {
        run.push(t);
      } else {
        flush();
      }
    }
    flush();
  }
  return out;
}

/** Words written capitalized somewhere other than the start of a sentence: the text's proper nouns. */
export function properNounsOf(text: string, locale?: string | null): Set<string> {
  const out = new Set<string>();
  for (const sentence of splitSentences(text, locale)) {
    const toks = tokens(sentence.text, locale);
    for (const t of toks.slice(1)) if (isCapitalized(t.raw) && hasCase(t.raw)) out.add(unpossess(t.word));
  }
  return out;
}

export function nameInQuotes(
  name: NameMention,
  quoteWords: readonly string[],
  articleText: string | undefined,
  quoteText?: string,
): boolean {
  const has = (w: string) => quoteWords.some((q) => sameNameWord(w, q));
  const core = name.words.filter((w) => !TITLES.has(w) && !STOPWORDS.has(w));
  const needed = core.length > 0 ? core : name.words;
  if (needed.every(has)) return true;
  if (quoteText !== undefined && countryOfCityIn(needed.join(' '), quoteText)) return true;
  // A fuller form of a name the quotes give in part (`Sergei Lavrov` over "Lavrov said"): fine when
  // the article spells the full name and the quotes carry its last word (the surname, usually).
  if (articleText === undefined || name.words.length < 2) return false;
  const last = needed.at(-1);
  return (
    last !== undefined && has(last) && fold(articleText).includes(fold(name.text).replace(/[’‘]/gu, "'"))
  );
}
