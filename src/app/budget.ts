import type { Article } from '../article/article.js';
import type { Config } from '../config.js';
import { nodeCrypto } from '../core/node-crypto.js';
import type { BudgetNote, SummaryLength, Turn, Usage } from '../engines/engine.js';
import type { Logger } from '../log.js';
import type { GuildSettings, Store, UsageTotals } from '../store/store.js';
import { UNSET_SERVER_DEFAULTS, utcDay } from '../store/store.js';

/** Who asks: a guild (null in direct messages) and a user. Budgets are counted per both. */
export interface Requester {
  readonly guildId: string | null;
  readonly userId: string;
}

/** The guild id usage is recorded under for direct messages (as conversations are). */
export const DM_GUILD_ID = '@me';

/** Daily token limits in force; null: no limit. */
export interface BudgetLimits {
  readonly guild: number | null;
  readonly member: number | null;
}

/** Whether a guild's limit is the operator's default, the admin's own, or the admin's cut to the ceiling. */
export type LimitSource = 'default' | 'guild' | 'ceiling';

/** Today's spending and limits for one requester, as `/usage` shows them. */
export interface UsageReport {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  /** Null in direct messages. */
  readonly guild: UsageTotals | null;
  readonly user: UsageTotals;
  readonly limits: BudgetLimits;
  readonly sources: { readonly guild: LimitSource; readonly member: LimitSource };
  /** Milliseconds since the epoch: the next UTC midnight. */
  readonly resetsAt: number;
}

/**
 * Rough tokens of a text: ~4 characters per token for ASCII (OpenAI's rule of thumb for English),
 * ~2 for other characters (accented Latin, Cyrillic, Greek take 2–3; CJK about 1, so those are
 * under-counted). Only an estimate to reserve against: actual usage is what the model reports.
 */
export function estimateTextTokens(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x80) ascii++;
  return Math.ceil(ascii / 4 + (text.length - ascii) / 2);
}

/** System prompt, task template and response schema of one model call, in tokens (~2,500 characters). */
export const PROMPT_TOKENS_PER_CALL = 700;
/** Output of one summary (or map) call: up to 3 sentences and 8 key points with their quotes. */
export const SUMMARY_OUTPUT_TOKENS: Readonly<Record<SummaryLength, number>> = {
  short: 700,
  standard: 1000,
  detailed: 1400,
};
/** Output of one answer call: up to 4 claims with quotes. */
export const ANSWER_OUTPUT_TOKENS = 600;
/** A grounding repair round (article sentences for unquoted claims, and new quotes). */
export const REPAIR_TOKENS = 1000;
/** Follow-up history sent with a question (at most 3,000 characters, see the model engine). */
export const HISTORY_TOKENS = 750;

/**
 * Tokens a summary by the model engine may cost, estimated before the call: the article once, plus
 * per call the prompts and the reply; an article longer than `contextChars` is summarized per chunk
 * (map) and then once more over the chunks' points (reduce, at most `contextChars` more).
 */
export function estimateSummaryTokens(article: Article, length: SummaryLength, contextChars: number): number {
  const text = estimateTextTokens(article.text);
  const chunks = article.text.length <= contextChars ? 1 : Math.ceil(article.text.length / contextChars);
  const calls = chunks === 1 ? 1 : chunks + 1;
  const reduce = chunks === 1 ? 0 : Math.ceil(contextChars / 4);
  return text + reduce + calls * (PROMPT_TOKENS_PER_CALL + SUMMARY_OUTPUT_TOKENS[length]) + REPAIR_TOKENS;
}

/** Tokens an answer may cost: the article (or the `contextChars` of it sent), question, history, reply. */
export function estimateAnswerTokens(
  article: Article,
  question: string,
  history: readonly Turn[],
  contextChars: number,
): number {
  const text = estimateTextTokens(article.text.slice(0, contextChars));
  const past = history.length > 0 ? HISTORY_TOKENS : 0;
  return (
    text + estimateTextTokens(question) + past + PROMPT_TOKENS_PER_CALL + ANSWER_OUTPUT_TOKENS + REPAIR_TOKENS
  );
}

/** Milliseconds since the epoch of the UTC midnight after `ms`, when daily budgets reset. */
export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/**
 * The limits in force: the operator's (config; 0 is no limit) unless the guild's admins set a lower
 * one. An admin's value above the operator's is cut to it. In direct messages only the user limit
 * applies, at the operator's value.
 */
