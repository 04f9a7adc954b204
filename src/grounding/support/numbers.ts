import { type Token, tokens } from './words.js';

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

export function sameNumber(a: NumberMention, b: NumberMention): boolean {
  if (a.kind === 'magnitude' || b.kind === 'magnitude') return a.kind === b.kind && a.word === b.word;
  if (a.value === null || b.value === null) return false;
  if (Math.abs(a.value - b.value) > 1e-9 * Math.max(1, Math.abs(a.value))) return false;
  if ((a.unit === '%') !== (b.unit === '%')) return false;
  if (a.unit !== null && b.unit !== null && a.unit !== b.unit) return false;
  return !(a.currency !== null && b.currency !== null && a.currency !== b.currency);
}

/** True for a term that is a number (`3`, `two`, `third`, `hundreds`): left out when choosing sentences. */
export function isNumberWord(w: string): boolean {
  return (
    /^\p{N}/u.test(w) || SMALL_NUMBERS[w] !== undefined || ORDINALS[w] !== undefined || MAGNITUDES.has(w)
  );
}
