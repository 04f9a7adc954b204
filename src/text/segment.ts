/**
 * A span of an article's text. Invariant: `text === source.slice(start, end)`; offsets are UTF-16
 * code units, end exclusive.
 */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
