import type { Article } from '../article/article.js';
import type { WorkerPool } from '../article/worker/index.js';
import type { Config } from '../config.js';
import { failureKind, ok, type ReasonCode, type Result } from '../core/result.js';
import {
  type AnswerResult,
  type Claim,
  type Engine,
  type SummaryLength,
  type SummaryResult,
  type Turn,
  type Usage,
  ZERO_USAGE,
} from '../engines/engine.js';
import type { Prompts } from '../engines/openai/prompts.js';
import { defaultEngineChoice, selectEngine } from '../engines/select.js';
import { revalidateQuote } from '../grounding/index.js';
import type { Logger } from '../log.js';
import type { GuildSettings, Store, StoredClaim, StoredQuote, ThreadRecord } from '../store/store.js';
import { guessLanguage } from '../text/index.js';
import {
  type Admission,
  BudgetLedger,
  DM_GUILD_ID,
  estimateAnswerTokens,
  estimateSummaryTokens,
  type Requester,
  type UsageReport,
} from './budget.js';
import { ConcurrencyGate } from './gate.js';
import { type LoadedArticle, loadArticle, type SourceSpec } from './load-article.js';
import { loadUpload } from './load-upload.js';
import { createPooledExtractiveEngine } from './pooled-engine.js';
import { ResultCache, resultKey } from './result-cache.js';
import { fetchOptionsFrom } from './wiring.js';
import type { AppJobs } from './worker-jobs.js';

/** A few paragraphs of plain prose for `warmUp`. */
const WARM_UP_TEXT = [
  'The town council met on Monday evening to discuss the new library, which has been planned for several years and is expected to open next spring.',
  'Residents asked whether the library would have longer opening hours, and the council said it would study the question before the budget vote in March.',
  'The architect said the building would use less energy than the old one, because of better insulation and solar panels on the roof.',
].join('\n\n');

/** Steps a request goes through, reported so an adapter can show the slow ones. */
export type Step = 'fetching' | 'reading' | 'waiting' | 'summarizing' | 'answering';

export interface SummaryRequest {
  readonly source: SourceSpec;
  readonly length: SummaryLength;
  /** The reader's language (BCP 47, e.g. a Discord locale `pt-BR`), or null for the article's own. */
  readonly lang: string | null;
  /** Who asks, for the daily model budgets; null: nobody's (the CLI, tests), no budget applies. */
  readonly requester: Requester | null;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: Step) => void;
  /** Called once the article is loaded (or could not be): whether it came from the store. */
  readonly onLoaded?: (loaded: { readonly fromCache: boolean } | { readonly failure: ReasonCode }) => void;
  /**
   * Fetch a link again (the Refresh button): the stored copy is used only when it was fetched less
   * than `REFRESH_MIN_INTERVAL_SECONDS` ago, so pressing Refresh repeatedly never hammers a site.
   */
  readonly refresh?: boolean;
  /** Called once the article is in the store, where it can be loaded again by its hash. */
  readonly onStored?: (article: Article) => void;
}

/** Set when a summary is not in the language asked for: the offline engine cannot translate. */
export interface LanguageNote {
  readonly wanted: string;
  /** The article's language (primary tag), or null when unknown. */
  readonly used: string | null;
}

export interface SummaryOutcome {
  readonly article: Article;
  readonly result: SummaryResult;
  /** Identifies this summary (article, task, options, engine, model, prompts) in the result cache. */
  readonly requestKey: string;
  readonly language: LanguageNote | null;
  readonly articleFromCache: boolean;
  readonly summaryFromCache: boolean;
  /**
   * When a link's page was fetched (ms since epoch): earlier than now when the stored copy was
   * used, so a cached summary shows the original fetch time. Null for pasted text and files.
   */
  readonly fetchedAt: number | null;
}

/** A follow-up conversation: what the store keeps for a summary, and the article it is about. */
export interface Conversation {
  readonly record: ThreadRecord;
  /** Null when the article is no longer stored (it is kept while its thread exists, so: a bug or a purge). */
  readonly article: Article | null;
}

export interface ServiceOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly store: Store;
  readonly pool: WorkerPool<AppJobs>;
  /** The configured engine: the model engine (falling back by itself) or the offline one. */
  readonly engine: Engine;
  /** The offline engine, for requests the model failed that only it could serve (translations). */
  readonly offline: Engine;
  readonly now?: () => number;
}

/**
 * What the bot (or any other front end) asks of Verbatim, with no knowledge of Discord: summarize a
 * source, keep the conversation a summary starts, answer follow-up questions from the ARTICLE with
 * the conversation's recent turns, forget a conversation. Engine work passes one gate shared by all
 * users (`busy` beyond it); summaries are kept by request key so a repeated request costs nothing.
 */
