import type { Article } from '../article/article.js';
import { ok, type Result } from '../core/result.js';
import type { AnswerResult, Claim, Turn } from '../engines/engine.js';
import { revalidateQuote } from '../grounding/index.js';
import type { StoredClaim, StoredQuote, ThreadRecord } from '../store/store.js';
import { type SpanSurroundings, spanSurroundings } from '../text/index.js';
import { DM_GUILD_ID, estimateAnswerTokens, type Requester } from './budget.js';
import type { Parts } from './parts.js';
import type { Step } from './summaries.js';

/**
 * A follow-up conversation: what is kept about a summary, and the article it is about. Its id is the
 * summary's first message id, which is also the id of the thread opened under the summary (a thread
 * started from a message has that message's id); the store calls it `threadId`.
 */
export interface Conversation {
  readonly id: string;
  /** `@me` outside a guild. */
  readonly guildId: string;
  /** Where the summary was posted. */
  readonly channelId: string;
  readonly requesterId: string;
  readonly articleHash: string;
  /** The result-cache key of the summary it started from, if any. */
  readonly requestKey: string | null;
  readonly createdAt: number;
  /** Null when the article is no longer stored (it is kept while its conversation exists, so: a purge). */
  readonly article: Article | null;
}

/**
 * A quote seen in its surroundings (`Conversations.quoteContext`): or why not — `gone`: the
 * conversation or its article is no longer kept (Delete, `/forget`, a guild purge, retention);
 * `changed`: the conversation now follows another text (a refresh), so old offsets mean nothing.
 */
export type QuoteContext =
  | { readonly status: 'gone' }
  | { readonly status: 'changed' }
  | { readonly status: 'ok'; readonly article: Article; readonly surroundings: SpanSurroundings };

/** A conversation as a summary opens it. */
export type NewConversation = Omit<Conversation, 'article'>;

/**
 * Follow-up conversations: opened by a summary, found by id or by the channel a summary was posted
 * in, answered from the ARTICLE (never from the summary) with recent turns as history, forgotten
 * with everything derived from them.
 */
export class Conversations {
  readonly #parts: Parts;

  constructor(parts: Parts) {
    this.#parts = parts;
  }

  /** Starts (or updates: a refreshed summary points at its new text) the conversation a summary opens. */
  open(conversation: NewConversation): Promise<void> {
    return this.#parts.store.putThread(toRecord(conversation));
  }

  /** The conversation with this id and its article, or null if there is none. */
  async get(id: string): Promise<Conversation | null> {
    const record = await this.#parts.store.getThread(id);
    if (!record) return null;
    const stored = await this.#parts.store.getArticle(record.articleHash);
    return fromRecord(record, stored?.article ?? null);
  }

  /**
   * A quote of a conversation's summary or answers, by its offsets in the article whose content
   * hash ends with `articleHash` (a short tag, as a component carries it), with the paragraphs around
   * it, read from the stored article: so it works after any restart, and not once the conversation
   * was deleted, forgotten or purged (its article may still be cached for its link: it is not shown).
   */
  async quoteContext(
    conversationId: string,
    articleHash: string,
    span: { readonly start: number; readonly end: number },
  ): Promise<QuoteContext> {
    const conversation = await this.get(conversationId);
    if (!conversation?.article) return { status: 'gone' };
    if (articleHash === '' || !conversation.articleHash.endsWith(articleHash)) return { status: 'changed' };
    const surroundings = spanSurroundings(conversation.article.text, span.start, span.end);
    return surroundings
      ? { status: 'ok', article: conversation.article, surroundings }
      : { status: 'changed' };
  }

  /**
   * The conversation most recently started in a channel — a summary posted inside a thread or forum
   * post, which opens no thread of its own — or null.
   */
  async latestIn(channelId: string): Promise<Conversation | null> {
    const record = await this.#parts.store.latestThreadIn(channelId);
    return record ? this.get(record.threadId) : null;
  }

