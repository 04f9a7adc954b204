import type { Article } from '../../article/article.js';
import { fail, ok, type Result } from '../../core/result.js';
import type { Quote } from '../../grounding/index.js';
import { guessLanguage } from '../../text/index.js';
import {
  type AnswerResult,
  type Claim,
  countsFor,
  type Engine,
  type EngineInfo,
  type SummarizeOptions,
  type SummaryResult,
  type Turn,
  ZERO_USAGE,
} from '../engine.js';
import { type AnswerIndex, buildAnswerIndex, rankAnswers } from './answer-ranking.js';
import { type ArticleAnalysis, analyzeArticle, type SentenceInfo } from './article-analysis.js';
import { chooseKeySentences } from './key-sentences.js';
import { sentenceClaim } from './sentence-claim.js';

export const EXTRACTIVE_ENGINE_NAME = 'extractive';

/** Bump when a change to the algorithm changes summaries or answers, so cached ones are recomputed. */
export const EXTRACTIVE_ENGINE_VERSION = '2';

/**
 * Confidence of the best sentence (see AnswerCandidate) below which the engine says the article
 * doesn't say. Calibrated by `npm run eval:qa` on half of SQuAD 2.0's articles (questions asked of
 * whole articles); the other half reports how well it holds.
 */
export const ANSWER_THRESHOLD = 0.82;

/** A second answer sentence is added only when it scores this close to the best one. */
const SECOND_ANSWER_RATIO = 0.9;

/**
 * When the article does not answer: how many closest passages are shown, the second only when it
 * scores at least this share of the best. Chosen by `npm run eval:languages` on XQuAD's calibration
 * half (a shown passage holding the answer) against how much a reader is asked to read.
 */
const NEAREST_PASSAGES = 2;
const NEAREST_RATIO = 0.5;

/** Articles analysed recently (by text and language), per engine: follow-up questions reuse the work. */
const ANALYSIS_CACHE_ENTRIES = 16;

interface Prepared {
  readonly analysis: ArticleAnalysis;
  answerIndex: AnswerIndex | null;
}

/**
 * The offline engine: deterministic, no model, no network. Summaries and key points are the
 * article's own central sentences (LexRank + position + MMR); answers are the sentences BM25 ranks
 * best, or "not answerable" below a calibrated confidence. It cannot translate.
 */
export function createExtractiveEngine(): Engine {
  const prepared = new Map<string, Prepared>();

  const prepare = (article: Article): Prepared => {
    // The text itself, not its hash: a run that reads no `contentHash` never loads node:crypto.
    const key = `${article.lang ?? ''}\u0000${article.text}`;
    let entry = prepared.get(key);
    if (entry) {
      prepared.delete(key);
    } else {
      entry = { analysis: analyzeArticle(article), answerIndex: null };
      while (prepared.size >= ANALYSIS_CACHE_ENTRIES) {
        const oldest = prepared.keys().next().value;
        if (oldest === undefined) break;
        prepared.delete(oldest);
      }
    }
    prepared.set(key, entry);
    return entry;
  };

  return {
    name: EXTRACTIVE_ENGINE_NAME,
    model: null,
    version: EXTRACTIVE_ENGINE_VERSION,

    async summarize(article, options, signal) {
      const refused = checkRequest(article, signal) ?? checkLanguage(article, options);
      if (refused) return refused;
      const { analysis } = prepare(article);
      const chosen = chooseKeySentences(analysis, options.length);
      const summary = claimsFor(analysis, chosen.summary);
      if (summary.length === 0) {
        return fail('not_an_article', 'The text has no sentences to summarize.', {
          chars: article.text.length,
        });
      }
      const keyPoints = claimsFor(analysis, chosen.keyPoints);
      return ok({ ...info([...summary, ...keyPoints]), summary, keyPoints } satisfies SummaryResult);
    },

    async answer(article, question, history, signal) {
      const refused = checkRequest(article, signal);
      if (refused) return refused;
      if (question.trim() === '') return fail('bad_usage', 'Ask a question about the article.');
      const entry = prepare(article);
      entry.answerIndex ??= buildAnswerIndex(entry.analysis);
      const { answer, nearest } = answerClaims(entry.analysis, entry.answerIndex, question, history);
      return ok({
        ...info(answer, nearest),
        answerable: answer.length > 0,
        answer,
        nearest,
      } satisfies AnswerResult);
    },
  };
}

/**
 * The answer: the best candidate when it is confident enough (and a second close to it), else no
 * answer and the closest passages instead. Overlapping candidates are shown once.
 */
function answerClaims(
  analysis: ArticleAnalysis,
  index: AnswerIndex,
  question: string,
  history: readonly Turn[],
): { answer: Claim[]; nearest: Quote[] } {
  const ranked = rankAnswers(analysis, index, question, history);
  const [best] = ranked;
  if (!best) return { answer: [], nearest: [] };
  const distinct = ranked.filter(
    (c, i) => i === 0 || !ranked.slice(0, i).some((p) => p.seg.start < c.seg.end && c.seg.start < p.seg.end),
  );
  if (best.confidence < ANSWER_THRESHOLD) {
    const nearest = distinct
      .slice(0, NEAREST_PASSAGES)
      .filter((c) => c.score >= NEAREST_RATIO * best.score)
      .flatMap((c) => sentenceClaim(analysis.text, c.seg, c.focus)?.quotes.slice(0, 1) ?? []);
    return { answer: [], nearest };
  }
  const picked = [best];
  const second = distinct[1];
  if (second && second.score >= SECOND_ANSWER_RATIO * best.score && second.confidence >= ANSWER_THRESHOLD) {
    picked.push(second);
  }
  const answer = picked.flatMap((c) => {
    const claim = sentenceClaim(analysis.text, c.seg, c.focus);
    return claim ? [claim] : [];
  });
  return { answer, nearest: [] };
}

function claimsFor(analysis: ArticleAnalysis, sentences: readonly number[]): Claim[] {
  return sentences.flatMap((i) => {
    const claim = sentenceClaim(analysis.text, sentenceOf(analysis, i).seg);
    return claim ? [claim] : [];
  });
}

function sentenceOf(analysis: ArticleAnalysis, i: number): SentenceInfo {
  const s = analysis.sentences[i];
  if (!s) throw new Error(`sentence ${i} out of range`);
  return s;
}

/** What every extractive result carries besides its claims: no model, no usage, all quotes located. */
function info(claims: readonly Claim[], nearest: readonly Quote[] = []): EngineInfo {
  return {
    engine: EXTRACTIVE_ENGINE_NAME,
    model: null,
    fallback: null,
    grounding: countsFor(claims, nearest),
    usage: ZERO_USAGE,
  };
}

function checkRequest(article: Article, signal: AbortSignal | undefined): Result<never> | null {
  if (signal?.aborted) return fail('timeout', 'The request was cancelled before it finished.');
  if (article.text.trim() === '') return fail('empty_input', 'The article has no text.');
  return null;
}

/** Quotes stay in the article's language and this engine writes nothing else: no translation. */
function checkLanguage(article: Article, options: SummarizeOptions): Result<never> | null {
  if (options.lang === null) return null;
  const wanted = primaryTag(options.lang);
  const have = primaryTag(article.lang ?? guessLanguage(article.text) ?? '');
  if (wanted === have) return null;
  return fail(
    'unsupported_option',
    'The offline engine cannot translate; drop the language option or use the model engine.',
    { lang: options.lang, articleLang: article.lang },
  );
}

function primaryTag(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/u)[0] ?? '';
}