export class VerbatimService {
  readonly store: Store;
  readonly engine: Engine;
  readonly #options: ServiceOptions;
  readonly #gate: ConcurrencyGate;
  readonly #now: () => number;
  readonly #budget: BudgetLedger;
  readonly #results: ResultCache;

  constructor(options: ServiceOptions) {
    this.#options = options;
    this.store = options.store;
    this.engine = options.engine;
    this.#gate = new ConcurrencyGate(options.config.ENGINE_MAX_ACTIVE, options.config.ENGINE_MAX_WAITING);
    this.#now = options.now ?? Date.now;
    this.#budget = new BudgetLedger(options.store, options.config, this.#now);
    this.#results = new ResultCache(options.store.cache, {
      ttlSeconds: options.config.CACHE_TTL_SECONDS || null,
      log: options.log,
    });
  }

  /** Whether requests go to a model (and so count against budgets), not only to the offline engine. */
  get usesModel(): boolean {
    return this.engine !== this.#options.offline;
  }

  /** Today's model usage, limits and reset time for a requester (and their guild). */
  usageToday(who: Requester): Promise<UsageReport> {
    return this.#budget.report(who);
  }

  /**
   * Changes a guild's daily limits (`undefined` keeps a value, null restores the operator's default)
   * and returns what is now in force. Values above the operator's are kept as asked but cut to it
   * when read, so `sources` says `ceiling` for them.
   */
  async setGuildBudget(
    guildId: string,
    change: { readonly dailyTokens?: number | null; readonly memberDailyTokens?: number | null },
    by: string,
  ): Promise<{ readonly settings: GuildSettings; readonly report: UsageReport }> {
    const current = await this.store.getGuildSettings(guildId);
    const settings: GuildSettings = {
      guildId,
      dailyTokens: change.dailyTokens === undefined ? (current?.dailyTokens ?? null) : change.dailyTokens,
      memberDailyTokens:
        change.memberDailyTokens === undefined
          ? (current?.memberDailyTokens ?? null)
          : change.memberDailyTokens,
      updatedBy: by,
      updatedAt: this.#now(),
    };
    await this.store.putGuildSettings(settings);
    return { settings, report: await this.#budget.report({ guildId, userId: by }) };
  }

  async summarize(request: SummaryRequest): Promise<Result<SummaryOutcome>> {
    const { config, store } = this.#options;
    const loaded = await this.#load(request);
    request.onLoaded?.(loaded.ok ? { fromCache: loaded.value.fromCache } : { failure: loaded.error.code });
    if (!loaded.ok) return loaded;
    const { article, fromCache } = loaded.value;
    const fetchedAt = request.source.kind === 'url' ? loaded.value.fetchedAt : null;
    if (request.source.kind !== 'url' && !(await store.getArticle(article.contentHash))) {
      // Links are stored by loadArticle; pasted text and files are stored here so that the
      // conversation can load the article by hash later, across restarts. The same text already
      // stored (say, fetched from its page) keeps its richer metadata: storing refreshes it.
      await store.putArticle(article, { requestUrl: null, canonicalUrl: null, fetchedAt: this.#now() });
    }
    request.onStored?.(article);

    const plan = languagePlan(article, request.lang, this.engine.name === this.#options.offline.name);
    const requestKey = resultKey(
      article,
      { task: 'summarize', length: request.length, lang: plan.lang },
      { engine: this.engine.name, model: this.engine.model, version: this.engine.version },
    );
    const cached = await this.#cachedSummary(requestKey, article);
    if (cached) {
      return ok({
        article,
        result: cached,
        requestKey,
        language: plan.note,
        articleFromCache: fromCache,
        summaryFromCache: true,
        fetchedAt,
      });
    }

    const admission = await this.#admit(request.requester, () =>
      estimateSummaryTokens(article, request.length, config.OPENAI_CONTEXT_CHARS),
    );
    // Over a budget: the model is not called; the offline engine answers in the article's language.
    const overBudget = admission !== null && !admission.ok;
    const engine = overBudget ? this.#options.offline : this.engine;
    const used = overBudget ? languagePlan(article, request.lang, true) : plan;
    const options = { length: request.length, lang: used.lang };
    let result: Result<SummaryResult>;
    try {
      result = await this.#gate.run(
        () => {
          request.onStep?.('summarizing');
          return engine.summarize(article, options, request.signal);
        },
        () => request.onStep?.('waiting'),
      );
      if (admission?.ok && request.requester && result.ok) {
        await this.#recordUsage(request.requester, result.value.usage);
      }
    } finally {
      if (admission?.ok) admission.permit.release();
    }
    let language = used.note;
    if (overBudget && result.ok) {
      result = ok({
        ...result.value,
        fallback: { from: this.engine.name, code: 'budget_exhausted', budget: admission.note },
      });
    }
    if (
      !overBudget &&
      !result.ok &&
      plan.lang !== null &&
      this.#canFallBack(result.error.code, request.signal)
    ) {
      // The model engine's own fallback refuses to translate; answer in the article's language.
      const failed = result.error.code;
      const offline = await this.#options.offline.summarize(
        article,
        { ...options, lang: null },
        request.signal,
      );
      if (offline.ok) {
        result = ok({ ...offline.value, fallback: { from: this.engine.name, code: failed } });
        language = { wanted: plan.lang, used: articleLanguage(article) };
      }
    }
    if (!result.ok) return result;
    if (result.value.fallback === null) {
      // A fallback result is not kept: the next request should try the model again.
      await this.#results.put(requestKey, result.value);
    }
    return ok({
      article,
      result: result.value,
      requestKey,
      language,
      articleFromCache: fromCache,
      summaryFromCache: false,
      fetchedAt,
    });
  }

  /**
   * Runs the summary path once on a small built-in text, without storing anything: every worker
   * starts and loads its parsers and the offline engine, and the main thread compiles what the first
   * requests would otherwise compile while other users wait for their acknowledgement.
   */
  async warmUp(): Promise<{ readonly article: Article; readonly result: SummaryResult } | null> {
    const html = `<html><head><title>Warm-up</title></head><body><article>${WARM_UP_TEXT.split('\n\n')
      .map((p) => `<p>${p}</p>`)
      .join('')}</article></body></html>`;
    const jobs = Array.from({ length: this.#options.config.WORKER_THREADS }, async () => {
      const article = await loadUpload(
        {
          bytes: new TextEncoder().encode(html),
          filename: 'warm-up.html',
          contentType: 'text/html',
          meta: { source: 'warm-up' },
        },
        this.#options.pool,
      );
      if (!article.ok) return null;
      const result = await this.#options.offline.summarize(article.value, { length: 'standard', lang: null });
      return result.ok ? { article: article.value, result: result.value } : null;
    });
    return (await Promise.all(jobs)).find((j) => j !== null) ?? null;
  }

  /** Starts (or updates) the conversation a summary opens. */
  openConversation(record: ThreadRecord): Promise<void> {
    return this.store.putThread(record);
  }

  /**
   * The conversation most recently started in a channel — a summary posted inside a thread or forum
   * post, which opens no thread of its own — or null.
   */
  async latestConversationIn(channelId: string): Promise<Conversation | null> {
    const record = await this.store.latestThreadIn(channelId);
    return record ? this.conversation(record.threadId) : null;
  }

  /** The conversation with this id and its article, or null if there is none. */
  async conversation(id: string): Promise<Conversation | null> {
    const record = await this.store.getThread(id);
    if (!record) return null;
    const stored = await this.store.getArticle(record.articleHash);
    return { record, article: stored?.article ?? null };
  }

  /**
   * Answers a follow-up question from the conversation's ARTICLE (never from its summary), with the
   * last `DISCORD_HISTORY_TURNS` turns (re-checked against the article) as history, and keeps the
   * new turn.
   */
  async answer(
    conversation: Conversation & { readonly article: Article },
    question: string,
    askedBy: string,
    options: { readonly signal?: AbortSignal; readonly onStep?: (step: Step) => void } = {},
  ): Promise<Result<AnswerResult>> {
    const { article, record } = conversation;
    const limit = this.#options.config.DISCORD_HISTORY_TURNS;
    const stored = limit > 0 ? await this.store.recentTurns(record.threadId, limit) : [];
    const history: Turn[] = stored.map((t) => ({
      question: t.question,
      answer: revalidateClaims(article, t.answer),
    }));
    // The asker spends the budget of the guild the conversation is in (`@me`: a direct message).
    const who: Requester = {
      guildId: record.guildId === DM_GUILD_ID ? null : record.guildId,
      userId: askedBy,
    };
    const admission = await this.#admit(who, () =>
      estimateAnswerTokens(article, question, history, this.#options.config.OPENAI_CONTEXT_CHARS),
    );
    const engine = admission && !admission.ok ? this.#options.offline : this.engine;
    let result: Result<AnswerResult>;
    try {
      result = await this.#gate.run(
        () => {
          options.onStep?.('answering');
          return engine.answer(article, question, history, options.signal);
        },
        () => options.onStep?.('waiting'),
      );
      if (admission?.ok && result.ok) await this.#recordUsage(who, result.value.usage);
    } finally {
      if (admission?.ok) admission.permit.release();
    }
    if (admission && !admission.ok && result.ok) {
      result = ok({
        ...result.value,
        fallback: { from: this.engine.name, code: 'budget_exhausted', budget: admission.note },
      });
    }
    if (result.ok) {
      await this.store.appendTurn(record.threadId, {
        question,
        answer: result.value.answer,
        askedBy,
        createdAt: this.#now(),
      });
    }
    return result;
  }

  /**
   * Deletes a conversation, its turns, the summary kept under its request key, and the article's
   * text when it was pasted or uploaded and no other conversation refers to it (texts fetched from a
   * public link stay cached until retention). Says whether that text was deleted.
   */
  async forgetConversation(record: ThreadRecord): Promise<{ readonly articleDeleted: boolean }> {
    await this.store.deleteThread(record.threadId);
    await this.store.deleteDelivery(record.threadId);
    if (record.requestKey) await this.#results.delete(record.requestKey);
    return { articleDeleted: await this.store.deleteArticleIfUnreferenced(record.articleHash) };
  }

  /**
   * Checks the requester's budgets before a model call and reserves its estimate; null when no
   * budget applies (the offline engine is configured, or nobody is asking).
   */
  async #admit(who: Requester | null, estimate: () => number): Promise<Admission | null> {
    if (!this.usesModel || who === null) return null;
    return this.#budget.admit(who, estimate());
  }

  /** Counts a model call's tokens; a store that fails to count them does not cost the user the result. */
  async #recordUsage(who: Requester, usage: Usage): Promise<void> {
    await this.#budget
      .record(who, usage)
      .catch((err: unknown) => this.#options.log.warn({ err }, 'could not record model usage'));
  }

  #canFallBack(code: Parameters<typeof failureKind>[0], signal: AbortSignal | undefined): boolean {
    return this.usesModel && failureKind(code) === 'upstream' && !signal?.aborted;
  }

  #load(request: SummaryRequest): Promise<Result<LoadedArticle>> {
    const { config, store, pool } = this.#options;
    const source = request.source;
    if (source.kind === 'bytes') request.onStep?.('reading');
    if (source.kind === 'url') request.onStep?.('fetching');
    return loadArticle(
      source,
      {
        fetch: fetchOptionsFrom(config),
        store,
        cacheTtlSeconds: request.refresh
          ? Math.min(config.REFRESH_MIN_INTERVAL_SECONDS, config.CACHE_TTL_SECONDS)
          : config.CACHE_TTL_SECONDS,
        pool,
        now: this.#now,
      },
      request.signal ? { signal: request.signal } : {},
    );
  }

  async #cachedSummary(key: string, article: Article): Promise<SummaryResult | null> {
    const hit = await this.#results.summary(key, article);
    return hit ? { ...hit, usage: ZERO_USAGE } : null;
  }
}