export function resolveLimits(
  config: Pick<Config, 'BUDGET_GUILD_DAILY_TOKENS' | 'BUDGET_USER_DAILY_TOKENS'>,
  settings: GuildSettings | undefined,
  inGuild: boolean,
): { readonly limits: BudgetLimits; readonly sources: UsageReport['sources'] } {
  const pick = (ceiling: number, own: number | null | undefined): [number | null, LimitSource] => {
    const operator = ceiling === 0 ? null : ceiling;
    if (own === null || own === undefined) return [operator, 'default'];
    if (operator !== null && own > operator) return [operator, 'ceiling'];
    return [own, 'guild'];
  };
  const [guild, guildSource] = inGuild
    ? pick(config.BUDGET_GUILD_DAILY_TOKENS, settings?.dailyTokens)
    : [null, 'default' as const];
  const [member, memberSource] = pick(
    config.BUDGET_USER_DAILY_TOKENS,
    inGuild ? settings?.memberDailyTokens : null,
  );
  return { limits: { guild, member }, sources: { guild: guildSource, member: memberSource } };
}

/**
 * Milliseconds a reservation counts without renewal. Its holder renews it every third of this
 * while the call runs (queued behind the engine gate included), so only a dead holder's
 * reservation lapses: the budget it held is free again within this time.
 */
export const RESERVATION_TTL_MS = 60_000;

/** A permit to call the model: settle it with the call's usage, or release it if the call did not happen. */
export interface BudgetPermit {
  /** Records the call's usage and ends the reservation at once (one store transaction). */
  settle(usage: Usage): Promise<void>;
  /** Ends the reservation without usage. Either ending is done once; later calls do nothing. */
  release(): Promise<void>;
}

/** The outcome of asking for a permit. */
export type Admission =
  | { readonly ok: true; readonly permit: BudgetPermit }
  | { readonly ok: false; readonly note: BudgetNote };

/**
 * Daily token budgets per guild and per member, enforced before each model call: today's recorded
 * usage + the estimates of calls in flight + this call's estimate must fit both limits. Estimates
 * are reserved in the store (`Store.reserveUsage`) in one atomic step with the check, so concurrent
 * requests — in this process or in any other sharing the database — cannot together overshoot a
 * budget by more than the calls' estimate errors; a call's actual usage replaces its reservation
 * when it ends (`settle`), and a reservation whose process died stops counting after
 * `RESERVATION_TTL_MS`.
 */
export class BudgetLedger {
  readonly #store: Store;
  readonly #config: Pick<Config, 'BUDGET_GUILD_DAILY_TOKENS' | 'BUDGET_USER_DAILY_TOKENS'>;
  readonly #now: () => number;
  readonly #ttlMs: number;

  /** `reservationTtlMs`: default `RESERVATION_TTL_MS` (tests shorten it). */
  constructor(
    store: Store,
    config: Pick<Config, 'BUDGET_GUILD_DAILY_TOKENS' | 'BUDGET_USER_DAILY_TOKENS'>,
    now: () => number,
    reservationTtlMs = RESERVATION_TTL_MS,
  ) {
    this.#store = store;
    this.#config = config;
    this.#now = now;
    this.#ttlMs = reservationTtlMs;
  }

