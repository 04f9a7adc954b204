import type { Article } from '../article/article.js';
import type { Failure } from '../core/result.js';
import type { AskLine, CheckLine, ErrorLine, ExtractLine, SummarizeLine } from '../core/schema.js';
import type { AnswerResult, Claim, SummarizeOptions, SummaryResult } from '../engines/engine.js';
import type { Quote } from '../grounding/quote.js';
import { splitWords } from '../text/index.js';

/**
 * The version every line carries. The line types (from src/core/schema.ts) hold it to the schema's;
 * the value is not imported from there because that module builds the zod schemas, which a plain
 * run of the command never needs (start-up time).
 */
const SCHEMA_VERSION = 1;

/** The JSON lines the CLI prints under `--json` (shapes in src/core/schema.ts). */
export function extractLine(article: Article): ExtractLine {
  return {
    schemaVersion: SCHEMA_VERSION,
    source: article.source,
    url: article.url,
    canonicalUrl: article.canonicalUrl,
    title: article.title,
    byline: article.byline,
    siteName: article.siteName,
    lang: article.lang,
    publishedTime: article.publishedTime,
    contentHash: article.contentHash,
    text: article.text,
    chars: article.text.length,
    words: splitWords(article.text, article.lang).length,
  };
}

const plainQuote = (q: Quote) => ({ text: q.text, start: q.start, end: q.end });

const plainClaims = (claims: readonly Claim[]) =>
  claims.map((c) => ({ text: c.text, quotes: c.quotes.map(plainQuote) }));

export function summarizeLine(
  article: Article,
  options: SummarizeOptions,
  result: SummaryResult,
): SummarizeLine {
  const { schemaVersion: _, ...articleFields } = extractLine(article);
  return {
    schemaVersion: SCHEMA_VERSION,
    article: articleFields,
    options: { length: options.length, lang: options.lang },
    summary: plainClaims(result.summary),
    keyPoints: plainClaims(result.keyPoints),
    engine: result.engine,
    model: result.model,
    fallback: result.fallback,
    grounding: result.grounding,
    usage: result.usage,
  };
}

export function askLine(article: Article, question: string, result: AnswerResult): AskLine {
  return {
    schemaVersion: SCHEMA_VERSION,
    question,
    article: { contentHash: article.contentHash, chars: article.text.length },
    answerable: result.answerable,
    answer: plainClaims(result.answer),
    nearest: result.nearest.map(plainQuote),
    engine: result.engine,
    model: result.model,
    fallback: result.fallback,
    grounding: result.grounding,
    usage: result.usage,
  };
}

/** The question (`ask`) or claim (`check`) an error line is about, when one of several. */
export interface ErrorAbout {
  readonly question?: string;
  readonly claim?: string;
}

export function errorLine(source: string, error: Failure, about: ErrorAbout = {}): ErrorLine {
  return {
    schemaVersion: SCHEMA_VERSION,
    source,
    ...(about.question === undefined ? {} : { question: about.question }),
    ...(about.claim === undefined ? {} : { claim: about.claim }),
    error: { code: error.code, message: error.message, details: error.details ? { ...error.details } : null },
  };
}

export function checkLine(check: {
  claim: string;
  supported: boolean;
  reasons: readonly string[];
  quotes: readonly { text: string; start: number; end: number }[];
}): CheckLine {
  return {
    schemaVersion: SCHEMA_VERSION,
    claim: check.claim,
    supported: check.supported,
    reasons: [...check.reasons],
    quotes: check.quotes.map((q) => ({ text: q.text, start: q.start, end: q.end })),
  };
}
