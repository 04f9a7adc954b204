import type { Article } from '../article/article.js';
import type { Result } from '../core/result.js';
import type { Quote } from '../grounding/quote.js';

export type SummaryLength = 'short' | 'standard' | 'detailed';
export const SUMMARY_LENGTHS: readonly SummaryLength[] = ['short', 'standard', 'detailed'];

export interface SummarizeOptions {
  readonly length: SummaryLength;
  /** Output language (BCP 47), or null for the article's own language. Quotes stay in the article's language. */
  readonly lang: string | null;
}

/** A statement shown to a user, backed by at least one located quote. */
export interface Claim {
  readonly text: string;
  readonly quotes: readonly Quote[];
}

/**
 * `proposed = verified + dropped`; `verified` counts quotes emitted (in claims and in `nearest`);
 * `repaired <= verified`. `unsupported` counts claims the support check dropped although their
 * quotes were found: those quotes are still shown, as the article's own words.
 */
export interface GroundingCounts {
  readonly proposed: number;
  readonly verified: number;
  readonly dropped: number;
  readonly repaired: number;
  readonly unsupported: number;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Whose daily model budget was spent: the guild's (shared by its members) or one user's. */
export type BudgetScope = 'guild' | 'user';

/** Why a model call was not made for budget reasons, and when the budget resets. */
export interface BudgetNote {
  readonly scope: BudgetScope;
  /** Milliseconds since the epoch (the next UTC midnight). */
  readonly resetsAt: number;
}

/** Set when the requested engine failed and another answered instead. */
export interface Fallback {
  readonly from: string;
  readonly code: string;
  /** Set when `code` is `budget_exhausted`: the model was not called at all. */
  readonly budget?: BudgetNote;
}

export interface EngineInfo {
  readonly engine: string;
  readonly model: string | null;
  readonly fallback: Fallback | null;
  readonly grounding: GroundingCounts;
  readonly usage: Usage;
}

export interface SummaryResult extends EngineInfo {
  readonly summary: readonly Claim[];
  readonly keyPoints: readonly Claim[];
}

export interface AnswerResult extends EngineInfo {
  readonly answerable: boolean;
  /** Empty when not answerable. */
  readonly answer: readonly Claim[];
  /**
   * When not answerable: the passages of the article closest to the question, best first, shown
   * as such and never as an answer (may be empty). Empty when answerable.
   */
  readonly nearest: readonly Quote[];
}

/** One earlier exchange in a follow-up thread, oldest first. */
export interface Turn {
  readonly question: string;
  readonly answer: readonly Claim[];
}

export interface Engine {
  readonly name: string;
  /** The model it asks, or null for an engine without one. Part of result-cache keys. */
  readonly model: string | null;
  /**
   * Changes whenever the same request could get a different result: the prompt files' version for a
   * model engine, the algorithm's for the offline one. Part of result-cache keys.
   */
  readonly version: string;
  summarize(
    article: Article,
    options: SummarizeOptions,
    signal?: AbortSignal,
  ): Promise<Result<SummaryResult>>;
  answer(
    article: Article,
    question: string,
    history: readonly Turn[],
    signal?: AbortSignal,
  ): Promise<Result<AnswerResult>>;
}

export const ZERO_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0 });

/** Counts for quotes that were all located (the extractive engine never proposes anything else). */
export function countsFor(claims: readonly Claim[], nearest: readonly Quote[] = []): GroundingCounts {
  const verified = claims.reduce((n, c) => n + c.quotes.length, 0) + nearest.length;
  return { proposed: verified, verified, dropped: 0, repaired: 0, unsupported: 0 };
}
