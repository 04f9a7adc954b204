import { isLetter, isNumber } from '../text/index.js';
import type { Quote } from './quote.js';

/** Marks after which a new sentence starts. */
const SENTENCE_END = new Set([...'.!?…。！？']);
/** A letter or digit (`[\p{L}\p{N}]`) at `i`, one UTF-16 unit: the source's own words. */
function isWordyAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isLetter(c) || isNumber(c);
}
/** How far (UTF-16 units) to look past a quote's edge for the rest of its sentence. */
const MAX_LOOK = 2000;

/** Where the article's sentence goes on beyond a quote: the quote is part of a longer sentence. */
export interface Continuation {
  readonly before: boolean;
  readonly after: boolean;
}

/**
 * Whether the sentence a quote sits in goes on before and after it: words of the same sentence
 * (no sentence end, no line break in between) on that side. Renderers show `…` on such a side,
 * so that a quote cut to MAX_QUOTE_CHARS, or a clause quoted from a longer sentence, is not taken
 * for the whole; the `…` is never part of the quote's text or offsets. A sentence end is one of
 * `.!?…` or their CJK forms (so a quote right after "Mr." gets no mark), or a line break. `text`
 * is the article text the quote was located in; at most MAX_LOOK units are read on each side.
 */
export function quoteContinuation(text: string, quote: Quote): Continuation {
  return { before: continuesBefore(text, quote), after: continuesAfter(text, quote) };
}

/** The quote text with `…` where its sentence continues. */
export function withContinuation(text: string, quote: Quote, shown: string = quote.text): string {
  const { before, after } = quoteContinuation(text, quote);
  return `${before ? '…' : ''}${shown}${after ? '…' : ''}`;
}

/**
 * Whether a claim's text is its quote (whitespace aside), or the quote with the `…` that marks
 * where its sentence was cut (the offline engine's claims): such a claim is drawn as the quote.
 */
export function claimIsQuote(claimText: string, quote: Quote): boolean {
  const quoted = squash(quote.text);
  return squash(claimText) === quoted || squash(claimText.replace(/^…|…$/gu, '')) === quoted;
}

const squash = (s: string): string => s.replace(/\s+/gu, ' ').trim();

function continuesBefore(text: string, quote: Quote): boolean {
  const stop = Math.max(0, quote.start - MAX_LOOK);
  for (let i = quote.start - 1; i >= stop; i--) {
    const ch = text.charAt(i);
    if (ch === '\n' || SENTENCE_END.has(ch)) return false;
    if (isWordyAt(text, i)) return true;
  }
  return false;
}

function continuesAfter(text: string, quote: Quote): boolean {
  if (endsSentence(quote.text)) return false;
  const stop = Math.min(text.length, quote.end + MAX_LOOK);
  for (let i = quote.end; i < stop; i++) {
    const ch = text.charAt(i);
    if (ch === '\n' || SENTENCE_END.has(ch)) return false;
    if (isWordyAt(text, i)) return true;
  }
  return false;
}

/** The quote ends its sentence: a sentence end, possibly followed by closing marks. */
function endsSentence(quoted: string): boolean {
  for (let i = quoted.length - 1; i >= 0; i--) {
    const ch = quoted.charAt(i);
    if (SENTENCE_END.has(ch)) return true;
    if (isWordyAt(quoted, i)) return false;
  }
  return false;
}
