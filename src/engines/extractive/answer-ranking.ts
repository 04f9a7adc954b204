import { MAX_QUOTE_CHARS } from '../../grounding/index.js';
import {
  type Bm25Index,
  bm25Idf,
  bm25Scores,
  buildBm25Index,
  normalizeTerm,
  splitWords,
  termsOf,
} from '../../text/index.js';
import type { Turn } from '../engine.js';
import { expectedAnswerType, holdsAnswerType, negationMismatch } from './answer-type.js';
import type { ArticleAnalysis, SentenceInfo } from './article-analysis.js';

/**
 * Weights of context, tuned for top-sentence hits on the calibration half of SQuAD 2.0
 * (`npm run eval:qa`).
 */
/** Share of the best neighbouring sentence's BM25 added to a sentence's own. */
const NEIGHBOUR_WEIGHT = 0.15;
/** Added per unit of the question's IDF mass that the sentence's paragraph covers. */
const PARAGRAPH_WEIGHT = 4;
/** How many of the best BM25 sentences are re-ranked by answer type. */
const RERANK_DEPTH = 20;
/**
 * Re-ranked score = score · (floor + (1 − floor) · confidence): a sentence that holds the question's
 * own words beats one that only echoes an earlier turn's.
 */
const CONFIDENCE_FLOOR = 0.5;

/**
 * An answer-bearing sentence with its retrieval score and a confidence in [0, 1]: the share of the
 * question's IDF mass the sentence holds, halved when it lacks the kind of thing the question asks
 * for (a number, a date, a person) and halved when the question asks what is *not* so and the
 * sentence negates nothing.
 */
export interface AnswerCandidate {
  readonly sentence: number;
  readonly score: number;
  readonly confidence: number;
  /** Offsets in the article text where the question's terms occur in this sentence. */
  readonly focus: readonly number[];
}

/** BM25 statistics over the article's answerable sentences, built once per article. */
export interface AnswerIndex {
  /** Sentence indexes that can answer: not clutter, not a heading, with some content. */
  readonly units: readonly number[];
  /** BM25 over the units' term ids (document k is `units[k]`). */
  readonly bm25: Bm25Index<number>;
  readonly paragraphOf: Int32Array;
  readonly paragraphTerms: ReadonlyArray<ReadonlySet<number>>;
}

export function buildAnswerIndex(analysis: ArticleAnalysis): AnswerIndex {
  const units: number[] = [];
  analysis.sentences.forEach((s, i) => {
    if (!s.clutter && s.terms.length > 0 && !(s.fragment && s.wordCount < 6)) units.push(i);
  });
  const paragraphOf = new Int32Array(units.length);
  const paragraphTerms: Set<number>[] = Array.from({ length: analysis.paragraphCount }, () => new Set());
  const docs = units.map((sentence, u) => {
    const s = analysis.sentences[sentence] as SentenceInfo;
    paragraphOf[u] = s.paragraph;
    for (const t of s.terms) paragraphTerms[s.paragraph]?.add(t);
    return s.terms;
  });
  return { units, bm25: buildBm25Index(docs), paragraphOf, paragraphTerms };
}

/** Words that shape a question but name nothing to look for (English, Russian, German, French, Spanish). */
const QUESTION_WORDS = new Set(
  [
    'what which who whom whose when where why how whats is are was were do does did can could would should',
    'will shall much many kind type name called call',
    'что кто где когда почему зачем как какой какая какое какие каком сколько чей чья ли',
    'was wer wem wen wessen wo wann warum wie welche welcher welches wieviel',
    'que qui quoi où quand pourquoi comment quel quelle quels quelles combien',
    'qué quién quiénes dónde cuándo cómo cuál cuáles cuánto cuántos cuántas',
  ]
    .join(' ')
    .split(' '),
);

/** Pronouns that point back to an earlier turn of the conversation. */
const BACK_REFERENCE = /\b(?:he|she|it|they|them|him|her|his|hers|its|their|this|that|these|those|there)\b/iu;

interface QueryTerm {
  readonly id: number;
  readonly weight: number;
}

/**
 * Ranks the article's sentences as answers to `question`: BM25 over sentences, plus a share of the
 * best neighbouring sentence's score (the subject is often named one sentence earlier), plus how much
 * of the question its paragraph covers; the best RERANK_DEPTH are then weighed by their confidence
 * (see AnswerCandidate). Terms of the previous turn join in at half weight when the question is
 * short or points back ("when did he…"). Returns the best `limit`, best first.
 */
