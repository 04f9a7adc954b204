import type { Article } from '../article/article.js';
import { failureKind, ok, type Result } from '../core/result.js';
import {
  type AnswerResult,
  type Engine,
  type SummarizeOptions,
  type SummaryResult,
  type Turn,
  ZERO_USAGE,
} from '../engines/engine.js';
import type { Logger } from '../log.js';
import { type EngineIdentity, localRequestKey, type ResultCache, resultKey } from './result-cache.js';

/**
 * Identical requests share one computation while it runs: the second asker waits for the first's
 * result instead of starting its own. In memory here (one process); `SharedInFlight` does it across
 * worker processes (a PostgreSQL advisory lock per key, then the shared result cache), which is why
 * the work given to `share` starts by reading the result cache.
 */
export interface InFlight {
  share<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** One process's requests in flight, by key. */
export class LocalInFlight implements InFlight {
  readonly #running = new Map<string, Promise<unknown>>();

  share<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running as Promise<T>;
    const started = work().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }
}

/** A result, and whether it came from the result cache (then its usage is zero: no model was asked). */
export interface Ran<T> {
  readonly value: T;
  readonly fromCache: boolean;
  /** The summary is in the article's language, not the one asked for: the offline engine answered. */
  readonly languageDropped: boolean;
}

export interface EngineRunnerOptions {
  /** The configured engine: the model engine, or the offline one. */
  readonly primary: Engine;
  /** The offline engine: requests over budget, and the fallback when the model fails. */
  readonly offline: Engine;
  /** Where results are kept; null keeps nothing (the CLI's --no-cache). */
  readonly results: ResultCache | null;
  /** Keep the offline engine's summaries too (the bot: one is shown to many); a model's always are. */
  readonly cacheOfflineSummaries: boolean;
  /**
   * Shares identical requests whose results are kept (default: this process's, `LocalInFlight`);
   * requests whose results are not kept are always shared in this process only.
   */
  readonly inFlight?: InFlight;
  readonly log: Logger;
}

/** Which engine a call asks: the configured one (falling back when it fails), or the offline one. */
export interface RunOptions {
  readonly engine?: 'primary' | 'offline';
  readonly signal?: AbortSignal | undefined;
  /**
   * When the model fails on a summary in another language, fall back to a summary in the article's
   * own (the offline engine cannot translate; `languageDropped` says so). Otherwise the failure stands.
   */
  readonly fallBackToArticleLanguage?: boolean;
}

/**
 * Runs engine work the same way for the bot and the CLI, for summaries and answers alike: one
 * result cache (keys carry engine, model, prompt version and options; cached values are re-checked
 * against the article), identical requests in flight shared, and the offline engine (in the worker
 * pool for the bot) answering when the model fails upstream (rate limits, bad key, timeouts…),
 * with `fallback` saying why. A fallback's result is not kept: the next request tries the model again.
 * The engines themselves only prompt, map-reduce, retrieve and ground.
 */
export class EngineRunner {
  readonly primary: Engine;
  readonly offline: Engine;
  readonly #options: EngineRunnerOptions;
  readonly #inFlight: InFlight;
  readonly #local = new LocalInFlight();

  constructor(options: EngineRunnerOptions) {
    this.#options = options;
    this.primary = options.primary;
    this.offline = options.offline;
    this.#inFlight = options.inFlight ?? this.#local;
  }

  /** Whether the configured engine is a model (not the offline engine itself). */
  get usesModel(): boolean {
    return this.primary !== this.offline;
  }

  /** The result-cache key of a summary by the configured engine. */
  summaryKey(article: Article, options: SummarizeOptions): string {
    return resultKey(article, { task: 'summarize', ...options }, identityOf(this.primary));
  }