/**
 * Builds the service from config: the offline engine runs in the worker pool; the model engine (when
 * configured) keeps its results in the store and falls back to the offline engine by itself.
 */
export async function createService(
  config: Config,
  log: Logger,
  store: Store,
  pool: WorkerPool<AppJobs>,
  options: { readonly prompts?: Prompts } = {},
): Promise<Result<VerbatimService>> {
  const offline = createPooledExtractiveEngine(pool);
  let engine: Engine = offline;
  if (defaultEngineChoice(config) === 'openai') {
    const selected = await selectEngine('openai', config, {
      log,
      cache: store.cache,
      ...(options.prompts ? { prompts: options.prompts } : {}),
    });
    if (!selected.ok) return selected;
    engine = selected.value;
  }
  return ok(new VerbatimService({ config, log, store, pool, engine, offline }));
}

function primaryTag(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/u)[0] ?? '';
}

/** The article's language as a primary tag (declared, else guessed), or null when unknown. */
export function articleLanguage(article: Article): string | null {
  const lang = article.lang ?? guessLanguage(article.text);
  return lang ? primaryTag(lang) : null;
}

/**
 * The language to ask the engine for. The reader's language when it differs from the article's
 * and the engine can translate; null (the article's own) otherwise, which also lets a reader whose
 * locale is `en-GB` share the cached summary of an English article with one whose locale is `en-US`.
 */
export function languagePlan(
  article: Article,
  wanted: string | null,
  offline: boolean,
): { readonly lang: string | null; readonly note: LanguageNote | null } {
  if (wanted === null) return { lang: null, note: null };
  const have = articleLanguage(article);
  if (have === null) return { lang: offline ? null : wanted, note: null };
  if (primaryTag(wanted) === have) return { lang: null, note: null };
  return offline ? { lang: null, note: { wanted, used: have } } : { lang: wanted, note: null };
}

/** History turns keep only the claims whose quotes still match the article. */
function revalidateClaims(article: Article, claims: readonly StoredClaim[]): Claim[] {
  return claims.flatMap((claim) => {
    const stored: readonly StoredQuote[] = Array.isArray(claim.quotes) ? claim.quotes : [];
    const quotes = stored.map((q) => revalidateQuote(article.text, q));
    if (quotes.length === 0 || quotes.some((q) => q === null)) return [];
    return [{ text: claim.text, quotes: quotes.filter((q) => q !== null) }];
  });
}
