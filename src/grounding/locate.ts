import { lazyPattern } from '../text/guarded-pattern.js';
import { alignBest, editBudget, editsSpreadOut, locateFuzzy } from './fuzzy.js';
import {
  foldString,
  hasWordChar,
  isShortProposal,
  splitAtEllipses,
  stripProposalEdges,
} from './normalize.js';
import type { Quote } from './quote.js';
import { foldedOccurrences, type SourceIndex, sourceRange } from './source-index.js';
import { cutsWord, finishSpan } from './span.js';

/**
 * How a quote was found: `exact` (the proposal, or the proposal without wrapping quote marks and
 * edge ellipses, occurs as is), `normalized` (after folding case, quote marks, apostrophes, dashes,
 * whitespace and compatibility forms), `fragments` (parts around ellipses, each located, in order,
 * near each other), `fuzzy` (within a few edits).
 */
export type LocateMethod = 'exact' | 'normalized' | 'fragments' | 'fuzzy';

/**
 * The outcome of locating a proposed quote. `quotes` holds one Quote, or one per fragment (in text
 * order) for `fragments`. Reasons: `empty` (nothing but whitespace), `too_short` (no letters or
 * digits, or a short proposal that is not a unique exact/folded match), `not_found`.
 */
export type Located =
  | { readonly found: true; readonly quotes: readonly Quote[]; readonly method: LocateMethod }
  | { readonly found: false; readonly reason: 'empty' | 'too_short' | 'not_found' };

/** Largest gap between consecutive fragments of an ellipsis quote, in folded characters (≈ a few paragraphs). */
export const MAX_FRAGMENT_GAP = 1500;
/** Longest proposal folded or fuzzily matched (UTF-16 units); a longer one is only looked up verbatim. */
export const MAX_PROPOSAL_CHARS = 20_000;
/** Most parts an ellipsis quote may have; beyond this it is not located as fragments. */
export const MAX_FRAGMENTS = 8;
/** Occurrences of the anchor fragment tried. */
const MAX_ANCHORS = 8;

const EMPTY: Located = Object.freeze({ found: false, reason: 'empty' });
const TOO_SHORT: Located = Object.freeze({ found: false, reason: 'too_short' });
const NOT_FOUND: Located = Object.freeze({ found: false, reason: 'not_found' });

function located(quotes: readonly Quote[], method: LocateMethod): Located {
  return Object.freeze({ found: true, quotes: Object.freeze([...quotes]), method });
}

/**
 * Locates a proposed quote in the indexed article and snaps it to the article's own characters.
 * Tries, in order: exact, normalized, fragments (only when the proposal has an interior ellipsis;
 * at most 8 parts), fuzzy (at most ⌊10%⌋ of the folded characters edited and 8 edits per sentence,
 * each sentence of a longer proposal also within its own budget; checked only in a few candidate
 * windows picked by the 4-gram index, so a fabricated quote is rejected without any alignment in
 * the common case). When a proposal occurs more than once, the first occurrence wins
 * (the first exact one, else the first folded one, else the best fuzzy match, earliest on ties).
 *
 * Short proposals (fewer than 12 letters/digits or 3 words, CJK characters counting double) are
 * never matched by fuzz or as fragments: they are kept only when they match exactly or after
 * folding, exactly once in the article, on word boundaries; otherwise `too_short`.
 *
 * A proposal over MAX_PROPOSAL_CHARS is only looked up verbatim.
 *
 * A found span is widened to whole words (spaced scripts), trimmed of whitespace and dangling
 * punctuation (an unclosed quote mark, a leading comma) and capped at MAX_QUOTE_CHARS.
 */
