import type { Article } from '../article/article.js';
import { ok, type ReasonCode, type Result } from '../core/result.js';
import type { SummaryLength, SummaryResult } from '../engines/engine.js';
import type { SummaryDelivery } from '../store/store.js';
import { guessLanguage } from '../text/index.js';
import { estimateSummaryTokens, type Requester } from './budget.js';
import type { Conversation, Conversations } from './conversations.js';
import type { SourceSpec } from './load-article.js';
import type { Parts } from './parts.js';

export type { SummaryDelivery } from '../store/store.js';

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

/** What Refresh works on: a summary's conversation, the link its article came from, where it was delivered. */
export interface RefreshTarget {
  readonly conversation: Conversation;
  readonly url: string;
  readonly delivery: SummaryDelivery | null;
}

/** What Delete did (see `Summaries.delete`). */
export type DeleteOutcome =
  /** Forgotten, with where it was delivered (null: not recorded) for the adapter to remove. */
  | { readonly status: 'deleted'; readonly delivery: SummaryDelivery | null }
  | { readonly status: 'not_requester' }
  /** No conversation kept under this id (never, or purged): the adapter may know who asked. */
  | { readonly status: 'unrecorded' };

/**
 * Summaries as use cases, with no knowledge of Discord: summarize a source (through the result
 * cache, the budgets and the engine gate), refresh a link's summary, record where a summary was
 * delivered, delete one. Engine work passes one gate shared by all users (`busy` beyond it).
 */
export class Summaries {
  readonly #parts: Parts;
  readonly #conversations: Conversations;

  constructor(parts: Parts, conversations: Conversations) {
    this.#parts = parts;
    this.#conversations = conversations;
  }

  /**
   * Loads the source and summarizes it: from the result cache, else within the requester's budget
   * and through the engine gate. The requester's worker-pool jobs and engine work take their turn
   * among other users' (see `ConcurrencyGate`, `JobOwners`).
   */
  summarize(request: SummaryRequest): Promise<Result<SummaryOutcome>> {
    return this.#parts.owners.onBehalfOf(request.requester?.userId ?? null, () => this.#summarize(request));
  }

  async #summarize(request: SummaryRequest): Promise<Result<SummaryOutcome>> {
    const { config, store, budgets, gate, now } = this.#parts;
    const engines = await this.#parts.engines();
    if (!engines.ok) return engines;
    const runner = engines.value;
    const loaded = await this.#load(request);
    request.onLoaded?.(loaded.ok ? { fromCache: loaded.value.fromCache } : { failure: loaded.error.code });
    if (!loaded.ok) return loaded;
    const { article, fromCache } = loaded.value;
    const fetchedAt = request.source.kind === 'url' ? loaded.value.fetchedAt : null;
    if (request.source.kind !== 'url' && !(await store.getArticle(article.contentHash))) {
      // Links are stored by loadArticle; pasted text and files are stored here so that the
      // conversation can load the article by hash later, across restarts. The same text already
      // stored (say, fetched from its page) keeps its richer metadata: storing refreshes it.
      await store.putArticle(article, { requestUrl: null, canonicalUrl: null, fetchedAt: now() });
    }
    request.onStored?.(article);

    const plan = languagePlan(article, request.lang, !runner.usesModel);
    const requestKey = runner.summaryKey(article, { length: request.length, lang: plan.lang });
    const outcome = (result: SummaryResult, language: LanguageNote | null, fromResults: boolean) =>
      ok({
        article,
        result,
        requestKey,
        language,
        articleFromCache: fromCache,
        summaryFromCache: fromResults,
        fetchedAt,
      });
    // A kept summary costs nothing: it is served before any budget is checked.
    const cached = await runner.cachedSummary(article, { length: request.length, lang: plan.lang });
    if (cached) return outcome(cached, plan.note, true);

