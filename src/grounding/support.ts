import type { Article } from '../article/article.js';
import { splitParagraphs, splitSentences } from '../text/index.js';
import type { Quote } from './quote.js';
import { quoteSpan } from './span.js';
import { findContradictions } from './support/contradictions.js';
import { countryOfCityIn } from './support/places.js';
import {
  fold,
  isNegation,
  NEGATIONS,
  STOPWORDS,
  stem,
  type Token,
  tokens,
  unpossess,
} from './support/words.js';

export { stem } from './support/words.js';

/**
 * Does a claim say only what its quotes say? A quote that exists can still back a false claim (a
 * machine translation turns the researcher Teppo Turki into "Turkey"; a model writes "Turkey
 * says…" over a real quote). This module checks what can be checked without a model: every name,
 * number and date in the claim must appear in its quotes, and (for `checkClaims`) the claim must not
 * negate, invert or add to what its best sentences say.
 */

export interface SupportVerdict {
  readonly supported: boolean;
  /** Why not, one short phrase each (`name "Turkey" not in quotes`); empty when supported. */
  readonly reasons: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Names

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

const OPENING_PUNCT = /^[\s\p{Ps}\p{Pi}"'«‘“–—-]*$/u;

function isCapitalized(raw: string): boolean {
  return /^[\p{Lu}\p{Lt}]/u.test(raw);
}

/** Scripts with letter case, where capitals mark names. */
function hasCase(raw: string): boolean {
  return /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}\p{Script=Georgian}]/u.test(
    raw,
  );
}

interface NameMention {
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
        const initial = OPENING_PUNCT.test(sentence.text.slice(0, first.start));
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

function nameInQuotes(
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

// ---------------------------------------------------------------------------------------------
// Numbers

const SMALL_NUMBERS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  dozen: 12,
};
const SCALES: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
  k: 1e3,
  m: 1e6,
  mn: 1e6,
  bn: 1e9,
  b: 1e9,
  tn: 1e12,
};
const ORDINALS: Readonly<Record<string, number>> = {
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
/** Vague quantities: the word itself must be matched (`hundreds` is not `thousands`). */
const MAGNITUDES = new Set(['dozens', 'hundreds', 'thousands', 'millions', 'billions', 'trillions', 'tens']);
const CURRENCY_SIGNS: Readonly<Record<string, string>> = {
  $: 'usd',
  '€': 'eur',
  '£': 'gbp',
  '¥': 'jpy',
  '₽': 'rub',
  '₹': 'inr',
};
const CURRENCY_WORDS: Readonly<Record<string, string>> = {
  dollar: 'usd',
  dollars: 'usd',
  usd: 'usd',
  euro: 'eur',
  euros: 'eur',
  eur: 'eur',
  pound: 'gbp',
  pounds: 'gbp',
  gbp: 'gbp',
  yen: 'jpy',
  yuan: 'cny',
  renminbi: 'cny',
  rouble: 'rub',
  roubles: 'rub',
  ruble: 'rub',
  rubles: 'rub',
  rupee: 'inr',
  rupees: 'inr',
};
const UNIT_WORDS: Readonly<Record<string, string>> = {
  km: 'km',
  kilometre: 'km',
  kilometres: 'km',
  kilometer: 'km',
  kilometers: 'km',
  mile: 'mi',
  miles: 'mi',
  m: 'm',
  metre: 'm',
  metres: 'm',
  meter: 'm',
  meters: 'm',
  kg: 'kg',
  kilogram: 'kg',
  kilograms: 'kg',
  kilo: 'kg',
  kilos: 'kg',
  tonne: 't',
  tonnes: 't',
  ton: 't',
  tons: 't',
  percent: '%',
  'per cent': '%',
  pct: '%',
  '%': '%',
  degree: 'deg',
  degrees: 'deg',
  hour: 'h',
  hours: 'h',
  minute: 'min',
  minutes: 'min',
  day: 'd',
  days: 'd',
  week: 'wk',
  weeks: 'wk',
  month: 'mo',
  months: 'mo',
  year: 'y',
  years: 'y',
  people: 'people',
  person: 'people',
};

/** A quantity mentioned in text: a value (or a vague magnitude word) and what it counts, if said. */
export interface NumberMention {
  readonly text: string;
  /** Exact value, or null for a vague magnitude (`hundreds`). */
  readonly value: number | null;
  /** The magnitude word for vague quantities, the ordinal flag for `third`, else null. */
  readonly kind: 'cardinal' | 'ordinal' | 'magnitude';
  readonly word: string | null;
  readonly unit: string | null;
  readonly currency: string | null;
}

const DIGITS =
  /(?:([$€£¥₽₹])\s?)?(?<![\p{L}\p{N}.,-])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?!\.\d)(?:\s?(st|nd|rd|th)\b)?(?:\s?(%|per ?cent\b|percent\b))?/gu;

