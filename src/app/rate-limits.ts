/** The per-user limits a request can declare (see the Discord pipeline's preconditions). */
export type RateLimitName = 'summaries' | 'questions';

/**
 * Per-user request limits. Asynchronous, so that a limiter shared by several processes (Redis,
 * rate-limiter-flexible) can implement it without changing any caller.
 */
export interface RateLimits {
  /**
   * Counts one request of `name` by `userId` if it is within the limit and resolves to null;
   * otherwise counts nothing and resolves to the milliseconds until one is allowed.
   */
  take(name: RateLimitName, userId: string): Promise<number | null>;
}

/** One process's limits, in memory: `perMinute[name]` requests per user per minute (0: no limit). */
export class MemoryRateLimits implements RateLimits {
  readonly #limiters: Readonly<Record<RateLimitName, RateLimiter>>;

  constructor(perMinute: Readonly<Record<RateLimitName, number>>, now: () => number = Date.now) {
    this.#limiters = {
      summaries: new RateLimiter(perMinute.summaries, 60_000, now),
      questions: new RateLimiter(perMinute.questions, 60_000, now),
    };
  }

  async take(name: RateLimitName, userId: string): Promise<number | null> {
    return this.#limiters[name].take(userId);
  }
}

/**
 * A sliding-window limit per key (a user id): at most `limit` events in any `windowMs`. Held by
 * one bot instance, never shared through module state. Limit 0 means no limit.
 */
export class RateLimiter {
  readonly #events = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /**
   * Counts one event for `key` if it is within the limit and returns null; otherwise counts
   * nothing and returns the milliseconds until the oldest event leaves the window.
   */
  take(key: string): number | null {
    if (this.#limit === 0) return null;
    const now = this.#now();
    const since = now - this.#windowMs;
    const events = (this.#events.get(key) ?? []).filter((t) => t > since);
    if (events.length >= this.#limit) {
      this.#events.set(key, events);
      return Math.max(1, (events[0] ?? now) + this.#windowMs - now);
    }
    events.push(now);
    this.#events.set(key, events);
    if (this.#events.size > 10_000) this.#sweep(since);
    return null;
  }

  /** Drops keys with no event in the window, so memory follows active users only. */
  #sweep(since: number): void {
    for (const [key, events] of this.#events) {
      if ((events.at(-1) ?? 0) <= since) this.#events.delete(key);
    }
  }
}