  /**
   * Answers a follow-up question from the conversation's ARTICLE (never from its summary), with the
   * last `DISCORD_HISTORY_TURNS` turns (re-checked against the article) as history, and keeps the
   * new turn. The asker spends the budget of the guild the conversation is in; their engine and
   * worker-pool work takes its turn among other users'.
   */
  answer(
    conversation: Conversation & { readonly article: Article },
    question: string,
    askedBy: string,
    options: { readonly signal?: AbortSignal; readonly onStep?: (step: Step) => void } = {},
  ): Promise<Result<AnswerResult>> {
    return this.#parts.owners.onBehalfOf(askedBy, () =>
      this.#answer(conversation, question, askedBy, options),
    );
  }

  async #answer(
    conversation: Conversation & { readonly article: Article },
    question: string,
    askedBy: string,
    options: { readonly signal?: AbortSignal; readonly onStep?: (step: Step) => void },
  ): Promise<Result<AnswerResult>> {
    const { config, store, gate, now } = this.#parts;
    const engines = await this.#parts.engines();
    if (!engines.ok) return engines;
    const runner = engines.value;
    const { article } = conversation;
    const limit = config.DISCORD_HISTORY_TURNS;
    const stored = limit > 0 ? await store.recentTurns(conversation.id, limit) : [];
    const history: Turn[] = stored.map((t) => ({
      question: t.question,
      answer: revalidateClaims(article, t.answer),
    }));
    const who: Requester = {
      guildId: conversation.guildId === DM_GUILD_ID ? null : conversation.guildId,
      userId: askedBy,
    };
    const admission = await this.#parts.budgets.admit(who, () =>
      estimateAnswerTokens(article, question, history, config.OPENAI_CONTEXT_CHARS),
    );
    const overBudget = admission !== null && !admission.ok;
    let result: Result<AnswerResult>;
    try {
      const ran = await gate.run(
        () => {
          options.onStep?.('answering');
          return runner.answer(article, question, history, {
            engine: overBudget ? 'offline' : 'primary',
            signal: options.signal,
          });
        },
        { owner: askedBy, onWait: () => options.onStep?.('waiting') },
      );
      result = ran.ok ? ok(ran.value.value) : ran;
      if (admission?.ok && result.ok) await admission.permit.settle(result.value.usage);
    } finally {
      if (admission?.ok) await admission.permit.release();
    }
    if (admission && !admission.ok && result.ok) {
      result = ok({
        ...result.value,
        fallback: { from: runner.primary.name, code: 'budget_exhausted', budget: admission.note },
      });
    }
    if (result.ok) {
      await store.appendTurn(conversation.id, {
        question,
        answer: result.value.answer,
        askedBy,
        createdAt: now(),
      });
    }
    return result;
  }

  /**
   * Deletes a conversation, its turns, where its summary was delivered, the summary kept under its
   * request key, and the article's text when it was pasted or uploaded and no other conversation
   * refers to it (texts fetched from a public link stay cached until retention). Says whether that
   * text was deleted.
   */
  async forget(conversation: NewConversation): Promise<{ readonly articleDeleted: boolean }> {
    const { store, results } = this.#parts;
    await store.deleteThread(conversation.id);
    await store.deleteDelivery(conversation.id);
    if (conversation.requestKey) await results?.delete(conversation.requestKey);
    return { articleDeleted: await store.deleteArticleIfUnreferenced(conversation.articleHash) };
  }
}

export function fromRecord(record: ThreadRecord, article: Article | null): Conversation {
  return {
    id: record.threadId,
    guildId: record.guildId,
    channelId: record.channelId,
    requesterId: record.requesterId,
    articleHash: record.articleHash,
    requestKey: record.requestKey,
    createdAt: record.createdAt,
    article,
  };
}

function toRecord(c: NewConversation): ThreadRecord {
  return {
    threadId: c.id,
    guildId: c.guildId,
    channelId: c.channelId,
    requesterId: c.requesterId,
    articleHash: c.articleHash,
    summaryMessageId: c.id,
    requestKey: c.requestKey,
    createdAt: c.createdAt,
  };
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
