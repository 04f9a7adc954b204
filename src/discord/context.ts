import type { Client } from 'discord.js';
import type { JobHandle } from '../app/jobs.js';
import { KeyedQueue } from '../app/keyed-queue.js';
import type { RateLimits } from '../app/rate-limits.js';
import type { App } from '../app/system.js';
import type { WorkQueue } from '../app/work-queue.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics, Outcome, RequestKind } from '../ops/metrics.js';
import type { WatchedMessage } from './auto-summary.js';

/**
 * Everything a handler needs, owned by one running bot (nothing lives in module state): the use
 * cases, per-user rate limits, the per-thread question queue, and the in-flight work that shutdown
 * waits for.
 */
export class BotContext {
  /** Follow-up questions run one at a time per conversation, in arrival order. */
  readonly conversations = new KeyedQueue();
  readonly #inFlight = new Set<Promise<unknown>>();
  #pendingAcks = 0;
  readonly #ackWaiters: (() => void)[] = [];
  readonly #shutdown = new AbortController();
  readonly #watched = new Map<string, WatchedMessage>();
  #accepting = true;

  constructor(
    readonly client: Client,
    readonly app: App,
    readonly rateLimits: RateLimits,
    readonly config: Config,
    readonly log: Logger,
    readonly metrics: Metrics,
    /** A gateway's queue (VERBATIM_ROLE=gateway): requests that declare `queued` go to the workers. */
    readonly queue: WorkQueue | null = null,
  ) {}

  /** False once shutdown began: new events are turned away. */
  get accepting(): boolean {
    return this.#accepting;
  }

  /** Aborted when shutdown gives up waiting: long work stops and tells its user. */
  get signal(): AbortSignal {
    return this.#shutdown.signal;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Sends an interaction's acknowledgement (deferReply, a first reply, a modal), counted while in
   * flight so that `afterAcknowledgements` can hold other work back.
   */
  async acknowledge<T>(send: () => Promise<T>, receivedAt?: number): Promise<T> {
    this.#pendingAcks++;
    try {
      const result = await send();
      if (receivedAt !== undefined) this.metrics.ackLatency.observe((performance.now() - receivedAt) / 1000);
      return result;
    } finally {
      this.#pendingAcks--;
      if (this.#pendingAcks === 0) for (const wake of this.#ackWaiters.splice(0)) wake();
    }
  }

  /**
   * Resolves once no acknowledgement is in flight (at most `maxWaitMs` later). Work starts after
   * it, so that in a burst of requests every user's acknowledgement goes out before anyone's
   * fetching, parsing and rendering compete with it for the event loop (Discord drops an
   * interaction not acknowledged within 3 s).
   */
  afterAcknowledgements(maxWaitMs = 500): Promise<void> {
    if (this.#pendingAcks === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
      this.#ackWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Starts following a person's message while its auto-summaries are made: MESSAGE_DELETE and
   * MESSAGE_UPDATE update what `watched` returns until `unwatchMessage`.
   */
  watchMessage(messageId: string, content: string): WatchedMessage {
    const watched: WatchedMessage = { deleted: false, content };
    this.#watched.set(messageId, watched);
    return watched;
  }

  /** The message as last seen, while it is followed; undefined otherwise. */
  watched(messageId: string): WatchedMessage | undefined {
    return this.#watched.get(messageId);
  }

  unwatchMessage(messageId: string, watched: WatchedMessage): void {
    if (this.#watched.get(messageId) === watched) this.#watched.delete(messageId);
  }

  /** Runs one event's work, counted until it settles. */
  track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  /**
   * Stops taking work, waits up to `graceMs` for what is running, then aborts the rest and waits a
   * little longer for it to tell its users.
   */
  async drain(graceMs: number): Promise<void> {
    this.#accepting = false;
    const settled = () => Promise.allSettled([...this.#inFlight]);
    await Promise.race([settled(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    if (this.#inFlight.size === 0) return;
    this.#shutdown.abort();
    await Promise.race([settled(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

/** One event being handled: the bot, a child logger and the id users can quote. */
export interface RequestContext {
  readonly bot: BotContext;
  readonly log: Logger;
  /** The interaction or message id: shown in "something went wrong" and on every log line. */
  readonly requestId: string;
  /** How the user asked, for metrics. */
  readonly kind: RequestKind;
  /** `performance.now()` when the event arrived. */
  readonly receivedAt: number;
  /** The request as recorded while it runs (see `runRequest`), once it is. */
  readonly job?: JobHandle;
}

/** How a request ended, for metrics: `ok`, or the reason code the user was told about. */
export type RequestOutcome = Outcome;

/** Sends an interaction's acknowledgement, timed from the event's arrival (see BotContext.acknowledge). */
export function acknowledge<T>(ctx: RequestContext, send: () => Promise<T>): Promise<T> {
  return ctx.bot.acknowledge(send, ctx.receivedAt);
}
