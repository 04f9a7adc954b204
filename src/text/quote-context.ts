import { splitParagraphs } from './paragraphs.js';

/**
 * Where a span of text sits among its paragraphs: the paragraph before (null at the start), the
 * paragraph(s) holding the span with the span's offsets inside that text, and the paragraph after
 * (null at the end). Offsets are UTF-16 code units; `span` must lie within `text`.
 */
export interface SpanSurroundings {
  readonly before: string | null;
  readonly paragraph: string;
  /** The span within `paragraph`: `paragraph.slice(spanStart, spanEnd)` is the span's text. */
  readonly spanStart: number;
  readonly spanEnd: number;
  readonly after: string | null;
}

/**
 * The paragraphs around `text.slice(start, end)`. A span across a paragraph break keeps every
 * paragraph it touches as one "paragraph", so the span is never cut. Null when the offsets are not
 * a non-empty span within the text (a stale or forged offset).
 */
export function spanSurroundings(text: string, start: number, end: number): SpanSurroundings | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
    return null;
  }
  const paragraphs = splitParagraphs(text);
  const first = paragraphs.findIndex((p) => p.end > start);
  if (first === -1) return null;
  let last = first;
  while (last + 1 < paragraphs.length && (paragraphs[last + 1]?.start ?? Number.POSITIVE_INFINITY) < end)
    last++;
  const from = Math.min(paragraphs[first]?.start ?? start, start);
  const to = Math.max(paragraphs[last]?.end ?? end, end);
  return {
    before: paragraphs[first - 1]?.text ?? null,
    paragraph: text.slice(from, to),
    spanStart: start - from,
    spanEnd: end - from,
    after: paragraphs[last + 1]?.text ?? null,
  };
}
