import type { Article } from '../../article/article.js';
import { fail, ok, type Result } from '../../core/result.js';
import { buildSourceIndex, locateQuote, type Quote } from '../../grounding/index.js';
import { articleSentences, namesComparable, properNounsOf } from '../../grounding/support/index.js';
import type { Logger } from '../../log.js';
import { chunkText, guessLanguage, rankPassages } from '../../text/index.js';
import {
  type AnswerResult,
  type Engine,
  type SummarizeOptions,
  type SummaryLength,
  type SummaryResult,
  type Turn,
  type Usage,
  ZERO_USAGE,
} from '../engine.js';
import { OpenAIClient } from './client.js';
import {
  countsFor,
  type GroundedClaim,
  type GroundingContext,
  groundProposals,
  type Proposal,
} from './ground.js';
import { addUsage, type ModelClient } from './model-client.js';
import { fillPrompt, loadPrompts, makeNonce, type Prompts, stripDelimiters } from './prompts.js';

export interface OpenAIEngineOptions {
  readonly apiKey: string;
  /** Base URL of any OpenAI-compatible server (`http://host:port/v1`); null/absent: OpenAI. */
  readonly baseURL?: string | null;
  readonly model: string;
  /** Per HTTP request, in milliseconds (OPENAI_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** SDK retries on 429/5xx/connection errors, honouring `retry-after` (OPENAI_MAX_RETRIES). */
  readonly maxRetries: number;
  /** Model calls in flight at once across all requests to this engine (OPENAI_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * Characters of article text per request, after a safety margin (OPENAI_CONTEXT_CHARS). Longer
   * articles are summarized by map (per chunk) and reduce; questions get the best-matching chunks.
   */
  readonly contextChars: number;
  readonly logger?: Logger | undefined;
  /**
   * Who the running request is for (a Discord user id), read when a call is made: calls waiting for
   * one of the `concurrency` slots (of the default client) are let in owner by owner in turn, so one user's long article
   * (dozens of map calls) does not hold up another user's one call. Absent: arrival order.
   */
  readonly currentOwner?: (() => string | undefined) | undefined;
  /**
   * The model API; default the openai SDK client for `baseURL` (`OpenAIClient`). Another API plugs
   * in here (see `ModelClient`); the engine's prompts, map-reduce, retrieval and grounding stay.
   */
  readonly client?: ModelClient | undefined;
  /** Prompts to use; default: read once from the repository's `prompts/`. */
  readonly prompts?: Prompts | undefined;
}

/** Key points asked for and kept, per summary length. */
export const KEY_POINTS: Readonly<Record<SummaryLength, number>> = { short: 3, standard: 5, detailed: 8 };
/** At most this many summary sentences are kept. */
export const MAX_SUMMARY_CLAIMS = 3;
/** At most this many claims in an answer. */
export const MAX_ANSWER_CLAIMS = 4;
/** Follow-up history sent with a question: at most this many of the latest turns… */
export const HISTORY_TURNS = 6;
/** …and at most this many characters of them in all (oldest turns go first). */
export const HISTORY_CHARS = 3000;
/** A question longer than this is cut (characters). */
export const MAX_QUESTION_CHARS = 1000;
/** Times a request is split further when the server still says the context is too long. */
const MAX_SPLITS = 3;

const ENGINE_NAME = 'openai';

/**
 * The model engine: prompts, map-reduce over long articles, retrieval for questions, and grounding,
 * over a `ModelClient` (by default any OpenAI-compatible server through the official SDK). Every
 * statement it returns is grounded: its quotes are located in the article and its names, numbers
 * and dates checked against them; what cannot be grounded is dropped. Caching, sharing identical
 * requests in flight and falling back to the offline engine are the caller's (src/app/engine-runner.ts).
 */
export function createOpenAIEngine(options: OpenAIEngineOptions): Engine {
  return new OpenAIEngine(options);
}

class OpenAIEngine implements Engine {
  readonly name = ENGINE_NAME;
  readonly #options: OpenAIEngineOptions;
  readonly #client: ModelClient;
  readonly #prompts: Prompts;
  /** Lowered when the server says a request of this many characters was too long. */
  #contextChars: number;

  constructor(options: OpenAIEngineOptions) {
    this.#options = options;
    this.#client = options.client ?? new OpenAIClient(options);
    this.#prompts = options.prompts ?? loadPrompts();
    this.#contextChars = Math.max(1000, options.contextChars);
  }

  get model(): string {
    return this.#client.model;
  }

  /** The prompts' version: a prompt change is a different engine for cached results. */
  get version(): string {
    return this.#prompts.version;
  }

