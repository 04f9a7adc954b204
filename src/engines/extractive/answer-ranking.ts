import { MAX_QUOTE_CHARS } from '../../grounding/index.js';
import {
  type Bm25Index,
  bm25Idf,
  bm25Scores,
  buildBm25Index,
  expectedAnswerType,
  foldWord,
  holdsAnswerType,
  negationMismatch,
  normalizeTerm,
  primaryLanguage,
  questionLanguage,
  questionWordsFor,
  type Segment,
  splitWords,
  type TermRules,
  termRules,
} from '../../text/index.js';
import type { Turn } from '../engine.js';
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
 * Two adjacent sentences are offered as one quote when together they are this much more confident
 * than the better alone (an answer split across sentences: the question's words in one, the date
 * it asks for in the next).
 */
const WINDOW_GAIN = 0.3;

/**
 * Candidates are ordered by their score raised by up to this share for how close together the
 * question's words stand in the sentence (see `proximity`): of two sentences holding the same words,
 * the one that says them together is more likely the one that answers. Only the order: the score
 * the answer and closest-passage ratios compare stays without it (raising the best alone hid the
 * second closest passage). Chosen on the calibration halves (SQuAD 2.0: 0 → 0.15 → 0.3 gave answered
 * right 24.0 → 24.4 → 24.5%, wrongly 5.7 → 5.4 → 5.4%, any shown quote right 77.4 → 77.1 → 76.9%;
 * XQuAD at 0.15: shown quotes unchanged within 0.01 in all 12 languages).
 */
const PROXIMITY_WEIGHT = 0.15;

/**
 * An answer-bearing sentence with its retrieval score and a confidence in [0, 1]: the share of the
 * question's IDF mass the sentence holds, halved when it lacks the kind of thing the question asks
 * for (a number, a date, a person) and halved when the question asks what is *not* so and the
 * sentence negates nothing.
 */
export interface AnswerCandidate {
  /** The (first) sentence of the answer. */
  readonly sentence: number;
  /** Its last sentence: `sentence`, or the next one when two adjacent sentences answer together. */
  readonly last: number;
  /** The span quoted: from the first sentence's start to the last's end. */
  readonly seg: Segment;
  readonly score: number;
  readonly confidence: number;
  /** Offsets in the article text where the question's terms occur in this sentence. */
  readonly focus: readonly number[];
}

/** BM25 statistics over the article's answerable sentences, built once per article. */
export interface AnswerIndex {
  /** Sentence indexes that can answer: not clutter, not a heading or question, with some content. */
  readonly units: readonly number[];
  /** BM25 over the units' term ids (document k is `units[k]`). */
  readonly bm25: Bm25Index<number>;
  readonly paragraphOf: Int32Array;
  readonly paragraphTerms: ReadonlyArray<ReadonlySet<number>>;
}

