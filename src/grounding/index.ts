// Public API of grounding (implemented in this folder):
//   buildSourceIndex(text: string): SourceIndex          — built once per article, reused for every quote
//   locateQuote(index: SourceIndex, proposed: string): Located   — exact, normalized, fragments, bounded fuzzy
//   quoteSpan(text: string, start: number, end: number): Quote | null — stamp a span chosen by code (trimmed, capped)
export type { Quote } from './quote.js';
export { MAX_QUOTE_CHARS } from './quote.js';
