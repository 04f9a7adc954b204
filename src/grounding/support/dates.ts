import { isCapitalized, tokens } from './words.js';

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
export function isCalendarWord(word: string): boolean {
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
