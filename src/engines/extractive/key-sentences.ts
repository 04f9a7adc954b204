import { foldAsciiCase } from '../../text/index.js';
import type { SummaryLength } from '../engine.js';
import type { ArticleAnalysis, SentenceInfo } from './article-analysis.js';
import { lexRank } from './lex-rank.js';
import { dot, type SparseVector, tfidfVector } from './sparse-vector.js';

/** How many sentences each length asks for: the summary, then distinct key points. */
export const SENTENCE_COUNTS: Readonly<Record<SummaryLength, { summary: number; keyPoints: number }>> = {
  short: { summary: 1, keyPoints: 3 },
  standard: { summary: 2, keyPoints: 5 },
  detailed: { summary: 3, keyPoints: 8 },
};

/** Knobs of the ranking, tuned on `../shared/corpus/news/` (ROUGE against its reference summaries). */
export interface RankingWeights {
  /** Share of the summary's score given to position (earlier paragraphs first) over centrality. */
  readonly position: number;
  /** The same for key points, lower: they should cover the whole article, not just its lead. */
  readonly keyPointPosition: number;
  /** How fast the position prior decays per paragraph. */
  readonly decay: number;
  /** MMR trade-off: 1 ignores redundancy, 0 ignores relevance. */
  readonly lambda: number;
}

/**
 * On the 11 news articles, ROUGE-1/2 F1 against their reference summaries: standard (2 sentences)
 * 0.442/0.241 where the first two sentences score 0.424/0.227; short matches the lead sentence.
 */
export const DEFAULT_WEIGHTS: RankingWeights = {
  position: 0.5,
  keyPointPosition: 0.25,
  decay: 1,
  lambda: 0.7,
};

export interface KeySentences {
  /** Sentence indexes, in article order. */
  readonly summary: readonly number[];
  /** Sentence indexes not in `summary`, in article order. */
  readonly keyPoints: readonly number[];
}

/**
 * Sentences that lean on the one before: a connective, or a pronoun subject (after an opening
 * phrase). Case-insensitive: tested on `foldAsciiCase(text)`, hence lower-case and without `i`.
 */
export const DANGLING_START =
  /^(?:[“"‘'«]\s*)?(?:(?:but|and|or|so|yet|however|also|still|then|such)\b|(?:[^,]{0,40},\s+)?(?:he|she|it|they|this|these|that|those|his|her|its|their|there)\b)/u;

/**
 * Chooses the summary and key points: candidates are the article's complete, non-clutter
 * sentences; each is scored by continuous LexRank centrality blended with a lead-position prior and
 * a length preference, then picked by maximal marginal relevance so no two say the same thing.
 */
export function chooseKeySentences(
  analysis: ArticleAnalysis,
  length: SummaryLength,
  weights: RankingWeights = DEFAULT_WEIGHTS,
): KeySentences {
  const candidates = candidateSentences(analysis.sentences);
  if (candidates.length === 0) return { summary: [], keyPoints: [] };
  const infos = candidates.map((i) => analysis.sentences[i] as SentenceInfo);

  const df = new Map<number, number>();
  for (const s of infos) for (const t of new Set(s.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = infos.length;
  const vectors = infos.map((s) => tfidfVector(s.terms, (id) => Math.log(1 + n / (df.get(id) ?? 1))));
  const centrality = lexRank(vectors);
  const maxCentrality = maxOf(centrality);

  const paragraphRank = new Map<number, number>();
  for (const s of infos)
    if (!paragraphRank.has(s.paragraph)) paragraphRank.set(s.paragraph, paragraphRank.size);

  const scoresWith = (position: number, dangling: number) =>
    infos.map((s, k) => {
      const central = (centrality[k] as number) / maxCentrality;
      const prior = 1 / (1 + weights.decay * (paragraphRank.get(s.paragraph) ?? 0));
      const score = ((1 - position) * central + position * prior) * lengthFactor(s);
      return DANGLING_START.test(foldAsciiCase(s.seg.text)) ? score * dangling : score;
    });
  const summaryScores = scoresWith(weights.position, 0.8);
  const scores = scoresWith(weights.keyPointPosition, 0.85);

  const counts = SENTENCE_COUNTS[length];
  const summary = selectByMmr(summaryScores, vectors, [], counts.summary, weights.lambda);
  const keyPoints = selectByMmr(scores, vectors, summary, counts.keyPoints, weights.lambda);
  const toSentence = (picked: number[]) => picked.map((k) => candidates[k] as number).sort((a, b) => a - b);
  return { summary: toSentence(summary), keyPoints: toSentence(keyPoints) };
}

/**
 * Complete, non-clutter sentences with some content, each text once (a repeated sentence is one
 * node of the graph, at its first place); failing any, every non-clutter line with some content.
 */
function candidateSentences(sentences: readonly SentenceInfo[]): number[] {
  const good: number[] = [];
  const fallback: number[] = [];
  const seen = new Set<string>();
  sentences.forEach((s, i) => {
    if (s.clutter || s.terms.length === 0 || seen.has(s.seg.text)) return;
    seen.add(s.seg.text);
    fallback.push(i);
    if (!s.fragment && !s.question && s.terms.length >= 3) good.push(i);
  });
  return good.length > 0 ? good : fallback;
}

/** Prefers sentences of 10–45 words: shorter ones say little, longer ones must be cut to quote. */
function lengthFactor(s: SentenceInfo): number {
  const words = s.wordCount;
  if (words < 6) return 0.5;
  if (words < 10) return 0.8;
  if (words > 80) return 0.6;
  if (words > 45) return 0.85;
  return 1;
}

/**
 * Greedy maximal marginal relevance: repeatedly takes the candidate maximizing
 * λ·score − (1−λ)·(highest cosine to anything already chosen). `chosen` seeds the redundancy
 * check and is never picked again. Returns up to `count` new candidate indexes, best first.
 */
function selectByMmr(
  scores: readonly number[],
  vectors: readonly SparseVector[],
  chosen: readonly number[],
  count: number,
  lambda: number,
): number[] {
  const picked: number[] = [];
  const taken = new Set(chosen);
  const maxSim = new Float64Array(scores.length);
  for (const c of chosen) updateMaxSim(maxSim, vectors, c, taken);
  const top = maxOf(scores);
  while (picked.length < count) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < scores.length; k++) {
      if (taken.has(k)) continue;
      const sim = maxSim[k] as number;
      if (sim > 0.85) continue;
      const value = (lambda * (scores[k] as number)) / top - (1 - lambda) * sim;
      if (value > bestValue) {
        bestValue = value;
        best = k;
      }
    }
    if (best < 0) break;
    picked.push(best);
    taken.add(best);
    updateMaxSim(maxSim, vectors, best, taken);
  }
  return picked;
}

function updateMaxSim(
  maxSim: Float64Array,
  vectors: readonly SparseVector[],
  added: number,
  taken: Set<number>,
) {
  const v = vectors[added] as SparseVector;
  for (let k = 0; k < vectors.length; k++) {
    if (taken.has(k)) continue;
    const sim = dot(v, vectors[k] as SparseVector);
    if (sim > (maxSim[k] as number)) maxSim[k] = sim;
  }
}

/** Largest element (arrays here can be too long to spread into `Math.max`). */
function maxOf(values: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  return max;
}
