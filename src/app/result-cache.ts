import type { Article } from '../article/article.js';
import { articleResultKey, type Cache } from '../core/cache.js';
import { nodeCrypto } from '../core/node-crypto.js';
import type { AnswerResult, Claim, SummaryResult } from '../engines/engine.js';
import { type Quote, revalidateQuote } from '../grounding/index.js';
import type { Logger } from '../log.js';
import type { StoredClaim, StoredQuote } from '../store/store.js';

/** The one cache namespace of computed results (summaries and answers, of every engine). */
export const RESULT_CACHE_NAMESPACE = 'results';

/** Bumped when the shape of cached values changes, so old entries are never read as new ones. */
const RESULT_KEY_VERSION = 2;

/** What decides an engine's output besides the article: part of every result key. */
export interface EngineIdentity {
  /** `Engine.name`, e.g. `openai` or `extractive`. */
  readonly engine: string;
  /** The model asked, or null for an engine without one. */
  readonly model: string | null;
  /** `Engine.version`: the prompt files' version for a model engine, the algorithm's otherwise. */
  readonly version: string;
}

/** A task and its options as the engine receives them (a summary's length and language, a question and its history). */
export type ResultRequest =
  | { readonly task: 'summarize'; readonly length: string; readonly lang: string | null }
  | { readonly task: 'answer'; readonly question: string; readonly history: unknown };

/**
 * The key of a request shared only within this process (`LocalInFlight`, a result nobody keeps): the
 * request with the article's text itself, so that no hash is needed (a command-line summary of a
 * text file then never loads node:crypto).
 */
export function localRequestKey(article: Article, request: ResultRequest, identity: EngineIdentity): string {
  const { engine, model, version } = identity;
  return `${JSON.stringify({ ...request, engine, model, version })}\u0000${article.text}`;
}

/**
 * The cache key of one result: the article's content hash as a prefix (so deleting a pasted text
 * deletes what was computed from it, see `articleResultKey`), then a digest of the task, its
 * options and the engine's identity. A new prompt, model or engine version is a new key: nothing
 * computed by the old one is served.
 */
export function resultKey(article: Article, request: ResultRequest, identity: EngineIdentity): string {
  const digest = nodeCrypto()
    .createHash('sha256')
    .update(
      JSON.stringify({
        v: RESULT_KEY_VERSION,
        contentHash: article.contentHash,
        ...request,
        engine: identity.engine,
        model: identity.model,
        version: identity.version,
      }),
    )
    .digest('hex');
  return articleResultKey(article.contentHash, digest);
}

/**
 * The results cache: summaries and answers by `resultKey`, for `ttlSeconds` (null: until evicted).
 * A value read back is re-checked against the article: any quote that no longer matches the text
 * makes it a miss, so a corrupted or stale entry is recomputed, never shown. A cache that fails is
 * logged and treated as empty: results are recomputable by definition.
 */
export class ResultCache {
  readonly #cache: Cache;
  readonly #ttlSeconds: number | null;
  readonly #log: Logger;

  constructor(cache: Cache, options: { readonly ttlSeconds: number | null; readonly log: Logger }) {
    this.#cache = cache;
    this.#ttlSeconds = options.ttlSeconds;
    this.#log = options.log;
  }

  async summary(key: string, article: Article): Promise<SummaryResult | null> {
    const hit = await this.#get<SummaryResult>(key);
    if (!hit) return null;
    const summary = revalidateAll(article, hit.summary);
    const keyPoints = revalidateAll(article, hit.keyPoints);
    return summary && keyPoints ? { ...hit, summary, keyPoints } : null;
  }

  async answer(key: string, article: Article): Promise<AnswerResult | null> {
    const hit = await this.#get<AnswerResult>(key);
    if (!hit || typeof hit.answerable !== 'boolean') return null;
    const answer = revalidateAll(article, hit.answer);
    const nearest = revalidateQuotes(article, hit.nearest ?? []);
    return answer && nearest ? { ...hit, answer, nearest } : null;
  }

  async put(key: string, value: SummaryResult | AnswerResult): Promise<void> {
    await this.#cache
      .put(RESULT_CACHE_NAMESPACE, key, value, this.#ttlSeconds)
      .catch((err: unknown) => this.#log.warn({ err }, 'result cache write failed'));
  }

  async delete(key: string): Promise<void> {
    await this.#cache
      .delete(RESULT_CACHE_NAMESPACE, key)
      .catch((err: unknown) => this.#log.warn({ err }, 'result cache delete failed'));
  }

  async #get<T>(key: string): Promise<T | null> {
    const hit = await this.#cache.get<T | null>(RESULT_CACHE_NAMESPACE, key).catch((err: unknown) => {
      this.#log.warn({ err }, 'result cache read failed');
      return undefined;
    });
    return hit && typeof hit === 'object' ? hit : null;
  }
}

/** Stored quotes that all still match the article; null if any does not. */
function revalidateQuotes(article: Article, stored: readonly StoredQuote[]): Quote[] | null {
  if (!Array.isArray(stored)) return null;
  const quotes = stored.map((q) => revalidateQuote(article.text, q));
  return quotes.every((q): q is Quote => q !== null) ? quotes : null;
}

/** Stored claims whose every quote still matches the article; null if any does not. */
export function revalidateAll(article: Article, claims: readonly StoredClaim[] | undefined): Claim[] | null {
  if (!Array.isArray(claims)) return null;
  const out: Claim[] = [];
  for (const claim of claims) {
    if (typeof claim?.text !== 'string' || !Array.isArray(claim.quotes)) return null;
    const quotes = claim.quotes.map((q: StoredQuote) => revalidateQuote(article.text, q));
    if (quotes.length === 0 || quotes.some((q: Quote | null) => q === null)) return null;
    out.push({ text: claim.text, quotes: quotes.filter((q: Quote | null): q is Quote => q !== null) });
  }
  return out;
}
