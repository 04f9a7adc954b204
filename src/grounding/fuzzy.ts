import { GRAM, gramHash, MAX_FUZZY_CHARS, MIN_VOTE_BUCKET, type SourceIndex } from './source-index.js';

/** A match in folded coordinates: `[start, end)` and its edit (Levenshtein) distance to the pattern. */
export interface Alignment {
  readonly start: number;
  readonly end: number;
  readonly distance: number;
}

/** At most this many edits per sentence of the proposal. */
export const MAX_EDITS_PER_SENTENCE = 8;
/** At most this share of the proposal's folded characters may be edited. */
export const MAX_EDIT_RATIO = 0.1;
/** Candidate bands checked by dynamic programming per proposal. */
const MAX_CANDIDATES = 4;

/** Sentences in a folded proposal (at least 1): terminators followed by a space or the end. */
export function sentenceCount(folded: string): number {
  const m = folded.match(SENTENCE_END);
  return Math.max(1, m ? m.length : 0);
}

/** A run of stops is taken whole, from its start (tried from inside a run, it re-read the run). */
const SENTENCE_END = /(?<![.!?。！？])[.!?。！？]+(?=\s|$)|[。！？]+/gu;

/** The sentences of a folded proposal, each with its terminator, trimmed. */
export function splitSentences(folded: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of folded.matchAll(SENTENCE_END)) {
    const end = (m.index ?? 0) + m[0].length;
    out.push(folded.slice(from, end).trim());
    from = end;
  }
  out.push(folded.slice(from).trim());
  return out.filter((s) => s !== '');
}

/**
 * Whether every sentence of a multi-sentence pattern is itself within its own budget somewhere in
 * the matched region `[start, end)` (± `slack`), so the edits of a fuzzy match are spread out
 * rather than concentrated in one rewritten sentence. Sentences under 10 characters are not checked.
 */
export function editsSpreadOut(
  index: SourceIndex,
  pattern: string,
  start: number,
  end: number,
  slack: number,
): boolean {
  const sentences = splitSentences(pattern);
  if (sentences.length < 2) return true;
  const from = Math.max(0, start - slack);
  const to = Math.min(index.foldedUnits.length, end + slack);
  return sentences.every(
    (s) => s.length < 10 || alignBest(s, index.foldedUnits, from, to, editBudget(s)) !== null,
  );
}
/** Edits allowed for a folded proposal: ⌊10% of its length⌋, at most 8 per sentence. */
export function editBudget(folded: string): number {
  return Math.min(Math.floor(folded.length * MAX_EDIT_RATIO), MAX_EDITS_PER_SENTENCE * sentenceCount(folded));
}

/**
 * Best approximate occurrence of `pattern` in `text[from, to)` within `maxDistance` edits
 * (Sellers' algorithm: free start and end in the text, unit costs, with Ukkonen's cut-off so only
 * rows that can still be ≤ maxDistance are computed: about O(maxDistance × (to − from)) time,
 * O(|pattern|) memory). Ties go to the leftmost end, or the rightmost when `preferLast`. Null when
 * no occurrence is within `maxDistance`.
 */
export function alignBest(
  pattern: string,
  text: Uint16Array,
  from: number,
  to: number,
  maxDistance: number,
  preferLast = false,
): Alignment | null {
  const m = pattern.length;
  const k = maxDistance;
  if (m === 0 || to <= from) return null;
  const p = new Uint16Array(m);
  for (let i = 0; i < m; i++) p[i] = pattern.charCodeAt(i);
  let dPrev = new Int32Array(m + 1);
  let sPrev = new Int32Array(m + 1);
  let dCur = new Int32Array(m + 1);
  let sCur = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) {
    dPrev[i] = i;
    sPrev[i] = from;
  }
  let last = Math.min(m, k);
  let best = k + 1;
  let bestStart = from;
  let bestEnd = from;
  for (let j = from; j < to; j++) {
    const tc = text[j];
    dCur[0] = 0;
    sCur[0] = j + 1;
    const rows = Math.min(m, last + 1);
    for (let i = 1; i <= rows; i++) {
      let d = (dPrev[i - 1] ?? 0) + (p[i - 1] === tc ? 0 : 1);
      let s = sPrev[i - 1] ?? 0;
      const left = (i <= last ? (dPrev[i] ?? 0) : k + 1) + 1;
      if (left < d) {
        d = left;
        s = sPrev[i] ?? 0;
      }
      const up = (dCur[i - 1] ?? 0) + 1;
      if (up < d) {
        d = up;
        s = sCur[i - 1] ?? 0;
      }
      dCur[i] = d;
      sCur[i] = s;
    }
    last = rows;
    while (last > 0 && (dCur[last] ?? 0) > k) last--;
    if (last === m) {
      const dm = dCur[m] ?? 0;
      if (dm < best || (preferLast && dm === best)) {
        best = dm;
        bestEnd = j + 1;
        bestStart = sCur[m] ?? 0;
      }
    }
    [dPrev, dCur] = [dCur, dPrev];
    [sPrev, sCur] = [sCur, sPrev];
  }
  return best <= k ? { start: bestStart, end: bestEnd, distance: best } : null;
}

