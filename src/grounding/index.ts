// Public API of grounding: locating proposed quotes in an article and stamping spans as Quotes.
// A Quote is only ever made in this folder; `unsafeMakeQuote` is deliberately not exported here.
export type { Continuation } from './continuation.js';
export { claimIsQuote, quoteContinuation, withContinuation } from './continuation.js';
export type { Located, LocateMethod } from './locate.js';
export { locateQuote, MAX_FRAGMENT_GAP, MAX_FRAGMENTS, MAX_PROPOSAL_CHARS } from './locate.js';
export type { Quote } from './quote.js';
export { MAX_QUOTE_CHARS } from './quote.js';
export type { SourceIndex } from './source-index.js';
export { buildSourceIndex } from './source-index.js';
export { quoteSpan, revalidateQuote } from './span.js';
