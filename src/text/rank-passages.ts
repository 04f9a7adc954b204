import { bm25Scores, buildBm25Index } from './bm25.js';
import { termRules, termsOf } from './terms.js';

/** A passage's rank for a query: its index in the input and its BM25 score (higher is closer). */
export interface RankedPassage {
  readonly index: number;
  readonly score: number;
}

/**
 * Ranks passages by similarity to a query with BM25 over their terms in `locale`'s rules (stop
 * words dropped, stemmed), so shared rare words count more than shared common ones. Passages with
 * no shared word are left out. Used for the chunks of a long article sent with a question and the
 * passages shown in a repair request.
 */
export function rankPassages(
  query: string,
  passages: readonly string[],
  locale?: string | null,
): RankedPassage[] {
  const rules = termRules(locale ?? null);
  const index = buildBm25Index(passages.map((p) => termsOf(p, rules)));
  const terms = [...new Set(termsOf(query, rules))].map((term) => ({ term, weight: 1 }));
  const scores = bm25Scores(index, terms);
  const ranked: RankedPassage[] = [];
  scores.forEach((score, index) => {
    if (score > 0) ranked.push({ index, score });
  });
  return ranked.sort((a, b) => b.score - a.score || a.index - b.index);
}