    const admission = await budgets.admit(request.requester, () =>
      estimateSummaryTokens(article, request.length, config.OPENAI_CONTEXT_CHARS),
    );
    // Over a budget: the model is not called; the offline engine answers in the article's language.
    const overBudget = admission !== null && !admission.ok;
    const used = overBudget ? languagePlan(article, request.lang, true) : plan;
    let ran: Awaited<ReturnType<typeof runner.summarize>>;
    try {
      ran = await gate.run(
        () => {
          request.onStep?.('summarizing');
          return runner.summarize(
            article,
            { length: request.length, lang: used.lang },
            {
              engine: overBudget ? 'offline' : 'primary',
              signal: request.signal,
              fallBackToArticleLanguage: true,
            },
          );
        },
        { owner: request.requester?.userId ?? null, onWait: () => request.onStep?.('waiting') },
      );
      if (admission?.ok && ran.ok) await admission.permit.settle(ran.value.value.usage);
    } finally {
      if (admission?.ok) await admission.permit.release();
    }
    if (!ran.ok) return ran;
    const { value, fromCache: fromResults, languageDropped } = ran.value;
    const language =
      languageDropped && plan.lang !== null
        ? { wanted: plan.lang, used: articleLanguage(article) }
        : used.note;
    if (overBudget) {
      const budgeted = {
        ...value,
        fallback: { from: runner.primary.name, code: 'budget_exhausted', budget: admission.note },
      };
      return outcome(budgeted, language, false);
    }
    return outcome(value, language, fromResults);
  }

  /**
   * What Refresh needs for a summary: its conversation and the link its article was fetched from,
   * or null when either is gone (the summary deleted or purged, or it was of pasted text).
   */
  async refreshTarget(summaryId: string): Promise<RefreshTarget | null> {
    const conversation = await this.#conversations.get(summaryId);
    const url = conversation?.article ? linkOf(conversation.article) : null;
    if (!conversation || !url) return null;
    const delivery = (await this.#parts.store.getDelivery(summaryId)) ?? null;
    return { conversation, url, delivery };
  }

  /**
   * A refreshed summary is shown as `messageIds` (in `channelId` when nothing was recorded): its
   * conversation follows the new text when it changed (questions are answered from it), and its
   * delivery record lists the new messages. Says whether the text changed.
   */
  async refreshed(
    target: RefreshTarget,
    outcome: SummaryOutcome,
    messageIds: readonly string[],
    channelId: string,
  ): Promise<{ readonly changed: boolean }> {
    const { conversation, delivery } = target;
    const changed = outcome.article.contentHash !== conversation.articleHash;
    if (changed) {
      await this.#conversations.open({
        ...conversation,
        articleHash: outcome.article.contentHash,
        requestKey: outcome.requestKey,
      });
    }
    await this.recordDelivery({
      summaryId: conversation.id,
      guildId: conversation.guildId,
      channelId: delivery?.channelId ?? channelId,
      messageIds,
      threadId: delivery?.threadId ?? null,
      requesterId: conversation.requesterId,
      createdAt: delivery?.createdAt ?? conversation.createdAt,
    });
    return { changed };
  }

  /** Records where a summary was delivered, so Delete and `/forget` find its messages after any restart. */
  recordDelivery(delivery: SummaryDelivery): Promise<void> {
    return this.#parts.store.putDelivery(delivery);
  }

  /**
   * Delete, by `userId`: only the summary's requester may. Forgets its conversation (so nothing more
   * is answered from it) with everything derived from it, and returns where it was delivered, for
   * the adapter to remove the messages.
   */
  async delete(summaryId: string, userId: string): Promise<DeleteOutcome> {
    const conversation = await this.#conversations.get(summaryId);
    if (!conversation) return { status: 'unrecorded' };
    if (conversation.requesterId !== userId) return { status: 'not_requester' };
    const delivery = (await this.#parts.store.getDelivery(summaryId)) ?? null;
    await this.#conversations.forget(conversation);
    return { status: 'deleted', delivery };
  }

  /**
   * Runs the summary path once on a small built-in text, without storing anything: every worker
   * starts and loads its parsers and the offline engine, and the main thread compiles what the first
   * requests would otherwise compile while other users wait for their acknowledgement.
   */
  async warmUp(): Promise<{ readonly article: Article; readonly result: SummaryResult } | null> {
    const { config, pool } = this.#parts;
    const engines = await this.#parts.engines();
    if (!pool || !engines.ok) return null;
    const { loadUpload } = await import('./load-upload.js');
    const html = `<html><head><title>Warm-up</title></head><body><article>${WARM_UP_TEXT.split('\n\n')
      .map((p) => `<p>${p}</p>`)
      .join('')}</article></body></html>`;
    const jobs = Array.from({ length: config.WORKER_THREADS }, async () => {
      const article = await loadUpload(
        {
          bytes: new TextEncoder().encode(html),
          filename: 'warm-up.html',
          contentType: 'text/html',
          meta: { source: 'warm-up' },
        },
        pool,
      );
      if (!article.ok) return null;
      const result = await engines.value.offline.summarize(article.value, { length: 'standard', lang: null });
      return result.ok ? { article: article.value, result: result.value } : null;
    });
    return (await Promise.all(jobs)).find((j) => j !== null) ?? null;
  }

  #load(request: SummaryRequest) {
    const source = request.source;
    if (source.kind === 'bytes') request.onStep?.('reading');
    if (source.kind === 'url') request.onStep?.('fetching');
    return this.#parts.loadArticle(source, {
      ...(request.refresh ? { refresh: true } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }
}

/** The link a summary was asked for (what the user gave, as the URL cache knows it), or null. */
function linkOf(article: Article): string | null {
  if (/^https?:\/\//iu.test(article.source)) return article.source;
  const url = article.url;
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
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