export function rankAnswers(
  analysis: ArticleAnalysis,
  index: AnswerIndex,
  question: string,
  history: readonly Turn[],
  limit = 3,
): AnswerCandidate[] {
  const query = queryTerms(analysis, question, history);
  const n = index.units.length;
  if (n === 0 || query.length === 0) return [];

  const idf = (id: number) => bm25Idf(index.bm25, id);
  const bm25 = bm25Scores(
    index.bm25,
    query.map((q) => ({ term: q.id, weight: q.weight })),
  );

  const own = query.filter((q) => q.weight === 1);
  const ownMass = own.reduce((sum, q) => sum + idf(q.id), 0);
  const coverage = (has: (id: number) => boolean) =>
    ownMass > 0 ? own.reduce((sum, q) => (has(q.id) ? sum + idf(q.id) : sum), 0) / ownMass : 0;

  const scored: Array<{ u: number; score: number }> = [];
  for (let u = 0; u < n; u++) {
    if (bm25[u] === 0) continue;
    const paragraph = index.paragraphOf[u] as number;
    const neighbour = Math.max(
      index.paragraphOf[u - 1] === paragraph ? (bm25[u - 1] as number) : 0,
      index.paragraphOf[u + 1] === paragraph ? (bm25[u + 1] as number) : 0,
    );
    const paragraphTerms = index.paragraphTerms[paragraph] as ReadonlySet<number>;
    scored.push({
      u,
      score:
        (bm25[u] as number) +
        NEIGHBOUR_WEIGHT * neighbour +
        PARAGRAPH_WEIGHT * coverage((id) => paragraphTerms.has(id)),
    });
  }
  scored.sort((a, b) => b.score - a.score || a.u - b.u);

  const type =
    analysis.rules.lang === null || analysis.rules.lang.startsWith('en')
      ? expectedAnswerType(question)
      : null;
  const out: AnswerCandidate[] = [];
  for (const { u, score } of scored.slice(0, RERANK_DEPTH)) {
    const sentence = index.units[u] as number;
    const info = analysis.sentences[sentence] as SentenceInfo;
    const typed = type === null || holdsAnswerType(info.seg.text, type, question);
    const negated = negationMismatch(question, info.seg.text);
    const hits = new Set(info.terms);
    const confidence = coverage((id) => hits.has(id)) * (typed ? 1 : 0.5) * (negated ? 0.5 : 1);
    out.push({
      sentence,
      score: score * (CONFIDENCE_FLOOR + (1 - CONFIDENCE_FLOOR) * confidence),
      confidence,
      focus: [],
    });
  }
  out.sort((a, b) => b.score - a.score || a.sentence - b.sentence);
  const ids = new Set(query.map((q) => q.id));
  return out.slice(0, limit).map((c) => {
    const seg = (analysis.sentences[c.sentence] as SentenceInfo).seg;
    if (seg.text.length <= MAX_QUOTE_CHARS) return c;
    const focus = splitWords(seg.text, analysis.lang)
      .filter((w) => ids.has(analysis.vocabulary.get(normalizeTerm(w.text, analysis.rules) ?? '') ?? -1))
      .map((w) => seg.start + w.start);
    return { ...c, focus };
  });
}

function queryTerms(analysis: ArticleAnalysis, question: string, history: readonly Turn[]): QueryTerm[] {
  const skip = new Set([...QUESTION_WORDS].map((w) => normalizeTerm(w, analysis.rules)));
  const unknown = new Map<string, number>();
  const weights = new Map<number, number>();
  const add = (text: string, weight: number) => {
    for (const term of termsOf(text, analysis.rules)) {
      if (skip.has(term)) continue;
      let id = analysis.vocabulary.get(term) ?? unknown.get(term);
      if (id === undefined) {
        id = -1 - unknown.size;
        unknown.set(term, id);
      }
      weights.set(id, Math.max(weights.get(id) ?? 0, weight));
    }
  };
  add(question, 1);
  const previous = history.at(-1);
  if (previous && (weights.size < 3 || BACK_REFERENCE.test(question))) add(previous.question, 0.5);

  return [...weights].map(([id, weight]) => ({ id, weight }));
}
