import { foldText } from './normalize.js';

/** Length of the character n-grams the candidate index is built on (folded UTF-16 units). */
export const GRAM = 4;
/**
 * Longest folded proposal fuzzy matching is attempted for (UTF-16 units, 2.5 × MAX_QUOTE_CHARS);
 * longer ones must match exactly, after folding or as fragments.
 */
export const MAX_FUZZY_CHARS = 1000;
/** Narrowest diagonal bucket fuzzy voting uses (folded units); sizes `voteScratch`. */
export const MIN_VOTE_BUCKET = 16;

/**
 * An article prepared for locating quotes; build once per article with `buildSourceIndex` and
 * reuse it for every quote. Fields other than `text` are internal to grounding.
 */
export interface SourceIndex {
  /** The article text every located offset points into. */
  readonly text: string;
  /** Folded text (see `foldText`); `srcStart[i]`/`srcEnd[i]` is the source span of folded unit i. */
  readonly folded: string;
  /** The UTF-16 units of `folded`, for the alignment loops. */
  readonly foldedUnits: Uint16Array;
  readonly srcStart: Int32Array;
  readonly srcEnd: Int32Array;
  /** Positions in `folded` of every 4-gram, grouped by hash: `gramPositions[gramOffsets[h] .. gramOffsets[h+1])`. */
  readonly gramOffsets: Int32Array;
  readonly gramPositions: Int32Array;
  /** Number of bits of a gram hash (the table has 2^bits slots). */
  readonly gramBits: number;
  /**
   * Zeroed scratch counters for fuzzy voting, one per diagonal bucket; a vote pass restores the
   * zeros before returning. Safe because locating is synchronous: two calls never overlap.
   */
  readonly voteScratch: Int32Array;
}

/** Hash of the 4-gram of `s` starting at `i`, in `[0, 2^bits)`. FNV-1a over UTF-16 units (inlined in `buildSourceIndex`: keep in step). */
export function gramHash(s: string, i: number, bits: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < GRAM; k++) h = Math.imul(h ^ s.charCodeAt(i + k), 0x01000193);
  return h >>> (32 - bits);
}

/**
 * Folds the text and indexes its 4-grams, once per article. O(n) time and memory: about 16 bytes
 * per character plus a hash table of 2^bits 4-byte slots (bits ≤ 20, ~1 MB for 200,000 characters,
 * which take a few tens of milliseconds).
 */
export function buildSourceIndex(text: string): SourceIndex {
  const { text: folded, units, srcStart, srcEnd } = foldText(text);
  const grams = Math.max(0, folded.length - GRAM + 1);
  let bits = 10;
  while (bits < 20 && 1 << bits < grams) bits++;
  const slots = 1 << bits;
  const gramOffsets = new Int32Array(slots + 1);
  const hashes = new Int32Array(grams);
  const shift = 32 - bits;
  for (let i = 0; i < grams; i++) {
    let x = 0x811c9dc5;
    for (let k = 0; k < GRAM; k++) x = Math.imul(x ^ (units[i + k] ?? 0), 0x01000193);
    const h = x >>> shift;
    hashes[i] = h;
    gramOffsets[h + 1] = (gramOffsets[h + 1] ?? 0) + 1;
  }
  for (let h = 0; h < slots; h++) gramOffsets[h + 1] = (gramOffsets[h + 1] ?? 0) + (gramOffsets[h] ?? 0);
  const fill = gramOffsets.slice(0, slots);
  const gramPositions = new Int32Array(grams);
  for (let i = 0; i < grams; i++) {
    const h = hashes[i] ?? 0;
    const at = fill[h] ?? 0;
    gramPositions[at] = i;
    fill[h] = at + 1;
  }
  const voteScratch = new Int32Array(Math.ceil((folded.length + 2 * MAX_FUZZY_CHARS) / MIN_VOTE_BUCKET) + 4);
  return {
    text,
    folded,
    foldedUnits: units,
    srcStart,
    srcEnd,
    gramOffsets,
    gramPositions,
    gramBits: bits,
    voteScratch,
  };
}

/** Source span `[start, end)` of the folded range `[a, b)` (a < b). */
export function sourceRange(index: SourceIndex, a: number, b: number): { start: number; end: number } {
  return { start: index.srcStart[a] ?? 0, end: index.srcEnd[b - 1] ?? 0 };
}

/** First index in the ascending `positions[lo, hi)` whose value is ≥ `target`. */
function lowerBound(positions: Int32Array, lo: number, hi: number, target: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((positions[mid] ?? 0) < target) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * Up to `limit` occurrences (ascending, at or after `from`) of a folded pattern in `index.folded`.
 * Checks only the positions of the pattern's rarest 4-gram, and returns at once when one of its
 * grams is absent from the article, so it costs far less than scanning the article.
 */
export function foldedOccurrences(index: SourceIndex, pattern: string, limit: number, from = 0): number[] {
  const m = pattern.length;
  const out: number[] = [];
  if (m < GRAM) {
    for (
      let at = index.folded.indexOf(pattern, from);
      at >= 0 && out.length < limit;
      at = index.folded.indexOf(pattern, at + 1)
    ) {
      out.push(at);
    }
    return out;
  }
  const { gramOffsets, gramPositions, gramBits } = index;
  let bestK = 0;
  let bestH = 0;
  let bestLen = Number.POSITIVE_INFINITY;
  for (let k = 0; k + GRAM <= m; k++) {
    const h = gramHash(pattern, k, gramBits);
    const len = (gramOffsets[h + 1] ?? 0) - (gramOffsets[h] ?? 0);
    if (len === 0) return out;
    if (len < bestLen) {
      bestLen = len;
      bestK = k;
      bestH = h;
    }
  }
  const end = gramOffsets[bestH + 1] ?? 0;
  for (let at = lowerBound(gramPositions, gramOffsets[bestH] ?? 0, end, from + bestK); at < end; at++) {
    const start = (gramPositions[at] ?? 0) - bestK;
    if (index.folded.startsWith(pattern, start)) {
      out.push(start);
      if (out.length === limit) break;
    }
  }
  return out;
}