/**
 * Best approximate occurrence of `pattern` in `text` whose alignment stays on diagonals
 * (text position − pattern position) in `[dLo, dHi]`, within `maxDistance` edits; free start and
 * end, unit costs, leftmost end on ties. Each row only computes the cells that can still be
 * ≤ maxDistance (Ukkonen's cut-off inside the band), so a match costs about
 * O(|pattern| × maxDistance). Null when none is close enough.
 */
export function alignInBand(
  pattern: string,
  text: Uint16Array,
  dLo: number,
  dHi: number,
  maxDistance: number,
): Alignment | null {
  const m = pattern.length;
  const n = text.length;
  const k = maxDistance;
  const band = dHi - dLo + 1;
  if (m === 0 || band <= 0) return null;
  const INF = 1 << 29;
  // Cell (i, x) is pattern prefix i against text prefix j = i + dLo + x (0 ≤ x < band).
  let dPrev = new Int32Array(band);
  let sPrev = new Int32Array(band);
  let dCur = new Int32Array(band);
  let sCur = new Int32Array(band);
  let pa = Math.max(0, -dLo);
  let pb = Math.min(band - 1, n - dLo);
  if (pa > pb) return null;
  for (let x = pa; x <= pb; x++) {
    dPrev[x] = 0;
    sPrev[x] = dLo + x;
  }
  let lo = pa;
  let hi = pb;
  for (let i = 1; i <= m; i++) {
    const pc = pattern.charCodeAt(i - 1);
    const a = Math.max(lo - 1, -(i + dLo), 0);
    let x = a;
    let rowLo = -1;
    let rowHi = -1;
    for (; x < band; x++) {
      const j = i + dLo + x;
      if (j > n) break;
      let d = INF;
      let s = 0;
      if (x >= pa && x <= pb && j >= 1) {
        d = (dPrev[x] ?? INF) + (text[j - 1] === pc ? 0 : 1);
        s = sPrev[x] ?? 0;
      }
      if (x + 1 >= pa && x + 1 <= pb) {
        const up = (dPrev[x + 1] ?? INF) + 1;
        if (up < d) {
          d = up;
          s = sPrev[x + 1] ?? 0;
        }
      }
      if (x > a) {
        const left = (dCur[x - 1] ?? INF) + 1;
        if (left < d) {
          d = left;
          s = sCur[x - 1] ?? 0;
        }
      }
      dCur[x] = d;
      sCur[x] = s;
      if (d <= k) {
        if (rowLo < 0) rowLo = x;
        rowHi = x;
      } else if (x > hi + 1) {
        x++;
        break;
      }
    }
    if (rowLo < 0) return null;
    pa = a;
    pb = x - 1;
    lo = rowLo;
    hi = rowHi;
    [dPrev, dCur] = [dCur, dPrev];
    [sPrev, sCur] = [sCur, sPrev];
  }
  let best: Alignment | null = null;
  for (let x = lo; x <= hi; x++) {
    const dist = dPrev[x] ?? INF;
    if (dist <= k && (best === null || dist < best.distance)) {
      best = { start: sPrev[x] ?? 0, end: m + dLo + x, distance: dist };
    }
  }
  return best;
}

/** A diagonal band to align in, with the votes its grams gave it. */
export interface Band {
  readonly dLo: number;
  readonly dHi: number;
  readonly votes: number;
}

/**
 * Diagonal bands (text position − pattern position) that may hold `pattern` within `budget`
 * edits, most votes first (at most 4); pass each to `alignInBand`. A band holding a match at
 * distance d has at least `fullVotes − d` votes.
 *
 * The pattern is cut into disjoint 4-grams; one edit destroys at most one of them, so a match
 * keeps at least `grams − budget` of them, on diagonals (text position − pattern position) within
 * ±budget of each other. Each gram votes for the diagonals where it occurs; windows short of that
 * count are skipped without any alignment, and a pattern with more than `budget` grams absent from
 * the article (in any of the 4 ways to cut it) is rejected outright. Grams too common to be
 * informative are skipped and the count lowered to match, so a fabricated quote made of article
 * words costs a few thousand array increments.
 */