  /** Today's usage, limits and reset time for a requester. */
  async report(who: Requester): Promise<UsageReport> {
    const now = this.#now();
    const day = utcDay(now);
    const guildId = who.guildId ?? DM_GUILD_ID;
    const settings = who.guildId === null ? undefined : await this.#store.getGuildSettings(who.guildId);
    const { limits, sources } = resolveLimits(this.#config, settings, who.guildId !== null);
    const [guild, user] = await Promise.all([
      who.guildId === null ? null : this.#store.getUsage({ guildId, day }),
      this.#store.getUsage({ guildId, userId: who.userId, day }),
    ]);
    return { day, guild, user, limits, sources, resetsAt: nextUtcMidnight(now) };
  }

  /**
   * A permit for a call estimated at `estimate` tokens, or which budget (guild first) it would
   * overrun. The check and the reservation are one step in the store.
   */
  async admit(who: Requester, estimate: number): Promise<Admission> {
    const now = this.#now();
    const guildId = who.guildId ?? DM_GUILD_ID;
    const settings = who.guildId === null ? undefined : await this.#store.getGuildSettings(who.guildId);
    const { limits } = resolveLimits(this.#config, settings, who.guildId !== null);
    const id = nodeCrypto().randomUUID();
    const outcome = await this.#store.reserveUsage(
      {
        id,
        guildId,
        userId: who.userId,
        day: utcDay(now),
        tokens: Math.max(0, Math.ceil(estimate)),
        expiresAt: now + this.#ttlMs,
      },
      { guild: limits.guild, user: limits.member },
    );
    if (!outcome.reserved)
      return { ok: false, note: { scope: outcome.over, resetsAt: nextUtcMidnight(now) } };
    const renewal = setInterval(() => {
      this.#store.renewReservation(id, this.#now() + this.#ttlMs).catch(() => undefined);
    }, this.#ttlMs / 3);
    renewal.unref();
    let ended = false;
    const end = async (usage: Usage | null): Promise<void> => {
      if (ended) return;
      ended = true;
      clearInterval(renewal);
      const spent = usage !== null && usage.inputTokens + usage.outputTokens > 0;
      await this.#store.settleReservation(
        id,
        spent
          ? {
              guildId,
              userId: who.userId,
              day: utcDay(this.#now()),
              inputTokens: usage.inputTokens,
              outputTokens: usage.outputTokens,
            }
          : null,
      );
    };
    return { ok: true, permit: { settle: (usage) => end(usage), release: () => end(null) } };
  }
}

/**
 * Model budgets as use cases: whether a model is used at all, what `/usage` shows, what `/budget`
 * changes, and (for the summary and answer use cases) the permit before a model call and the usage
 * after it. One per process, over one `BudgetLedger`.
 */
export class Budgets {
  /** Whether requests go to a model (and so count against budgets), not only to the offline engine. */
  readonly usesModel: boolean;
  readonly #ledger: BudgetLedger;
  readonly #store: Store;
  readonly #now: () => number;
  readonly #log: Logger;

  constructor(options: {
    readonly usesModel: boolean;
    readonly store: Store;
    readonly config: Pick<Config, 'BUDGET_GUILD_DAILY_TOKENS' | 'BUDGET_USER_DAILY_TOKENS'>;
    readonly now: () => number;
    readonly log: Logger;
  }) {
    this.usesModel = options.usesModel;
    this.#store = options.store;
    this.#now = options.now;
    this.#log = options.log;
    this.#ledger = new BudgetLedger(options.store, options.config, options.now);
  }

  /** Today's model usage, limits and reset time for a requester (and their guild). */
  usageToday(who: Requester): Promise<UsageReport> {
    return this.#ledger.report(who);
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
    const current = await this.#store.getGuildSettings(guildId);
    const settings: GuildSettings = {
      ...UNSET_SERVER_DEFAULTS,
      ...current,
      guildId,
      dailyTokens: change.dailyTokens === undefined ? (current?.dailyTokens ?? null) : change.dailyTokens,
      memberDailyTokens:
        change.memberDailyTokens === undefined
          ? (current?.memberDailyTokens ?? null)
          : change.memberDailyTokens,
      updatedBy: by,
      updatedAt: this.#now(),
    };
    await this.#store.putGuildSettings(settings);
    return { settings, report: await this.#ledger.report({ guildId, userId: by }) };
  }

  /**
   * Checks the requester's budgets before a model call and reserves its estimate; null when no
   * budget applies (no model is configured, or nobody is asking: the CLI). A store that fails to
   * settle a permit does not cost the user the result: the failure is logged, and the reservation
   * lapses after `RESERVATION_TTL_MS`.
   */
  async admit(who: Requester | null, estimate: () => number): Promise<Admission | null> {
    if (!this.usesModel || who === null) return null;
    const admission = await this.#ledger.admit(who, estimate());
    if (!admission.ok) return admission;
    const { permit } = admission;
    const logged = (err: unknown) => this.#log.warn({ err }, 'could not record model usage');
    return {
      ok: true,
      permit: {
        settle: (usage) => permit.settle(usage).catch(logged),
        release: () => permit.release().catch(logged),
      },
    };
  }
}
