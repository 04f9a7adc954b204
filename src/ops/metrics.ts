import { REASON_CODES } from '../core/result.js';
import { MetricsRegistry, type RegistryOptions } from './registry.js';

/**
 * How a user asked: a slash command, the message context menu, a mention with a link, a plain
 * message in a summary's thread, a button, or "Try again" under a request a restart interrupted.
 * Anything else is counted as `other`.
 */
export const REQUEST_KINDS = [
  'summarize',
  'ask',
  'context_menu',
  'mention',
  'thread_message',
  'button',
  'retry',
  'other',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** `ok`, a reason code (src/core/result.ts), or `error` for a bug caught at the event boundary. */
export const OUTCOMES = ['ok', 'error', ...REASON_CODES] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const TOKEN_DIRECTIONS = ['input', 'output'] as const;
export type TokenDirection = (typeof TOKEN_DIRECTIONS)[number];

/**
 * What became of a quote a model proposed: found verbatim in the article, found after repair
 * (whitespace, quotes, a re-ask), or dropped because it could not be located.
 */
export const QUOTE_RESULTS = ['verified', 'repaired', 'dropped'] as const;
export type QuoteResult = (typeof QUOTE_RESULTS)[number];

/** When a user was told a restart cut their request short: by the stopping process, or after. */
export const INTERRUPTION_TIMES = ['at_shutdown', 'after_restart'] as const;

/** `article`: a fetched page reused; `model`: a summary or answer reused from the result cache. */
export const CACHES = ['article', 'model'] as const;
export type CacheName = (typeof CACHES)[number];

/** Whose daily model budget sent a request to the offline engine. */
export const BUDGET_SCOPES = ['guild', 'user'] as const;

/** Seconds from a request to its reply, for summaries and answers (fetch + model + grounding). */
export const REQUEST_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] as const;

/** Seconds from an interaction's arrival to its acknowledgement; Discord gives up at 3 s. */
export const ACK_LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5] as const;

/**
 * Creates Verbatim's metrics in a fresh registry. Nothing is global: the entry point creates one set
 * and passes it to whatever records (and to the health server, which renders it on `/metrics`).
 */
export function createMetrics(options: RegistryOptions = {}) {
  const registry = new MetricsRegistry(options);
  const metrics = {
    requests: registry.counter({
      name: 'verbatim_requests_total',
      help: 'Requests answered, by how they were asked and how they ended (ok or a reason code).',
      labels: { kind: REQUEST_KINDS, outcome: OUTCOMES },
    }),
    requestDuration: registry.histogram({
      name: 'verbatim_request_duration_seconds',
      help: 'Seconds from receiving a request to sending its final reply.',
      labels: { kind: REQUEST_KINDS },
      buckets: REQUEST_DURATION_BUCKETS,
    }),
    ackLatency: registry.histogram({
      name: 'verbatim_ack_latency_seconds',
      help: 'Seconds from receiving an interaction to acknowledging it (Discord allows 3).',
      buckets: ACK_LATENCY_BUCKETS,
    }),
    modelTokens: registry.counter({
      name: 'verbatim_model_tokens_total',
      help: 'Tokens sent to (input) and received from (output) the model, as the model server reported them.',
      labels: { direction: TOKEN_DIRECTIONS },
    }),
    groundingQuotes: registry.counter({
      name: 'verbatim_grounding_quotes_total',
      help: 'Quotes proposed by the engine, by whether they were verified, repaired or dropped.',
      labels: { result: QUOTE_RESULTS },
    }),
    fetches: registry.counter({
      name: 'verbatim_fetch_total',
      help: 'Links fetched, by outcome (ok or a reason code).',
      labels: { outcome: OUTCOMES },
    }),
    inflightJobs: registry.gauge({
      name: 'verbatim_inflight_jobs',
      help: 'Summaries and answers being computed or waiting for the engine right now.',
    }),
    cacheHits: registry.counter({
      name: 'verbatim_cache_hits_total',
      help: 'Lookups answered from a cache instead of fetching or calling the model again.',
      labels: { cache: CACHES },
    }),
    cacheMisses: registry.counter({
      name: 'verbatim_cache_misses_total',
      help: 'Lookups a cache could not answer (hit ratio = hits / (hits + misses)).',
      labels: { cache: CACHES },
    }),
    budgetFallbacks: registry.counter({
      name: 'verbatim_budget_fallbacks_total',
      help: 'Summaries and answers the offline engine wrote because a daily model budget (guild or user) was spent.',
      labels: { scope: BUDGET_SCOPES },
    }),
    interruptedRequests: registry.counter({
      name: 'verbatim_interrupted_requests_total',
      help: 'Requests a restart cut short whose users were told and offered a retry, by when they were told.',
      labels: { told: INTERRUPTION_TIMES },
    }),
    unanswerable: registry.counter({
      name: 'verbatim_unanswerable_messages_total',
      help: 'Messages to the bot left unanswered because it may not post where they were sent (missing permissions, a locked thread).',
      labels: { kind: REQUEST_KINDS },
    }),
    startTime: registry.gauge({
      name: 'process_start_time_seconds',
      help: 'Start time of the process since the Unix epoch, in seconds.',
    }),
    /** Every metric above, in the Prometheus text exposition format 0.0.4. */
    render: () => registry.render(),
  };
  for (const direction of TOKEN_DIRECTIONS) metrics.modelTokens.inc({ direction }, 0);
  for (const result of QUOTE_RESULTS) metrics.groundingQuotes.inc({ result }, 0);
  for (const told of INTERRUPTION_TIMES) metrics.interruptedRequests.inc({ told }, 0);
  for (const cache of CACHES) {
    metrics.cacheHits.inc({ cache }, 0);
    metrics.cacheMisses.inc({ cache }, 0);
  }
  for (const scope of BUDGET_SCOPES) metrics.budgetFallbacks.inc({ scope }, 0);
  metrics.startTime.set(Math.round(performance.timeOrigin) / 1000);
  return Object.freeze(metrics);
}

export type Metrics = ReturnType<typeof createMetrics>;
