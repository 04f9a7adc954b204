import { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import type { RateLimitName, RateLimits } from './rate-limits.js';

/**
 * The connection the shared limits count on: no offline queue and a short command timeout, so that a
 * command fails fast while Redis is away or slow (and the insurance limiter counts instead).
 */
export function rateLimitRedis(url: string, commandTimeoutMs: number): Redis {
  return new Redis(url, { enableOfflineQueue: false, lazyConnect: true, commandTimeout: commandTimeoutMs });
}

/**
 * The limits shared by every process of a split deployment (VERBATIM_ROLE=gateway|worker), counted
 * in Redis by rate-limiter-flexible: a user's requests count once whichever gateway receives them.
 * A fixed window of one minute per user (the in-memory limits slide). With Redis unreachable, each
 * process limits on its own (the insurance limiter) instead of failing or waiting: the gateway
 * must still answer within Discord's 3 s.
 */
export class SharedRateLimits implements RateLimits {
  readonly #limiters: Readonly<Record<RateLimitName, RateLimiterAbstract | null>>;

  /** `redis`: an ioredis connection (`enableOfflineQueue: false`); `keyPrefix` separates deployments. */
  constructor(redis: Redis, perMinute: Readonly<Record<RateLimitName, number>>, keyPrefix: string) {
    const limiter = (name: RateLimitName): RateLimiterAbstract | null => {
      const points = perMinute[name];
      if (points === 0) return null;
      const options = { keyPrefix: `${keyPrefix}:limit:${name}`, points, duration: 60 };
      return new RateLimiterRedis({
        ...options,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.#limiters = { summaries: limiter('summaries'), questions: limiter('questions') };
  }

  async take(name: RateLimitName, userId: string): Promise<number | null> {
    const limiter = this.#limiters[name];
    if (!limiter) return null;
    try {
      await limiter.consume(userId);
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
      throw refusal;
    }
  }
}