  summarize(
    article: Article,
    options: SummarizeOptions,
    signal?: AbortSignal,
  ): Promise<Result<SummaryResult>> {
    return this.#summarize(article, options, signal);
  }

  answer(
    article: Article,
    question: string,
    history: readonly Turn[],
    signal?: AbortSignal,
  ): Promise<Result<AnswerResult>> {
    const q = question.trim().slice(0, MAX_QUESTION_CHARS);
    if (q === '') return Promise.resolve(fail('empty_input', 'Ask a question about the article.'));
    return this.#answer(article, q, boundedHistory(history), signal);
  }

  #groundingContext(article: Article, claimLang: string | null): GroundingContext {
    const articleLang = article.lang ?? guessLanguage(article.text);
    return {
      article,
      checkNames: namesComparable(claimLang ?? articleLang, articleLang),
      index: buildSourceIndex(article.text),
      sentences: articleSentences(article),
      properNouns: properNounsOf(article.text, article.lang),
      client: this.#client,
      prompts: this.#prompts,
      logger: this.#options.logger,
    };
  }

  async #summarize(
    article: Article,
    options: SummarizeOptions,
    signal?: AbortSignal,
  ): Promise<Result<SummaryResult>> {
    if (article.text.trim() === '') return fail('empty_input', 'The article has no text to summarize.');
    const ctx = this.#groundingContext(article, options.lang);
    const keyPoints = KEY_POINTS[options.length];
    const language = languageName(options.lang);
    let usage: Usage = ZERO_USAGE;
    let proposals: { summary: Proposal[]; keyPoints: Proposal[] } | null = null;
    let extraProposed = 0;

    if (article.text.length <= this.#contextChars) {
      const nonce = makeNonce();
      const reply = await this.#client.call(
        'summary',
        {
          system: this.#prompts.templates['summarize.system'],
          user: fillPrompt(this.#prompts.templates['summarize.user'], {
            keyPointCount: keyPoints,
            language,
            nonce,
            article: stripDelimiters(article.text),
          }),
        },
        signal,
      );
      if (reply.ok) {
        usage = addUsage(usage, reply.value.usage);
        proposals = { summary: reply.value.data.summary, keyPoints: reply.value.data.key_points };
      } else if (reply.error.code === 'context_too_long') {
        this.#shrinkContext(article.text.length);
      } else {
        return reply;
      }
    }
    if (!proposals) {
      const mapped = await this.#mapReduce(ctx, keyPoints, language, signal);
      if (!mapped.ok) return mapped;
      usage = addUsage(usage, mapped.value.usage);
      proposals = mapped.value;
      extraProposed = mapped.value.droppedInMap;
    }

    const all = [...proposals.summary, ...proposals.keyPoints];
    const grounded = await groundProposals(ctx, all, signal);
    usage = addUsage(usage, grounded.usage);
    const survivors = grounded.claims.slice(0, proposals.summary.length);
    const keySurvivors = grounded.claims.slice(proposals.summary.length);
    const summary = dedupe(survivors.filter(isGrounded)).slice(0, MAX_SUMMARY_CLAIMS);
    let points = dedupe(keySurvivors.filter(isGrounded)).filter(
      (g) => !summary.some((s) => sameText(s.claim.text, g.claim.text)),
    );
    if (summary.length === 0 && points.length > 0) summary.push(points[0] as GroundedClaim);
    points = points.filter((p) => !summary.includes(p)).slice(0, keyPoints);
    if (summary.length === 0) {
      return fail('engine_failed', "None of the model's points could be matched to the article.", {
        proposed: grounded.proposed + extraProposed,
      });
    }
    return ok({
      engine: ENGINE_NAME,
      model: this.#client.model,
      fallback: null,
      grounding: countsFor([...summary, ...points], grounded.proposed + extraProposed, grounded.unsupported),
      usage,
      summary: summary.map((g) => g.claim),
      keyPoints: points.map((g) => g.claim),
    });
  }

  #shrinkContext(tooLong: number): void {
    const next = Math.max(1000, Math.floor(Math.min(this.#contextChars, tooLong) * 0.6));
    if (next < this.#contextChars) {
      this.#options.logger?.info(
        { from: this.#contextChars, to: next },
        'server context smaller than configured',
      );
      this.#contextChars = next;
    }
  }

  /**
   * Long articles: points with quotes per chunk (map), then one call choosing and merging them
   * (reduce). Reduce names the points each item rests on; their quotes are carried through by code,
   * so the model cannot alter them on the way. A chunk the server finds too long is split again.
   */
  async #mapReduce(
    ctx: GroundingContext,
    keyPoints: number,
    language: string,
    signal?: AbortSignal,
  ): Promise<Result<{ summary: Proposal[]; keyPoints: Proposal[]; usage: Usage; droppedInMap: number }>> {
    const { article } = ctx;
    const chunks = chunkText(article.text, this.#contextChars, article.lang);
    const perChunk = Math.max(2, Math.min(6, Math.ceil((keyPoints * 2) / chunks.length)));
    let usage: Usage = ZERO_USAGE;
    let droppedInMap = 0;

    const mapChunk = async (
      text: string,
      part: number,
      parts: number,
      depth: number,
    ): Promise<Result<{ text: string; quotes: Quote[] }[]>> => {
      const reply = await this.#client.call(
        'map',
        {
          system: this.#prompts.templates['summarize.system'],
          user: fillPrompt(this.#prompts.templates['map.user'], {
            part,
            parts,
            pointCount: perChunk,
            language,
            nonce: makeNonce(),
            article: stripDelimiters(text),
          }),
        },
        signal,
      );
      if (!reply.ok) {
        if (reply.error.code !== 'context_too_long' || depth >= MAX_SPLITS || text.length < 2000)
          return reply;
        this.#shrinkContext(text.length);
        const halves = chunkText(text, Math.ceil(text.length / 2) + 1, article.lang);
        const results = await Promise.all(halves.map((h) => mapChunk(h.text, part, parts, depth + 1)));
        const failed = results.find((r) => !r.ok);
        if (failed) return failed;
        return ok(results.flatMap((r) => (r.ok ? r.value : [])));
      }
      usage = addUsage(usage, reply.value.usage);
      const points: { text: string; quotes: Quote[] }[] = [];
      for (const p of reply.value.data.points) {
        const quotes: Quote[] = [];
        for (const q of p.quotes) {
          const located = ctxLocate(ctx, q);
          if (located.length === 0) droppedInMap += 1;
          quotes.push(...located);
        }
        if (quotes.length > 0 && p.text.trim() !== '') points.push({ text: p.text.trim(), quotes });
      }
      return ok(points);
    };

    const mapped = await Promise.all(chunks.map((c, i) => mapChunk(c.text, i + 1, chunks.length, 0)));
    const failed = mapped.find((r) => !r.ok);
    if (failed && !failed.ok) return failed;
    const points = mapped.flatMap((r) => (r.ok ? r.value : []));
    if (points.length === 0) {
      return fail('engine_failed', "None of the model's points could be matched to the article.", {
        chunks: chunks.length,
      });
    }

    const lines: string[] = [];
    let budget = this.#contextChars;
    for (const [i, p] of points.entries()) {
      const block = [
        `[${i + 1}] ${oneLine(p.text)}`,
        ...p.quotes.map((q) => `    Quote: "${oneLine(q.text)}"`),
      ].join('\n');
      if (block.length > budget) break;
      budget -= block.length + 1;
      lines.push(block);
    }
    const reply = await this.#client.call(
      'reduce',
      {
        system: this.#prompts.templates['summarize.system'],
        user: fillPrompt(this.#prompts.templates['reduce.user'], {
          keyPointCount: keyPoints,
          language,
          nonce: makeNonce(),
          points: stripDelimiters(lines.join('\n')),
        }),
      },
      signal,
    );
    if (!reply.ok) return reply;
    usage = addUsage(usage, reply.value.usage);
    const carry = (items: readonly { text: string; points: readonly number[] }[]): Proposal[] =>
      items.map((item) => {
        const quotes: string[] = [];
        for (const id of item.points) {
          for (const q of points[id - 1]?.quotes ?? []) if (!quotes.includes(q.text)) quotes.push(q.text);
        }
        return { text: item.text, quotes };
      });
    return ok({
      summary: carry(reply.value.data.summary),
      keyPoints: carry(reply.value.data.key_points),
      usage,
      droppedInMap,
    });
  }

  async #answer(
    article: Article,
    question: string,
    history: readonly Turn[],
    signal?: AbortSignal,
  ): Promise<Result<AnswerResult>> {
    if (article.text.trim() === '') return fail('empty_input', 'The article has no text to answer from.');
    const ctx = this.#groundingContext(article, null);
    const historyText = renderHistory(history);
    let usage: Usage = ZERO_USAGE;
    for (let split = 0; ; split++) {
      const budget = Math.max(1000, this.#contextChars - question.length - historyText.length);
      const { text, partial } = answerContext(article, question, history, budget);
      const reply = await this.#client.call(
        'answer',
        {
          system: this.#prompts.templates['answer.system'],
          user: fillPrompt(this.#prompts.templates['answer.user'], {
            scope: partial
              ? 'The article is long; below are the parts of it most related to the question, in article order, separated by […].'
              : 'Answer the question from the article below.',
            nonce: makeNonce(),
            article: stripDelimiters(text),
            history: stripDelimiters(historyText),
            question: oneLine(question),
            claimCount: MAX_ANSWER_CLAIMS,
          }),
        },
        signal,
      );
      if (!reply.ok) {
        if (reply.error.code === 'context_too_long' && split < MAX_SPLITS && text.length > 1000) {
          this.#shrinkContext(text.length);
          continue;
        }
        return reply;
      }
      usage = addUsage(usage, reply.value.usage);
      const data = reply.value.data;
      const proposals = data.answerable ? data.claims.slice(0, MAX_ANSWER_CLAIMS) : [];
      const extra = data.claims.slice(proposals.length).reduce((n, c) => n + c.quotes.length, 0);
      const grounded = await groundProposals(ctx, proposals, signal);
      usage = addUsage(usage, grounded.usage);
      const claims = dedupe(grounded.claims.filter(isGrounded));
      return ok({
        engine: ENGINE_NAME,
        model: this.#client.model,
        fallback: null,
        grounding: countsFor(claims, grounded.proposed + extra, grounded.unsupported),
        usage,
        answerable: claims.length > 0,
        answer: claims.map((g) => g.claim),
        nearest: [],
      });
    }
  }
}