  /** The configured engine's summary from the result cache, re-checked against the article; null on a miss. */
  async cachedSummary(article: Article, options: SummarizeOptions): Promise<SummaryResult | null> {
    if (!this.#cachesSummaries(this.primary)) return null;
    const hit = await this.#options.results?.summary(this.summaryKey(article, options), article);
    return hit ? { ...hit, usage: ZERO_USAGE } : null;
  }

  async summarize(
    article: Article,
    options: SummarizeOptions,
    run: RunOptions = {},
  ): Promise<Result<Ran<SummaryResult>>> {
    if (run.engine === 'offline' && this.usesModel) {
      const r = await this.offline.summarize(article, options, run.signal);
      return r.ok ? ok({ value: r.value, fromCache: false, languageDropped: false }) : r;
    }
    const engine = this.primary;
    const cached = this.#cachesSummaries(engine);
    const request = { task: 'summarize', ...options } as const;
    const key = (cached ? resultKey : localRequestKey)(article, request, identityOf(engine));
    return (cached ? this.#inFlight : this.#local).share(
      `${key}|${run.fallBackToArticleLanguage ? 'any' : 'same'}-language`,
      async () => {
        if (cached) {
          const hit = await this.#options.results?.summary(key, article);
          if (hit)
            return ok({ value: { ...hit, usage: ZERO_USAGE }, fromCache: true, languageDropped: false });
        }
        const result = await engine.summarize(article, options, run.signal);
        if (result.ok) {
          if (cached) await this.#options.results?.put(key, result.value);
          return ok({ value: result.value, fromCache: false, languageDropped: false });
        }
        if (!this.#canFallBack(result.error.code, run.signal)) return result;
        const dropLanguage = options.lang !== null && run.fallBackToArticleLanguage === true;
        const fallback = await this.#fallBack(result.error.code, () =>
          this.offline.summarize(article, dropLanguage ? { ...options, lang: null } : options, run.signal),
        );
        return fallback.ok
          ? ok({ value: fallback.value, fromCache: false, languageDropped: dropLanguage })
          : result;
      },
    );
  }

  async answer(
    article: Article,
    question: string,
    history: readonly Turn[],
    run: RunOptions = {},
  ): Promise<Result<Ran<AnswerResult>>> {
    if (run.engine === 'offline' && this.usesModel) {
      const r = await this.offline.answer(article, question, history, run.signal);
      return r.ok ? ok({ value: r.value, fromCache: false, languageDropped: false }) : r;
    }
    const engine = this.primary;
    // A model's answers are kept; the offline engine's cost less to recompute than to store.
    const results = engine.model !== null ? this.#options.results : null;
    const request = {
      task: 'answer',
      question: question.trim(),
      history: history.map((t) => ({ q: t.question, a: t.answer.map((c) => c.text) })),
    } as const;
    const key = (results ? resultKey : localRequestKey)(article, request, identityOf(engine));
    return (results ? this.#inFlight : this.#local).share(key, async () => {
      const hit = await results?.answer(key, article);
      if (hit) return ok({ value: { ...hit, usage: ZERO_USAGE }, fromCache: true, languageDropped: false });
      const result = await engine.answer(article, question, history, run.signal);
      if (result.ok) {
        await results?.put(key, result.value);
        return ok({ value: result.value, fromCache: false, languageDropped: false });
      }
      if (!this.#canFallBack(result.error.code, run.signal)) return result;
      const fallback = await this.#fallBack(result.error.code, () =>
        this.offline.answer(article, question, history, run.signal),
      );
      return fallback.ok ? ok({ value: fallback.value, fromCache: false, languageDropped: false }) : result;
    });
  }

  /** A model's results are always kept; the offline engine's summaries when configured. */
  #cachesSummaries(engine: Engine): boolean {
    return this.#options.results !== null && (engine.model !== null || this.#options.cacheOfflineSummaries);
  }

  #canFallBack(code: Parameters<typeof failureKind>[0], signal: AbortSignal | undefined): boolean {
    return this.usesModel && failureKind(code) === 'upstream' && !signal?.aborted;
  }

  async #fallBack<T extends SummaryResult | AnswerResult>(
    code: Parameters<typeof failureKind>[0],
    run: () => Promise<Result<T>>,
  ): Promise<Result<T>> {
    this.#options.log.info({ code, fallback: this.offline.name }, 'model failed; using the offline engine');
    const r = await run();
    return r.ok ? ok({ ...r.value, fallback: { from: this.primary.name, code } }) : r;
  }
}

function identityOf(engine: Engine): EngineIdentity {
  return { engine: engine.name, model: engine.model, version: engine.version };
}