export function buildAnswerIndex(analysis: ArticleAnalysis): AnswerIndex {
  const units: number[] = [];
  analysis.sentences.forEach((s, i) => {
    if (!s.clutter && !s.question && !s.heading && s.terms.length > 0 && !(s.fragment && s.wordCount < 6)) {
      units.push(i);
    }
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

/** The question words of `rules`' language as terms (`named` and `name` alike). */
function questionTermsFor(rules: TermRules): ReadonlySet<string> {
  const out = new Set<string>();
  for (const w of questionWordsFor(rules.lang)) {
    const term = normalizeTerm(w, rules);
    if (term !== null) out.add(term);
  }
  return out;
}

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

  const asked = questionLanguage(question, analysis.lang);
  const type = expectedAnswerType(question, asked);
  const units = index.units;
  const confidenceOf = (terms: ReadonlySet<number>, text: string) =>
    coverage((id) => terms.has(id)) *
    (type === null || holdsAnswerType(text, type, question, analysis.lang) ? 1 : 0.5) *
    (negationMismatch(question, text) ? 0.5 : 1);
  const out: Array<AnswerCandidate & { readonly rank: number }> = [];
  for (const { u, score } of scored.slice(0, RERANK_DEPTH)) {
    const sentence = units[u] as number;
    const info = analysis.sentences[sentence] as SentenceInfo;
    const single = confidenceOf(new Set(info.terms), info.seg.text);
    let best = { first: sentence, last: sentence, confidence: single };
    for (const [a, b] of [
      [u - 1, u],
      [u, u + 1],
    ] as const) {
      const first = units[a];
      const last = units[b];
      if (first === undefined || last === undefined || last !== first + 1) continue;
      if (index.paragraphOf[a] !== index.paragraphOf[b]) continue;
      const x = analysis.sentences[first] as SentenceInfo;
      const y = analysis.sentences[last] as SentenceInfo;
      if (y.seg.end - x.seg.start > MAX_QUOTE_CHARS) continue;
      const text = analysis.text.slice(x.seg.start, y.seg.end);
      const confidence = confidenceOf(new Set([...x.terms, ...y.terms]), text);
      if (confidence >= best.confidence + WINDOW_GAIN) best = { first, last, confidence };
    }
    const first = (analysis.sentences[best.first] as SentenceInfo).seg;
    const end = (analysis.sentences[best.last] as SentenceInfo).seg.end;
    const weighed = score * (CONFIDENCE_FLOOR + (1 - CONFIDENCE_FLOOR) * best.confidence);
    out.push({
      sentence: best.first,
      last: best.last,
      seg: { start: first.start, end, text: analysis.text.slice(first.start, end) },
      score: weighed,
      rank: weighed * (1 + PROXIMITY_WEIGHT * proximity(info.terms, own, idf)),
      confidence: best.confidence,
      focus: [],
    });
  }
  out.sort((a, b) => b.rank - a.rank || a.sentence - b.sentence);
  const ids = new Set(query.map((q) => q.id));
  return out.slice(0, limit).map(({ rank: _rank, ...c }) => {
    if (c.seg.text.length <= MAX_QUOTE_CHARS) return c;
    const focus = splitWords(c.seg.text, analysis.lang)
      .filter((w) => ids.has(analysis.vocabulary.get(normalizeTerm(w.text, analysis.rules) ?? '') ?? -1))
      .map((w) => c.seg.start + w.start);
    return { ...c, focus };
  });
}

/**
 * How close together the question's own terms stand in a sentence, in [0, 1]: over every pair of
 * distinct question terms the sentence holds, 1 / (their nearest distance in content words),
 * averaged with each pair weighed by its commoner term's IDF (a pair is as telling as its commoner
 * word). 0 when the sentence holds fewer than two of them. `terms` is the sentence's term
 * ids in reading order (stop words left out), so neighbours across a stop word are adjacent.
 */
function proximity(
  terms: readonly number[],
  question: readonly { readonly id: number }[],
  idf: (id: number) => number,
): number {
  const wanted = new Set(question.map((q) => q.id));
  const positions = new Map<number, number[]>();
  terms.forEach((id, at) => {
    if (!wanted.has(id)) return;
    const list = positions.get(id);
    if (list) list.push(at);
    else positions.set(id, [at]);
  });
  const found = [...positions];
  if (found.length < 2) return 0;
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < found.length; i++) {
    for (let j = i + 1; j < found.length; j++) {
      const [a, atA] = found[i] as [number, number[]];
      const [b, atB] = found[j] as [number, number[]];
      let nearest = Number.POSITIVE_INFINITY;
      for (const x of atA) for (const y of atB) nearest = Math.min(nearest, Math.abs(x - y));
      const weight = Math.min(idf(a), idf(b));
      sum += weight / nearest;
      weights += weight;
    }
  }
  return weights > 0 ? sum / weights : 0;
}

/**
 * The question's terms as the article's vocabulary knows them. The question is read in its own
 * language (`questionLanguage`): its question words and stop words are dropped, and what is left is
 * folded and stemmed by the article's rules, so a question in English about a German article still
 * finds the names, numbers and words the two share.
 */
function queryTerms(analysis: ArticleAnalysis, question: string, history: readonly Turn[]): QueryTerm[] {
  const unknown = new Map<string, number>();
  const weights = new Map<number, number>();
  const add = (text: string, weight: number) => {
    const asked = questionLanguage(text, analysis.lang);
    const rules = primaryLanguage(asked) === analysis.rules.primary ? analysis.rules : termRules(asked);
    const skip = questionTermsFor(rules);
    for (const word of splitWords(text, asked)) {
      const folded = foldWord(word.text, rules.primary);
      if (rules.stopWords.has(folded) || skip.has(normalizeTerm(word.text, rules) ?? '')) continue;
      const term = normalizeTerm(word.text, analysis.rules);
      if (term === null) continue;
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