export function locateQuote(index: SourceIndex, proposed: string): Located {
  const text = index.text;
  const trimmed = proposed.trim();
  if (trimmed === '') return EMPTY;
  if (trimmed.length > MAX_PROPOSAL_CHARS) {
    const at = text.indexOf(trimmed);
    const quote = at >= 0 ? finishSpan(text, at, at + trimmed.length, true) : null;
    return quote ? located([quote], 'exact') : NOT_FOUND;
  }
  const core = stripProposalEdges(trimmed);
  const folded = foldString(core);
  if (!hasWordChar(folded)) return TOO_SHORT;
  const short = isShortProposal(folded);
  const coreHits = foldedOccurrences(index, folded, MAX_EXACT_PROBES);

  for (const candidate of core === trimmed || core === '' ? [trimmed] : [trimmed, core]) {
    const at = findExact(index, candidate, candidate === core ? coreHits : null);
    if (at < 0) continue;
    const end = at + candidate.length;
    if (short && (text.indexOf(candidate, at + 1) >= 0 || cutsWord(text, at, end))) return TOO_SHORT;
    const quote = finishSpan(text, at, end, !short);
    if (quote) return located([quote], 'exact');
  }

  const fAt = coreHits[0];
  if (fAt !== undefined) {
    const { start, end } = sourceRange(index, fAt, fAt + folded.length);
    if (short && (coreHits.length > 1 || cutsWord(text, start, end))) return TOO_SHORT;
    const quote = finishSpan(text, start, end, !short);
    if (quote) return located([quote], 'normalized');
  }
  if (short) return TOO_SHORT;

  const parts = splitAtEllipses(core);
  if (parts.length >= 2 && parts.length <= MAX_FRAGMENTS) {
    const quotes = locateFragments(index, parts);
    if (quotes) return located(quotes, 'fragments');
  }

  const budget = editBudget(folded);
  const match = locateFuzzy(index, folded, budget);
  if (match && editsSpreadOut(index, folded, match.start, match.end, budget)) {
    const { start, end } = sourceRange(index, match.start, match.end);
    const quote = finishSpan(text, start, end, true);
    if (quote) return located([quote], 'fuzzy');
  }
  return NOT_FOUND;
}

/** Folded occurrences checked for an exact (unfolded) match before settling for a folded one. */
const MAX_EXACT_PROBES = 64;
const LONE_SURROGATE = lazyPattern(() => /\p{Cs}/u);

/**
 * Source offset of the first exact occurrence of `candidate`, or -1. Every exact occurrence is
 * also a folded one, so only the first 64 folded occurrences (`foldedHits`, when already known)
 * are checked rather than the whole article; a candidate holding half a surrogate pair (which
 * folds unlike the whole character) is searched directly.
 */
function findExact(index: SourceIndex, candidate: string, foldedHits: readonly number[] | null): number {
  if (LONE_SURROGATE().test(candidate)) return index.text.indexOf(candidate);
  const hits = foldedHits ?? foldedOccurrences(index, foldString(candidate), MAX_EXACT_PROBES);
  for (const at of hits) {
    const start = index.srcStart[at] ?? 0;
    if (index.text.startsWith(candidate, start)) return start;
  }
  return -1;
}

type Range = readonly [number, number];

/**
 * Locates the parts of an ellipsis quote: an anchor part anywhere (folded, else fuzzy), then each
 * other part in order, before or after its neighbour and within MAX_FRAGMENT_GAP of it (folded,
 * else fuzzy unless short). Null unless every part with letters is found.
 */
