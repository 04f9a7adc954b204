/**
 * A span of an article's text. Invariant: `text === source.slice(start, end)`; offsets are UTF-16
 * code units, end exclusive.
 */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const LEADING_SPACE = /^\s+/u;
const TRAILING_SPACE = /\s+$/u;

/**
 * The segment `source[start, end)` with surrounding whitespace trimmed off, or null when nothing but
 * whitespace is left.
 */
export function trimmedSegment(source: string, start: number, end: number): Segment | null {
  const raw = source.slice(start, end);
  const lead = LEADING_SPACE.exec(raw)?.[0].length ?? 0;
  if (lead === raw.length) return null;
  const trail = TRAILING_SPACE.exec(raw)?.[0].length ?? 0;
  const s = start + lead;
  const e = end - trail;
  return { start: s, end: e, text: source.slice(s, e) };
}
