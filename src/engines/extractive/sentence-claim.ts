import { MAX_QUOTE_CHARS, quoteSpan } from '../../grounding/index.js';
import { hasLetterOrNumber, type Segment } from '../../text/index.js';
import type { Claim } from '../engine.js';

/** Where a long sentence may be cut so that the part quoted still reads as a clause. */
const CLAUSE_END = /[,;:–—)]\s/gu;

/**
 * A claim made of one sentence of `text`, quoted verbatim. A sentence longer than MAX_QUOTE_CHARS is
 * quoted in part, cut between words: the part holding the most `focus` offsets (absolute offsets in
 * `text`, e.g. where a question's words occur), else its opening clauses; the claim's text then marks
 * the cut with `…`. Null only if grounding refuses the span.
 */
export function sentenceClaim(text: string, seg: Segment, focus: readonly number[] = []): Claim | null {
  const [start, end] = seg.end - seg.start <= MAX_QUOTE_CHARS ? [seg.start, seg.end] : clip(seg, focus);
  const quote = quoteSpan(text, start, end);
  if (!quote) return null;
  // Grounding may trim a stray mark off a span; only words left out make the quote a part.
  const cutBefore = hasLetterOrNumber(text.slice(seg.start, quote.start));
  const cutAfter = hasLetterOrNumber(text.slice(quote.end, seg.end));
  const claimText = `${cutBefore ? '…' : ''}${quote.text}${cutAfter ? '…' : ''}`;
  return { text: claimText, quotes: [quote] };
}

/** The best window of at most MAX_QUOTE_CHARS inside `seg`, as absolute [start, end). */
function clip(seg: Segment, focus: readonly number[]): [number, number] {
  const wordStarts = [0, ...Array.from(seg.text.matchAll(/\s+/gu), (m) => m.index + m[0].length)];
  const inside = focus.map((f) => f - seg.start).filter((f) => f >= 0 && f < seg.text.length);
  let bestStart = 0;
  if (inside.length > 0) {
    let bestHits = -1;
    for (const ws of wordStarts) {
      const hits = inside.filter((f) => f >= ws && f < ws + MAX_QUOTE_CHARS).length;
      if (hits > bestHits) {
        bestHits = hits;
        bestStart = ws;
      }
      if (ws + MAX_QUOTE_CHARS >= seg.text.length) break;
    }
  }
  const limit = Math.min(seg.text.length, bestStart + MAX_QUOTE_CHARS);
  if (limit === seg.text.length) return [seg.start + bestStart, seg.end];
  const window = seg.text.slice(bestStart, limit);
  let cut = -1;
  for (const m of window.matchAll(CLAUSE_END)) {
    const at = m.index + (m[0].startsWith(')') ? 1 : 0);
    if (at >= MAX_QUOTE_CHARS / 2) cut = at;
  }
  if (cut < 0) cut = window.lastIndexOf(' ');
  if (cut <= 0) cut = window.length;
  return [seg.start + bestStart, seg.start + bestStart + cut];
}