/**
 * Every quantity in `text`: digits (`1,000`, `3.5`, `$5bn`, `20%`, `21st`), written numbers (`two`,
 * `twenty-five`, `three hundred`, `a dozen`), ordinals (`third`), vague magnitudes (`hundreds of`),
 * with a scale (`5 million`), currency (`$`, `euros`) and unit (`km`, `percent`) when one is next to it.
 * Numbers glued to letters (`COVID-19`, `G7`, `F-16`) are names, not quantities.
 */
export function findNumbers(text: string): NumberMention[] {
  const t = text.normalize('NFKC');
  const out: (NumberMention & { at: number })[] = [];
  for (const m of t.matchAll(DIGITS)) {
    if (!m[1] && /\p{L}-?$/u.test(t.slice(Math.max(0, m.index - 2), m.index))) continue;
    let value = Number(`${(m[2] as string).replace(/,/gu, '')}${m[3] ? `.${m[3]}` : ''}`);
    const after = t.slice(m.index + m[0].length);
    const scale = /^[\s-]?(hundred|thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b/iu.exec(after);
    let consumed = 0;
    if (scale && !m[5]) {
      const s = (scale[1] as string).toLowerCase();
      const isUnitM = s === 'm' && /^\s/u.test(after);
      if (!isUnitM) {
        value *= SCALES[s] ?? 1;
        consumed = scale[0].length;
      }
    }
    const rest = after.slice(consumed);
    out.push({
      at: m.index,
      text: m[0].trim(),
      value,
      kind: m[4] ? 'ordinal' : 'cardinal',
      word: null,
      unit: m[5] ? '%' : unitAfter(rest),
      currency: m[1] ? (CURRENCY_SIGNS[m[1]] ?? null) : currencyAfter(rest),
    });
  }
  const words = tokens(t);
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as Token).word;
    if (MAGNITUDES.has(w)) {
      out.push({
        at: (words[i] as Token).start,
        text: (words[i] as Token).raw,
        value: null,
        kind: 'magnitude',
        word: w,
        unit: null,
        currency: null,
      });
      continue;
    }
    if (ORDINALS[w] !== undefined) {
      out.push({
        at: (words[i] as Token).start,
        text: (words[i] as Token).raw,
        value: ORDINALS[w],
        kind: 'ordinal',
        word: null,
        unit: null,
        currency: null,
      });
      continue;
    }
    const parts = w.split('-');
    if (!parts.every((p) => SMALL_NUMBERS[p] !== undefined)) continue;
    if (
      w === 'one' &&
      !/^\s+(?:hundred|thousand|million|billion|trillion|percent|per cent|of\s+the\s+\w+est)\b/iu.test(
        t.slice((words[i] as Token).end),
      )
    )
      continue;
    let value = parts.reduce((sum, p) => sum + (SMALL_NUMBERS[p] ?? 0), 0);
    let j = i + 1;
    let total = 0;
    for (; j < words.length; j++) {
      const next = (words[j] as Token).word;
      const gap = t.slice((words[j - 1] as Token).end, (words[j] as Token).start);
      if (!/^[\s-]+$/u.test(gap) && !/^\s+and\s+$/u.test(gap)) break;
      if (SCALES[next] !== undefined && next.length > 2) {
        value *= SCALES[next] as number;
        if (next !== 'hundred') {
          total += value;
          value = 0;
        }
      } else if (SMALL_NUMBERS[next] !== undefined && next !== 'dozen') {
        value += SMALL_NUMBERS[next] as number;
      } else if (next === 'and') {
      } else break;
    }
    const endTok = words[j - 1] as Token;
    const rest = t.slice(endTok.end);
    out.push({
      at: (words[i] as Token).start,
      text: t.slice((words[i] as Token).start, endTok.end),
      value: total + value,
      kind: 'cardinal',
      word: null,
      unit: unitAfter(rest),
      currency: currencyAfter(rest),
    });
    i = j - 1;
  }
  return out.sort((a, b) => a.at - b.at).map(({ at: _, ...n }) => n);
}

