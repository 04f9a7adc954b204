import { createHash } from 'node:crypto';

/** One bucket's allowance: `limit` requests per `windowMs` for each major parameter. */
export interface BucketLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Default per-route limits, close to what Discord answers today: 5 messages per 5 s per channel,
 * 5 requests per 2 s per interaction webhook, and a loose default elsewhere.
 * Keys are `METHOD /pattern` with `:name` parameters.
 */
export const DEFAULT_BUCKETS: Readonly<Record<string, BucketLimit>> = {
  'POST /channels/:channel/messages': { limit: 5, windowMs: 5000 },
  'PATCH /channels/:channel/messages/:message': { limit: 5, windowMs: 5000 },
  'DELETE /channels/:channel/messages/:message': { limit: 5, windowMs: 5000 },
  'POST /channels/:channel/messages/:message/threads': { limit: 10, windowMs: 10000 },
  'POST /channels/:channel/threads': { limit: 10, windowMs: 10000 },
  'POST /webhooks/:application/:token': { limit: 5, windowMs: 2000 },
  'PATCH /webhooks/:application/:token/messages/:message': { limit: 5, windowMs: 2000 },
};

export const DEFAULT_LIMIT: BucketLimit = { limit: 50, windowMs: 1000 };

/** A forced 429 armed by the driver; `matches` sees `METHOD /path` and the route key. */
interface ForcedLimit {
  readonly matches: (method: string, path: string, routeKey: string) => boolean;
  readonly retryAfterSec: number;
  readonly global: boolean;
}

export interface RateLimitDecision {
  readonly headers: Record<string, string>;
  /** Set when the request must get a 429. `forced` tells a driver-armed one from a real overrun. */
  readonly limited: { retryAfterSec: number; forced: boolean; global: boolean } | null;
}

/** `{param}` and `:param` → `:`, so patterns written either way compare equal. */
export const normalizeRouteKey = (key: string): string =>
  key
    .trim()
    .replace(/\{[^}]+\}/g, ':')
    .replace(/:[A-Za-z_][A-Za-z0-9_.]*/g, ':')
    .replace(/\/+$/, '');

/**
 * Per-route buckets with Discord's `X-RateLimit-*` headers. Uses the real clock: discord.js waits
 * in real time for the reset these headers announce.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { remaining: number; resetAt: number }>();
  readonly #forced: ForcedLimit[] = [];
  readonly #buckets = new Map<string, BucketLimit>();
  /** False when the fake was started with `rateLimits: false`: no buckets, only forced 429s. */
  readonly enabled: boolean;

  constructor(
    overrides: Readonly<Record<string, BucketLimit>> | false,
    readonly clock: () => number = Date.now,
  ) {
    this.enabled = overrides !== false;
    if (overrides !== false) {
      for (const [key, limit] of Object.entries({ ...DEFAULT_BUCKETS, ...overrides })) {
        this.#buckets.set(normalizeRouteKey(key), limit);
      }
    }
  }

  /** Arms a 429 for the next request matching `pattern` (`'POST /channels/{id}/messages'`, no method, or a RegExp). */
  forceNext(pattern: string | RegExp, retryAfterSec: number, global = false): void {
    let matches: ForcedLimit['matches'];
    if (pattern instanceof RegExp) {
      matches = (method, path) => pattern.test(`${method} ${path}`);
    } else {
      const normalized = normalizeRouteKey(pattern);
      const hasMethod = /^[A-Z]+\s/.test(normalized);
      matches = (method, _path, routeKey) => {
        const key = normalizeRouteKey(routeKey);
        return hasMethod ? key === normalized : key.slice(method.length + 1) === normalized;
      };
    }
    this.#forced.push({ matches, retryAfterSec, global });
  }

  get pendingForced(): number {
    return this.#forced.length;
  }

  /** Counts one request against its bucket and says whether it may go through. */
  take(
    method: string,
    path: string,
    routeKey: string,
    majorParameter: string,
    unlimited = false,
  ): RateLimitDecision {
    const forcedIndex = this.#forced.findIndex((f) => f.matches(method, path, routeKey));
    const limit = this.#buckets.get(normalizeRouteKey(routeKey)) ?? DEFAULT_LIMIT;
    const bucket = createHash('sha1').update(normalizeRouteKey(routeKey)).digest('hex').slice(0, 32);
    const now = this.clock();
    if (forcedIndex >= 0) {
      const [forced] = this.#forced.splice(forcedIndex, 1);
      const retryAfterSec = forced?.retryAfterSec ?? 1;
      return {
        headers: {
          ...this.#headers(limit.limit, 0, now + retryAfterSec * 1000, now, bucket),
          'retry-after': String(retryAfterSec),
          'x-ratelimit-scope': 'user',
          ...(forced?.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
        limited: { retryAfterSec, forced: true, global: forced?.global ?? false },
      };
    }
    if (!this.enabled || unlimited) return { headers: {}, limited: null };
    const windowKey = `${bucket}:${majorParameter}`;
    let window = this.#windows.get(windowKey);
    if (!window || window.resetAt <= now) {
      window = { remaining: limit.limit, resetAt: now + limit.windowMs };
      this.#windows.set(windowKey, window);
    }
    if (window.remaining <= 0) {
      const retryAfterSec = Math.max(0.001, (window.resetAt - now) / 1000);
      return {
        headers: {
          ...this.#headers(limit.limit, 0, window.resetAt, now, bucket),
          'retry-after': retryAfterSec.toFixed(3),
          'x-ratelimit-scope': 'user',
        },
        limited: { retryAfterSec, forced: false, global: false },
      };
    }
    window.remaining -= 1;
    return {
      headers: this.#headers(limit.limit, window.remaining, window.resetAt, now, bucket),
      limited: null,
    };
  }

  #headers(
    limit: number,
    remaining: number,
    resetAt: number,
    now: number,
    bucket: string,
  ): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
  }
}