function locateFragments(index: SourceIndex, parts: readonly string[]): Quote[] | null {
  const folded = parts.map(foldString).filter(hasWordChar);
  if (folded.length < 2) return null;
  // Anchor on the part with the fewest folded occurrences (ties: the longest), so repeated text
  // does not hide the one place where the other parts follow; else on the longest part, fuzzily.
  let anchor = -1;
  let anchorCount = 0;
  let anchorRanges: Range[] = [];
  folded.forEach((p, i) => {
    if (isShortProposal(p)) return;
    const found = foldedOccurrences(index, p, MAX_ANCHORS + 1);
    if (found.length === 0) return;
    const better =
      anchor < 0 ||
      found.length < anchorCount ||
      (found.length === anchorCount && p.length > (folded[anchor] ?? '').length);
    if (better) {
      anchor = i;
      anchorCount = found.length;
      anchorRanges = found.slice(0, MAX_ANCHORS).map((at) => [at, at + p.length]);
    }
  });
  if (anchor < 0) {
    anchor = 0;
    folded.forEach((p, i) => {
      if (p.length > (folded[anchor] ?? '').length) anchor = i;
    });
    const longest = folded[anchor] ?? '';
    if (isShortProposal(longest)) return null;
    const match = locateFuzzy(index, longest, editBudget(longest));
    anchorRanges = match ? [[match.start, match.end]] : [];
  }

  for (const anchorRange of anchorRanges) {
    const ranges = chainFragments(index, folded, anchor, anchorRange);
    if (!ranges) continue;
    // Widening to whole words must not make neighbouring fragments overlap: then keep them as cut.
    const quotes = finishFragments(index, ranges, true) ?? finishFragments(index, ranges, false);
    if (quotes) return quotes;
  }
  return null;
}

/** Quotes for folded fragment ranges, or null if one is empty or two overlap. */
function finishFragments(index: SourceIndex, ranges: readonly Range[], snapWords: boolean): Quote[] | null {
  const quotes: Quote[] = [];
  for (const [a, b] of ranges) {
    const { start, end } = sourceRange(index, a, b);
    const quote = finishSpan(index.text, start, end, snapWords);
    if (!quote || quote.start < (quotes.at(-1)?.end ?? 0)) return null;
    quotes.push(quote);
  }
  return quotes;
}

function chainFragments(
  index: SourceIndex,
  parts: readonly string[],
  anchor: number,
  at: Range,
): Range[] | null {
  const n = index.folded.length;
  const ranges: Range[] = [];
  ranges[anchor] = at;
  let prev = at;
  for (let i = anchor + 1; i < parts.length; i++) {
    const p = parts[i] ?? '';
    const hi = Math.min(n, prev[1] + MAX_FRAGMENT_GAP + p.length + editBudget(p));
    const r = findNear(index, p, prev[1], hi, false);
    if (!r) return null;
    ranges[i] = r;
    prev = r;
  }
  let next = at;
  for (let i = anchor - 1; i >= 0; i--) {
    const p = parts[i] ?? '';
    const lo = Math.max(0, next[0] - MAX_FRAGMENT_GAP - p.length - editBudget(p));
    const r = findNear(index, p, lo, next[0], true);
    if (!r) return null;
    ranges[i] = r;
    next = r;
  }
  return ranges;
}

/**
 * A folded part inside `[lo, hi)`: the nearest folded occurrence (first, or last when `fromEnd`),
 * on word boundaries if the part is short; else, for a part that is not short, the best
 * alignment within its edit budget.
 */
function findNear(index: SourceIndex, p: string, lo: number, hi: number, fromEnd: boolean): Range | null {
  const f = index.folded;
  const short = isShortProposal(p);
  const acceptable = (at: number): boolean => {
    if (!short) return true;
    const { start, end } = sourceRange(index, at, at + p.length);
    return !cutsWord(index.text, start, end);
  };
  if (hi - lo >= p.length) {
    const window = f.slice(lo, hi);
    if (fromEnd) {
      for (let at = window.lastIndexOf(p); at >= 0; at = at > 0 ? window.lastIndexOf(p, at - 1) : -1) {
        if (acceptable(lo + at)) return [lo + at, lo + at + p.length];
      }
    } else {
      for (let at = window.indexOf(p); at >= 0; at = window.indexOf(p, at + 1)) {
        if (acceptable(lo + at)) return [lo + at, lo + at + p.length];
      }
    }
  }
  if (short) return null;
  const budget = editBudget(p);
  if (budget < 1 || hi <= lo) return null;
  const a = alignBest(p, index.foldedUnits, lo, hi, budget, fromEnd);
  return a !== null && a.end > a.start ? [a.start, a.end] : null;
}