function ctxLocate(ctx: GroundingContext, proposed: string): Quote[] {
  const r = locateQuote(ctx.index, proposed);
  return r.found ? [...r.quotes] : [];
}

function isGrounded(g: GroundedClaim | null): g is GroundedClaim {
  return g !== null;
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function dedupe(claims: readonly GroundedClaim[]): GroundedClaim[] {
  const out: GroundedClaim[] = [];
  for (const c of claims) if (!out.some((o) => sameText(o.claim.text, c.claim.text))) out.push(c);
  return out;
}

function oneLine(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

/** The English name of a BCP 47 tag for the prompt ("German (de)"), or the article's language. */
export function languageName(lang: string | null): string {
  if (!lang) return "the article's own language";
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(
      Intl.getCanonicalLocales(lang)[0] ?? lang,
    );
    return name && name !== lang ? `${name} (${lang})` : lang;
  } catch {
    return "the article's own language";
  }
}

/**
 * The part of a thread sent with a follow-up: the latest HISTORY_TURNS turns, each question and
 * answer cut to a few hundred characters, oldest dropped until all fit HISTORY_CHARS. Bounded
 * whatever the thread's length, so a 200-turn thread costs what a 6-turn one does.
 */
export function boundedHistory(history: readonly Turn[]): Turn[] {
  const recent = history.slice(-HISTORY_TURNS).map((t) => ({
    question: t.question.slice(0, 300),
    answer: t.answer
      .slice(0, MAX_ANSWER_CLAIMS)
      .map((c) => ({ text: c.text.slice(0, 400), quotes: [] as Quote[] })),
  }));
  while (recent.length > 0 && renderHistory(recent).length > HISTORY_CHARS) recent.shift();
  return recent;
}

function renderHistory(history: readonly Turn[]): string {
  if (history.length === 0) return '(no earlier questions)';
  return history
    .map((t) => {
      const answer =
        t.answer.length > 0 ? t.answer.map((c) => oneLine(c.text)).join(' ') : "(the article doesn't say)";
      return `Q: ${oneLine(t.question)}\nA: ${answer}`;
    })
    .join('\n\n');
}

/**
 * The article text sent with a question: all of it when it fits `budget` characters, else the
 * chunks most like the question (BM25; the last question of the thread helps with "and him?"),
 * in article order, joined by […].
 */
function answerContext(
  article: Article,
  question: string,
  history: readonly Turn[],
  budget: number,
): { text: string; partial: boolean } {
  if (article.text.length <= budget) return { text: article.text, partial: false };
  const size = Math.max(500, Math.min(4000, Math.floor(budget / 4)));
  const chunks = chunkText(article.text, size, article.lang);
  const query = [question, history.at(-1)?.question ?? ''].join(' ');
  const ranked = rankPassages(
    query,
    chunks.map((c) => c.text),
    article.lang,
  );
  const order = ranked.length > 0 ? ranked.map((r) => r.index) : chunks.map((_, i) => i);
  const chosen: number[] = [];
  let used = 0;
  for (const i of order) {
    const len = (chunks[i]?.text.length ?? 0) + 5;
    if (used + len > budget) continue;
    chosen.push(i);
    used += len;
  }
  if (chosen.length === 0) chosen.push(order[0] ?? 0);
  chosen.sort((a, b) => a - b);
  return {
    text: chosen.map((i) => chunks[i]?.text.slice(0, budget) ?? '').join('\n\n[…]\n\n'),
    partial: true,
  };
}
