import { findDates } from './dates.js';
import { findNames, nameInQuotes, properNounsOf } from './names.js';
import { findNumbers, sameNumber } from './numbers.js';
import { isCapitalized, isNegation, type Token, tokens, unpossess } from './words.js';

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