function unitAfter(rest: string): string | null {
  const m = /^\s?(?:of\s+)?(per cent|%|[\p{L}]+)/iu.exec(rest);
  if (!m) return null;
  return UNIT_WORDS[(m[1] as string).toLowerCase()] ?? null;
}

function currencyAfter(rest: string): string | null {
  const m = /^\s?(?:(?:hundred|thousand|million|billion|trillion)\s+)?([\p{L}]+)/iu.exec(rest);
  return m ? (CURRENCY_WORDS[(m[1] as string).toLowerCase()] ?? null) : null;
}

function sameNumber(a: NumberMention, b: NumberMention): boolean {
  if (a.kind === 'magnitude' || b.kind === 'magnitude') return a.kind === b.kind && a.word === b.word;
  if (a.value === null || b.value === null) return false;
  if (Math.abs(a.value - b.value) > 1e-9 * Math.max(1, Math.abs(a.value))) return false;
  if ((a.unit === '%') !== (b.unit === '%')) return false;
  if (a.unit !== null && b.unit !== null && a.unit !== b.unit) return false;
  return !(a.currency !== null && b.currency !== null && a.currency !== b.currency);
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: ReadonlyArray<readonly string[]> = [
  ['january', 'jan', 'январь', 'января', 'janvier', 'januar', 'enero'],
  ['february', 'feb', 'февраль', 'февраля', 'fevrier', 'februar', 'febrero'],
  ['march', 'mar', 'март', 'марта', 'mars', 'marz', 'marzo'],
  ['april', 'apr', 'апрель', 'апреля', 'avril', 'abril'],
  ['may', 'май', 'мая', 'mai', 'mayo'],
  ['june', 'jun', 'июнь', 'июня', 'juin', 'juni', 'junio'],
  ['july', 'jul', 'июль', 'июля', 'juillet', 'juli', 'julio'],
  ['august', 'aug', 'август', 'августа', 'aout', 'agosto'],
  ['september', 'sep', 'sept', 'сентябрь', 'сентября', 'septembre', 'septiembre'],
  ['october', 'oct', 'октябрь', 'октября', 'octobre', 'oktober', 'octubre'],
  ['november', 'nov', 'ноябрь', 'ноября', 'novembre', 'noviembre'],
  ['december', 'dec', 'декабрь', 'декабря', 'decembre', 'dezember', 'diciembre'],
];
const WEEKDAYS: ReadonlyArray<readonly string[]> = [
  ['monday', 'mon'],
  ['tuesday', 'tue', 'tues'],
  ['wednesday', 'wed'],
  ['thursday', 'thu', 'thurs'],
  ['friday', 'fri'],
  ['saturday', 'sat'],
  ['sunday', 'sun'],
];
const MONTH_OF = new Map(MONTHS.flatMap((names, i) => names.map((n) => [n, i + 1] as const)));
const WEEKDAY_OF = new Map(WEEKDAYS.flatMap((names, i) => names.map((n) => [n, i + 1] as const)));

/** Month and weekday names are checked as dates, not as names. */
function isCalendarWord(word: string): boolean {
  const w = word.replace(/\.$/u, '');
  return MONTH_OF.has(w) || WEEKDAY_OF.has(w);
}

/** A date part named in text: a month (`March`, `Mar.`, `2022-03-01`) or a weekday (`Monday`). */
export interface DateMention {
  readonly text: string;
  readonly key: string;
}

/**
 * Month and weekday names (English, plus month names in Russian, French, German and Spanish) and
 * the month of ISO dates. Years and days of the month are numbers (see findNumbers). Short forms
 * that are also words (`may`, `mar`, `sat`, `sun`, `wed`) count only capitalized, in a date-like spot.
 */
export function findDates(text: string): DateMention[] {
  const out: DateMention[] = [];
  for (const t of tokens(text)) {
    const w = t.word.replace(/\.$/u, '');
    const month = MONTH_OF.get(w);
    const weekday = WEEKDAY_OF.get(w);
    if (month === undefined && weekday === undefined) continue;
    const ambiguous = w.length <= 4 && !['june', 'july'].includes(w);
    if (ambiguous) {
      if (!isCapitalized(t.raw)) continue;
      const around = `${text.slice(Math.max(0, t.start - 6), t.start)} ${text.slice(t.end, t.end + 6)}`;
      if (!/\d/u.test(around) && w !== 'may') continue;
      if (
        w === 'may' &&
        !/^\s*\d/u.test(text.slice(t.end)) &&
        !/\d\s*$/u.test(text.slice(Math.max(0, t.start - 4), t.start))
      )
        continue;
    }
    out.push({ text: t.raw, key: month !== undefined ? `month:${month}` : `weekday:${weekday}` });
  }
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/gu)) {
    out.push({ text: m[0], key: `month:${Number(m[2])}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check

export interface SupportOptions {
  /** The article's proper nouns (`properNounsOf(articleText)`), when already computed. */
  readonly properNouns?: ReadonlySet<string>;
  /**
   * False to skip names: when the claim is written in another language than its quotes (names are
   * spelled differently across languages and scripts), or in a language that capitalizes every
   * noun (German). See `namesComparable`.
   */
  readonly checkNames?: boolean;
}

/**
 * Whether names in claims written in `claimLang` can be compared with quotes in `articleLang`
 * (BCP 47 tags; null = unknown, taken to be the same): only within one language, and not in
 * languages that capitalize every noun.
 */
export function namesComparable(claimLang: string | null, articleLang: string | null): boolean {
  const primary = (tag: string | null) => tag?.toLowerCase().split(/[-_]/u)[0] ?? null;
  const a = primary(claimLang);
  const b = primary(articleLang);
  if ((a ?? b) === 'de' || (a ?? b) === 'lb') return false;
  return a === null || b === null || a === b;
}

/**
 * Checks that every name, number and date the claim mentions also appears in its quotes (compared
 * after normalizing: `1,000` = `1000` = `one thousand`; `Feb.` = `February`; `Chinese` = `China`),
 * and that a claim with a negation (`not`, `never`, `no`) is quoting one. Unsupported claims get one
 * reason per problem, e.g. `name "Turkey" not in quotes`, `number "60" not in quotes`.
 *
 * `articleText`, when given, only widens what counts as a name: it tells proper nouns from words
 * capitalized by position and lets a claim use the full form of a name the quotes give in part.
 * It never lets a fact the quotes lack through.
 */
export function checkSupport(
  claim: string,
  quotes: readonly string[],
  articleText?: string,
  options: SupportOptions = {},
): SupportVerdict {
  const reasons: string[] = [];
  const joined = quotes.join('\n');
  if (quotes.length === 0 || joined.trim() === '') return { supported: false, reasons: ['no quotes'] };
  const quoteWords = tokens(joined).map((t) => unpossess(t.word));
  const proper = new Set(options.properNouns ?? properNounsOf(articleText ?? joined));
  for (const t of tokens(joined)) if (isCapitalized(t.raw)) proper.add(unpossess(t.word));

  const seen = new Set<string>();
  const names = options.checkNames === false ? [] : findNames(claim, proper);
  for (const name of names) {
    if (seen.has(name.text) || nameInQuotes(name, quoteWords, articleText, joined)) continue;
    seen.add(name.text);
    reasons.push(`name "${name.text}" not in quotes`);
  }

  const quoteNumbers = findNumbers(joined);
  for (const n of findNumbers(claim)) {
    if (seen.has(n.text) || quoteNumbers.some((q) => sameNumber(n, q))) continue;
    seen.add(n.text);
    reasons.push(`number "${n.text}" not in quotes`);
  }

  const quoteDates = new Set(findDates(joined).map((d) => d.key));
  for (const d of findDates(claim)) {
    if (seen.has(d.text) || quoteDates.has(d.key)) continue;
    seen.add(d.text);
    reasons.push(`date "${d.text}" not in quotes`);
  }

  const claimNegations = tokens(claim).filter((t) => isNegation(t.word));
  if (claimNegations.length > 0 && !quoteWords.some(isNegation)) {
    reasons.push(`negation "${(claimNegations[0] as Token).raw}" not in quotes`);
  }
  return { supported: reasons.length === 0, reasons };
}

// ---------------------------------------------------------------------------------------------
// Retrieval

/** A passage's rank for a query: its index in the input and its BM25 score (higher is closer). */
export interface RankedPassage {
  readonly index: number;
  readonly score: number;
}

/** Content-word stems of a text: what retrieval and coverage compare. */
export function contentStems(text: string, locale?: string | null): string[] {
  return tokens(text, locale)
    .map((t) => unpossess(t.word))
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /[^\p{Script=Latin}\p{N}]/u.test(w)))
    .map(stem);
}

/**
 * Ranks passages by similarity to a query with BM25 (k1 1.2, b 0.75) over content-word stems, so
 * shared rare words count more than shared common ones. Passages with no shared word are left out.
 * Used to find the sentences that best support a claim, the passages shown in a repair request, and
 * the chunks of a long article that answer a question.
 */
export function rankPassages(
  query: string,
  passages: readonly string[],
  locale?: string | null,
): RankedPassage[] {
  const docs = passages.map((p) => contentStems(p, locale));
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
  const avg = docs.reduce((n, d) => n + d.length, 0) / Math.max(1, docs.length);
  const q = [...new Set(contentStems(query, locale))];
  const ranked: RankedPassage[] = [];
  docs.forEach((d, index) => {
    const tf = new Map<string, number>();
    for (const w of d) tf.set(w, (tf.get(w) ?? 0) + 1);
    let score = 0;
    for (const w of q) {
      const f = tf.get(w);
      if (!f) continue;
      const n = df.get(w) ?? 0;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.length) / Math.max(1, avg)));
    }
    if (score > 0) ranked.push({ index, score });
  });
  return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
}

// ---------------------------------------------------------------------------------------------
// Offline claim checking

/** One claim's verdict from `checkClaims`, with the sentences it was checked against. */
export interface ClaimCheck {
  readonly claim: string;
  readonly supported: boolean;
  readonly reasons: readonly string[];
  /** The article sentences that best support the claim (quoted), best first. */
  readonly quotes: readonly Quote[];
}

export interface CheckClaimsOptions {
  /** Sentences quoted per claim (default DEFAULT_MAX_QUOTES). */
  readonly maxQuotes?: number;
  /**
   * How many of the claim's content words may be words the article never uses before the claim
   * counts as adding something (default CONTENT_WORD_TOLERANCE). Paraphrase adds new words too, so
   * this is a calibrated threshold, not zero.
   */
  readonly unseenWordTolerance?: number;
}

/**
 * Calibrated by `scripts/eval-support.ts` on half of the articles of a labelled news corpus
 * (balanced accuracy), then reported on the other half.
 */
export const DEFAULT_MAX_QUOTES = 2;
export const CONTENT_WORD_TOLERANCE = 4;

/** Features of one claim against its best sentences, exposed for calibration. */
export interface ClaimEvidence {
  readonly quotes: readonly Quote[];
  readonly support: SupportVerdict;
  /** Claim content words absent from the quotes (after stemming), in claim order. */
  readonly missingWords: readonly string[];
  /** Of those, the ones absent from the whole article too. */
  readonly unseenWords: readonly string[];
  /** Contradictions found (negation mismatch, antonyms). */
  readonly contradictions: readonly string[];
}

/**
 * An article prepared for checking many claims: its sentences as quotable spans, their content-word
 * stems and rarity, and every stem the article uses. Build once per article with `prepareArticle`.
 */
export interface SupportIndex {
  readonly article: Article;
  readonly sentences: readonly Quote[];
  readonly sentenceStems: readonly ReadonlySet<string>[];
  readonly documentFrequency: ReadonlyMap<string, number>;
  readonly articleStems: ReadonlySet<string>;
  readonly properNouns: ReadonlySet<string>;
  readonly paragraphs: readonly { readonly start: number; readonly end: number; readonly text: string }[];
}

export function prepareArticle(article: Article): SupportIndex {
  const sentences = articleSentences(article);
  const sentenceStems = sentences.map((s) => new Set(contentStems(s.text, article.lang)));
  const documentFrequency = new Map<string, number>();
  for (const d of sentenceStems)
    for (const w of d) documentFrequency.set(w, (documentFrequency.get(w) ?? 0) + 1);
  return {
    article,
    sentences,
    sentenceStems,
    documentFrequency,
    articleStems: new Set(contentStems(article.text, article.lang)),
    properNouns: properNounsOf(article.text, article.lang),
    paragraphs: splitParagraphs(article.text),
  };
}

/**
 * Gathers what `checkClaims` decides on for one claim: the `maxQuotes` sentences that best cover
 * it; the name/number/date check against the paragraphs holding them (a summary sentence often
 * joins a fact with a name or date given a sentence earlier); the claim's content words they lack
 * (and those the whole article lacks); contradictions: the claim negates what its best sentence
 * asserts or the reverse, or uses a word whose antonym they use instead.
 */
export function gatherEvidence(
  index: SupportIndex,
  claim: string,
  maxQuotes = DEFAULT_MAX_QUOTES,
): ClaimEvidence {
  const { article } = index;
  const best = coveringSentences(index, claim, maxQuotes);
  const quotes = [...best].sort((a, b) => a.start - b.start);
  const quoteTexts = best.map((q) => q.text);
  const support =
    quotes.length === 0
      ? { supported: false, reasons: ['no sentence of the article shares a word with the claim'] }
      : checkSupport(claim, paragraphsOf(index, best), article.text, {
          properNouns: index.properNouns,
          checkNames: namesComparable(null, article.lang),
        });

  const quoteStems = new Set(contentStems(quoteTexts.join('\n'), article.lang));
  const claimStems = contentStems(claim, article.lang).filter((w) => !isNumberWord(w));
  const missing = [
    ...new Set(claimStems.filter((w) => !quoteStems.has(w) && !NEGATIONS.has(w.replace(/'/gu, '')))),
  ];
  const unseen = missing.filter((w) => !index.articleStems.has(w));

  const contradictions = findContradictions(
    claim,
    best.map((q) => q.text),
    article.lang,
  );
  return { quotes, support, missingWords: missing, unseenWords: unseen, contradictions };
}

/**
 * Up to `max` sentences that together cover the claim's content words best: greedily, each time the
 * sentence adding the most not-yet-covered words (weighted by rarity, damped for long sentences), so
 * a claim that joins facts from two sentences gets both. Returned best first. Numbers are left out
 * of the choice: a claim with a wrong number must not be matched to a sentence that happens to hold it.
 */
export function coveringSentences(index: SupportIndex, claim: string, max: number): Quote[] {
  const docs = index.sentenceStems;
  const df = index.documentFrequency;
  const idf = (w: string) => Math.log(1 + (docs.length + 1) / ((df.get(w) ?? 0) + 0.5));
  const wanted = new Set(contentStems(claim, index.article.lang).filter((w) => !isNumberWord(w)));
  const chosen: number[] = [];
  for (let round = 0; round < max; round++) {
    let best = -1;
    let bestGain = 0;
    docs.forEach((d, i) => {
      if (chosen.includes(i)) return;
      let gain = 0;
      for (const w of wanted) if (d.has(w)) gain += idf(w);
      gain /= Math.sqrt(1 + d.size / 20);
      if (gain > bestGain) {
        best = i;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    chosen.push(best);
    for (const w of docs[best] ?? []) wanted.delete(w);
  }
  return chosen.map((i) => index.sentences[i] as Quote);
}

/** The paragraphs holding the given sentences, each once, in article order. */
function paragraphsOf(index: SupportIndex, sentences: readonly Quote[]): string[] {
  return index.paragraphs
    .filter((p) => sentences.some((s) => s.start >= p.start && s.end <= p.end))
    .map((p) => p.text);
}

function isNumberWord(w: string): boolean {
  return (
    /^\p{N}/u.test(w) || SMALL_NUMBERS[w] !== undefined || ORDINALS[w] !== undefined || MAGNITUDES.has(w)
  );
}

/** Sentences of the article as quotable spans (capped at MAX_QUOTE_CHARS by quoteSpan). */
export function articleSentences(article: Article): Quote[] {
  return splitSentences(article.text, article.lang).flatMap((s) => {
    const q = quoteSpan(article.text, s.start, s.end);
    return q ? [q] : [];
  });
}

/**
 * Checks claims against an article without a model (what `verbatim check <source> <claim>…` runs):
 * for each claim, quotes the article sentences that best support it, then requires its names,
 * numbers and dates to be in their paragraphs (checkSupport), no contradiction (negation mismatch, antonyms),
 * and at most `unseenWordTolerance` content words the article never uses.
 */
export function checkClaims(
  article: Article,
  claims: readonly string[],
  options: CheckClaimsOptions = {},
): ClaimCheck[] {
  const maxQuotes = options.maxQuotes ?? DEFAULT_MAX_QUOTES;
  const tolerance = options.unseenWordTolerance ?? CONTENT_WORD_TOLERANCE;
  const index = prepareArticle(article);
  return claims.map((claim) => {
    const e = gatherEvidence(index, claim, maxQuotes);
    return { claim, ...verdictFrom(e, tolerance), quotes: e.quotes };
  });
}

/** The decision rule of `checkClaims` over gathered evidence. */
export function verdictFrom(e: ClaimEvidence, unseenWordTolerance: number): SupportVerdict {
  const reasons = [...e.support.reasons, ...e.contradictions];
  if (e.unseenWords.length > unseenWordTolerance) {
    reasons.push(`words the article never uses: ${e.unseenWords.map((w) => `"${w}"`).join(', ')}`);
  }
  return { supported: reasons.length === 0, reasons };
}