export function fuzzyWindows(
  index: SourceIndex,
  pattern: string,
  budget: number,
): { readonly bands: Band[]; readonly fullVotes: number } {
  const none = { bands: [], fullVotes: 0 };
  const m = pattern.length;
  const n = index.folded.length;
  const grams = m - GRAM + 1;
  if (grams <= 0 || n === 0 || m > n + budget || m > MAX_FUZZY_CHARS || budget > MAX_FUZZY_CHARS) return none;
  const { gramOffsets, gramPositions, gramBits } = index;
  const maxPosting = Math.max(64, Math.ceil(n / 1024));

  const hashes = new Int32Array(grams);
  const lengths = new Int32Array(grams);
  for (let k = 0; k < grams; k++) {
    const h = gramHash(pattern, k, gramBits);
    hashes[k] = h;
    lengths[k] = (gramOffsets[h + 1] ?? 0) - (gramOffsets[h] ?? 0);
  }
  let phase = 0;
  let phaseWork = Number.POSITIVE_INFINITY;
  for (let f = 0; f < GRAM && f < grams; f++) {
    let missing = 0;
    let work = 0;
    for (let k = f; k < grams; k += GRAM) {
      const len = lengths[k] ?? 0;
      if (len === 0) missing++;
      work += Math.min(len, maxPosting);
    }
    if (missing > budget) return none;
    if (work < phaseWork) {
      phaseWork = work;
      phase = f;
    }
  }

  const order: number[] = [];
  let missing = 0;
  for (let k = phase; k < grams; k += GRAM) {
    if ((lengths[k] ?? 0) === 0) missing++;
    else order.push(k);
  }
  order.sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0));
  // Survivors ≥ grams − budget; none is missing and at most `skipped` are skipped, so a window
  // needs ≥ used + missing − budget votes.
  const used: number[] = [];
  let work = 0;
  for (const k of order) {
    const len = lengths[k] ?? 0;
    const needMore = used.length + missing - budget < 1;
    if (len > maxPosting && !(needMore && work + len <= 64 * maxPosting)) continue;
    used.push(k);
    work += len;
  }
  const threshold = used.length + missing - budget;
  if (threshold < 1) return none;

  let shift = Math.log2(MIN_VOTE_BUCKET);
  while (1 << shift < 2 * budget + 2) shift++;
  const width = 1 << shift;
  const offset = m + budget;
  const votes = index.voteScratch;
  const touched: number[] = [];
  const pairs: Array<[number, number]> = [];
  try {
    for (const k of used) {
      const h = hashes[k] ?? 0;
      const end = gramOffsets[h + 1] ?? 0;
      for (let at = gramOffsets[h] ?? 0; at < end; at++) {
        const b = ((gramPositions[at] ?? 0) - k + offset) >> shift;
        const v = votes[b] ?? 0;
        if (v === 0) touched.push(b);
        votes[b] = v + 1;
      }
    }
    for (const b of touched) {
      const here = votes[b] ?? 0;
      const next = votes[b + 1] ?? 0;
      // Each pair (first, first + 1) is considered once: from its first bucket if touched, else from its second.
      if (here + next >= threshold) pairs.push([b, here + next]);
      if (b > 0 && (votes[b - 1] ?? 0) === 0 && here >= threshold) pairs.push([b - 1, here]);
    }
  } finally {
    for (const b of touched) votes[b] = 0;
  }
  pairs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);

  const bands: Band[] = [];
  const chosen: number[] = [];
  for (const [first, votes] of pairs) {
    if (chosen.some((c) => Math.abs(c - first) <= 1)) continue;
    chosen.push(first);
    const diagLo = first * width - offset;
    const diagHi = (first + 2) * width - offset;
    // Surviving grams sit within ±budget of the match's first diagonal, and the path within ±budget of that.
    bands.push({ dLo: diagLo - 2 * budget, dHi: diagHi + 2 * budget, votes });
    if (bands.length === MAX_CANDIDATES) break;
  }
  return { bands, fullVotes: used.length + missing };
}

/**
 * Best match of a folded pattern anywhere in the index within `budget` edits, or null; earliest
 * wins ties. Bands too poor in votes to beat the best match so far are skipped.
 */
export function locateFuzzy(index: SourceIndex, pattern: string, budget: number): Alignment | null {
  if (budget < 1 || pattern.length > MAX_FUZZY_CHARS) return null;
  let best: Alignment | null = null;
  const { bands, fullVotes } = fuzzyWindows(index, pattern, budget);
  for (const band of bands) {
    if (best !== null && band.votes < fullVotes - best.distance) continue;
    const a = alignInBand(
      pattern,
      index.foldedUnits,
      band.dLo,
      band.dHi,
      best === null ? budget : best.distance,
    );
    if (a === null || a.end <= a.start) continue;
    if (
      best === null ||
      a.distance < best.distance ||
      (a.distance === best.distance && a.start < best.start)
    ) {
      best = a;
    }
  }
  return best;
}
