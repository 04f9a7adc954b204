/**
 * Okapi BM25 over documents given as term lists: the one retrieval score of Verbatim (answers of
 * the offline engine, the chunks sent to a model with a question, the passages of a repair
 * request). `K1` and `B` were chosen by `npm run eval:qa` (top sentence holds the gold answer on
 * the calibration half of SQuAD 2.0): sentences and short passages want weak length normalization.
 */
export const BM25_K1 = 0.9;
export const BM25_B = 0.5;

/** Where a term occurs: document indexes ascending, with the term's count in each. */
export interface Posting {
  readonly docs: Int32Array;
  readonly tf: Int32Array;
}

/** Statistics of a fixed set of documents, built once (`buildBm25Index`) and queried many times. */
export interface Bm25Index<T> {
  readonly size: number;
  readonly lengths: Float64Array;
  readonly avgLength: number;
  readonly postings: ReadonlyMap<T, Posting>;
}

/** A query term and how much it counts (1: the question's own; less: context such as an earlier turn). */
export interface WeightedTerm<T> {
  readonly term: T;
  readonly weight: number;
}

export function buildBm25Index<T>(docs: readonly (readonly T[])[]): Bm25Index<T> {
  const build = new Map<T, { docs: number[]; tf: number[] }>();
  const lengths = new Float64Array(docs.length);
  docs.forEach((terms, d) => {
    lengths[d] = terms.length;
    const counts = new Map<T, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [t, tf] of counts) {
      let p = build.get(t);
      if (!p) {
        p = { docs: [], tf: [] };
        build.set(t, p);
      }
      p.docs.push(d);
      p.tf.push(tf);
    }
  });
  const postings = new Map<T, Posting>();
  for (const [t, p] of build) postings.set(t, { docs: Int32Array.from(p.docs), tf: Int32Array.from(p.tf) });
  const total = lengths.reduce((a, b) => a + b, 0);
  return { size: docs.length, lengths, avgLength: docs.length > 0 ? total / docs.length : 1, postings };
}

/** BM25's inverse document frequency, ln(1 + (N − df + ½)/(df + ½)): never negative; 0 terms count most. */
export function bm25Idf<T>(index: Bm25Index<T>, term: T): number {
  const df = index.postings.get(term)?.docs.length ?? 0;
  return Math.log(1 + (index.size - df + 0.5) / (df + 0.5));
}

/**
 * Every document's BM25 score for `query` (terms counted once each, times their weight); documents
 * sharing no term score 0. Linear in the total length of the query terms' postings.
 */
export function bm25Scores<T>(index: Bm25Index<T>, query: readonly WeightedTerm<T>[]): Float64Array {
  const scores = new Float64Array(index.size);
  for (const { term, weight } of query) {
    const p = index.postings.get(term);
    if (!p) continue;
    const w = weight * bm25Idf(index, term);
    for (let k = 0; k < p.docs.length; k++) {
      const d = p.docs[k] as number;
      const tf = p.tf[k] as number;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * (index.lengths[d] as number)) / index.avgLength);
      scores[d] = (scores[d] as number) + (w * tf * (BM25_K1 + 1)) / (tf + norm);
    }
  }
  return scores;
}
