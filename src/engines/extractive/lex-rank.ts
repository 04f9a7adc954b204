import type { SparseVector } from './sparse-vector.js';

/** Sentence pairs less similar than this are not linked (Erkan & Radev's LexRank threshold). */
const LINK_THRESHOLD = 0.1;
const DAMPING = 0.85;
/** Power iteration stops when ranks move less than this in total (L1), or after MAX_ITERATIONS. */
const TOLERANCE = 1e-6;
const MAX_ITERATIONS = 50;
/**
 * Most pair visits the similarity pass may make (Σ over terms of postings²). Over it, the most
 * common terms are skipped: they carry the least weight and cost the most. Bounds a 200,000-character
 * article to a few tens of milliseconds.
 */
const MAX_PAIR_VISITS = 2_000_000;

/**
 * Continuous LexRank: PageRank over the graph of sentences whose TF-IDF cosine reaches
 * LINK_THRESHOLD, edges weighted by that cosine. Pairs come from an inverted index (only sentences
 * sharing a term are compared), not from all n² pairs. Returns one centrality per vector, summing
 * to 1.
 */
export function lexRank(vectors: readonly SparseVector[]): Float64Array {
  const n = vectors.length;
  const rank = new Float64Array(n).fill(n > 0 ? 1 / n : 0);
  if (n < 2) return rank;

  const postings = new Map<number, { docs: number[]; weights: number[] }>();
  for (let doc = 0; doc < n; doc++) {
    const v = vectors[doc] as SparseVector;
    for (let k = 0; k < v.ids.length; k++) {
      const id = v.ids[k] as number;
      let p = postings.get(id);
      if (!p) {
        p = { docs: [], weights: [] };
        postings.set(id, p);
      }
      p.docs.push(doc);
      p.weights.push(v.weights[k] as number);
    }
  }
  let visits = 0;
  for (const p of postings.values()) visits += p.docs.length * p.docs.length;
  if (visits > MAX_PAIR_VISITS) {
    const byDf = [...postings.entries()].sort((a, b) => b[1].docs.length - a[1].docs.length);
    for (const [id, p] of byDf) {
      if (visits <= MAX_PAIR_VISITS) break;
      visits -= p.docs.length * p.docs.length;
      postings.delete(id);
    }
  }

  const edgesTo: Int32Array[] = [];
  const edgeWeights: Float64Array[] = [];
  const outSum = new Float64Array(n);
  const acc = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = vectors[i] as SparseVector;
    for (let k = 0; k < v.ids.length; k++) {
      const p = postings.get(v.ids[k] as number);
      if (!p) continue;
      const w = v.weights[k] as number;
      for (let m = 0; m < p.docs.length; m++) {
        const j = p.docs[m] as number;
        if (j === i) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j] = (acc[j] as number) + w * (p.weights[m] as number);
      }
    }
    const to: number[] = [];
    const weights: number[] = [];
    for (const j of touched) {
      const sim = acc[j] as number;
      if (sim >= LINK_THRESHOLD) {
        to.push(j);
        weights.push(sim);
        outSum[i] = (outSum[i] as number) + sim;
      }
      acc[j] = 0;
    }
    touched.length = 0;
    edgesTo.push(Int32Array.from(to));
    edgeWeights.push(Float64Array.from(weights));
  }

  const next = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let dangling = 0;
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const r = rank[i] as number;
      const sum = outSum[i] as number;
      if (sum === 0) {
        dangling += r;
        continue;
      }
      const to = edgesTo[i] as Int32Array;
      const weights = edgeWeights[i] as Float64Array;
      for (let k = 0; k < to.length; k++) {
        const j = to[k] as number;
        next[j] = (next[j] as number) + (r * (weights[k] as number)) / sum;
      }
    }
    const base = (1 - DAMPING) / n + (DAMPING * dangling) / n;
    let change = 0;
    for (let j = 0; j < n; j++) {
      const value = base + DAMPING * (next[j] as number);
      change += Math.abs(value - (rank[j] as number));
      rank[j] = value;
    }
    if (change < TOLERANCE) break;
  }
  return rank;
}
