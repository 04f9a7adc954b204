import { type Segment, trimmedSegment } from './segment.js';

/** A blank line (possibly holding spaces) separates paragraphs; normalized text uses exactly `\n\n`. */
const PARAGRAPH_BREAK = /\n[^\S\n]*\n\s*/gu;

/**
 * Paragraphs of `text`, in order, trimmed, never empty. Offsets index `text` (UTF-16 code units).
 * Every non-whitespace character of `text` lies in exactly one paragraph.
 */
export function splitParagraphs(text: string): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  for (const m of text.matchAll(PARAGRAPH_BREAK)) {
    const seg = trimmedSegment(text, from, m.index);
    if (seg) out.push(seg);
    from = m.index + m[0].length;
  }
  const last = trimmedSegment(text, from, text.length);
  if (last) out.push(last);
  return out;
}
