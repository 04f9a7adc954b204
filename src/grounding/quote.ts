/**
 * A verbatim quote located in an article. Invariant: `article.text.slice(start, end) === text`,
 * offsets in UTF-16 code units, end exclusive, at most MAX_QUOTE_CHARS long.
 *
 * The brand makes this type impossible to build outside `src/grounding/`: a `Quote` only exists
 * because the grounding code found it in the article text.
 */
declare const located: unique symbol;

export interface Quote {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly [located]: true;
}

/** Longest quote we show; a longer sentence is quoted in part (still the source's own characters). */
export const MAX_QUOTE_CHARS = 400;

/** Internal to grounding: stamps a checked span as a Quote. */
export function unsafeMakeQuote(text: string, start: number, end: number): Quote {
  return Object.freeze({ text, start, end }) as Quote;
}
