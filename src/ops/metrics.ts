import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { REASON_CODES } from '../core/result.js';

/**
 * How a user asked: a slash command, the message context menu, a mention with a link, a reaction, a plain
 * message in a summary's thread, a button, or "Try again" under a request a restart interrupted.
 * Anything else is counted as `other`.
 */
export const REQUEST_KINDS = [
  'summarize',
  'ask',
  'context_menu',
  'mention',
  'reaction',
  'thread_message',
  'button',
  'retry',
  'auto_summary',
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

/**
 * What became of a link posted in an auto-summary channel: summarized, answered with a pointer to
 * the same link's summary of the last day, withdrawn (its message deleted or edited to drop it), or
 * left unanswered for a reason code (`not_an_article` for listings, videos, login walls…).
 */
export const AUTO_SUMMARY_OUTCOMES = ['posted', 'pointer', 'withdrawn', ...REASON_CODES] as const;
export type AutoSummaryOutcome = (typeof AUTO_SUMMARY_OUTCOMES)[number];

/** Whose daily model budget sent a request to the offline engine. */
export const BUDGET_SCOPES = ['guild', 'user'] as const;

/** Seconds from a request to its reply, for summaries and answers (fetch + model + grounding). */
export const REQUEST_DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300] as const;

/** Seconds from an interaction's arrival to its acknowledgement; Discord gives up at 3 s. */
export const ACK_LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5] as const;

/**
 * Milliseconds between event-loop delay samples for `nodejs_eventloop_lag_*`. prom-client's 10 ms
 * cost ~7 ms of CPU per second on an idle bot here (100 ms: under 1 ms); stalls that matter to
 * Discord (its 3-second acknowledgement limit) are still seen.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

export interface MetricsOptions {
  /** Monotonic clock in milliseconds for `startTimer`; default `performance.now`. Tests move it. */
  readonly now?: () => number;
  /**
   * Also collect prom-client's default process metrics (CPU, memory, heap, event-loop lag, GC,
   * file descriptors, `nodejs_version_info`). Once per process: each call starts its own
   * event-loop delay monitor, which is never stopped. Off by default, so tests can make many sets.
   */
  readonly processMetrics?: boolean;
}

/**
 * Creates Verbatim's metrics in a fresh prom-client registry (never prom-client's global one).
 * Nothing is global: the entry point creates one set and passes it to whatever records (and to the
 * health server, which renders it on `/metrics`).
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  const make = new MetricFactory(registry, options.now ?? (() => performance.now()));
  const metrics = {
    requests: make.counter({
      name: 'verbatim_requests_total',
      help: 'Requests answered, by how they were asked and how they ended (ok or a reason code).',
      labels: { kind: REQUEST_KINDS, outcome: OUTCOMES },
    }),
    requestDuration: make.histogram({
      name: 'verbatim_request_duration_seconds',
      help: 'Seconds from receiving a request to sending its final reply.',
      labels: { kind: REQUEST_KINDS },
      buckets: REQUEST_DURATION_BUCKETS,
    }),
    ackLatency: make.histogram({
      name: 'verbatim_ack_latency_seconds',
      help: 'Seconds from receiving an interaction to acknowledging it (Discord allows 3).',
      buckets: ACK_LATENCY_BUCKETS,
    }),
    modelTokens: make.counter({
      name: 'verbatim_model_tokens_total',
      help: 'Tokens sent to (input) and received from (output) the model, as the model server reported them.',
      labels: { direction: TOKEN_DIRECTIONS },
    }),
    groundingQuotes: make.counter({
      name: 'verbatim_grounding_quotes_total',
      help: 'Quotes proposed by the engine, by whether they were verified, repaired or dropped.',
      labels: { result: QUOTE_RESULTS },
    }),
    fetches: make.counter({
      name: 'verbatim_fetch_total',
      help: 'Links fetched, by outcome (ok or a reason code).',
      labels: { outcome: OUTCOMES },
    }),
    inflightJobs: make.gauge({
      name: 'verbatim_inflight_jobs',
      help: 'Summaries and answers being computed or waiting for the engine right now.',
    }),
    cacheHits: make.counter({
      name: 'verbatim_cache_hits_total',
      help: 'Lookups answered from a cache instead of fetching or calling the model again.',
      labels: { cache: CACHES },
    }),
    cacheMisses: make.counter({
      name: 'verbatim_cache_misses_total',
      help: 'Lookups a cache could not answer (hit ratio = hits / (hits + misses)).',
      labels: { cache: CACHES },
    }),
    budgetFallbacks: make.counter({
      name: 'verbatim_budget_fallbacks_total',
      help: 'Summaries and answers the offline engine wrote because a daily model budget (guild or user) was spent.',
      labels: { scope: BUDGET_SCOPES },
    }),
    interruptedRequests: make.counter({
      name: 'verbatim_interrupted_requests_total',
      help: 'Requests a restart cut short whose users were told and offered a retry, by when they were told.',
      labels: { told: INTERRUPTION_TIMES },
    }),
    unanswerable: make.counter({
      name: 'verbatim_unanswerable_messages_total',
      help: 'Messages to the bot left unanswered because it may not post where they were sent (missing permissions, a locked thread).',
      labels: { kind: REQUEST_KINDS },
    }),
    autoSummaries: make.counter({
      name: 'verbatim_auto_summary_links_total',
      help: 'Links posted in auto-summary channels, by what became of them (posted, pointer, withdrawn, or the reason code of a link left unanswered).',
      labels: { outcome: AUTO_SUMMARY_OUTCOMES },
    }),
    /** Every metric above, in the Prometheus text exposition format 0.0.4 (`METRICS_CONTENT_TYPE`). */
    render: (): Promise<string> => registry.metrics(),
  };
  // Series that exist from the start (in label order), so rate() over them is defined at once.
  for (const direction of TOKEN_DIRECTIONS) metrics.modelTokens.inc({ direction }, 0);
  for (const result of QUOTE_RESULTS) metrics.groundingQuotes.inc({ result }, 0);
  for (const told of [...INTERRUPTION_TIMES].sort()) metrics.interruptedRequests.inc({ told }, 0);
  for (const cache of CACHES) {
    metrics.cacheHits.inc({ cache }, 0);
    metrics.cacheMisses.inc({ cache }, 0);
  }
  for (const scope of BUDGET_SCOPES) metrics.budgetFallbacks.inc({ scope }, 0);
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  } else {
    make
      .gauge({
        name: 'process_start_time_seconds',
        help: 'Start time of the process since the Unix epoch, in seconds.',
      })
      .set(Math.round(performance.timeOrigin) / 1000);
  }
  return Object.freeze(metrics);
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The value recorded for a label value outside its list. */
const OTHER = 'other';

/** Each label's allowed values; anything else is recorded as `other`, so series stay bounded. */
type LabelLists = Readonly<Record<string, readonly string[]>>;
type NoLabels = Record<never, never>;
type LabelValues<L extends LabelLists> = { readonly [K in keyof L]: L[K][number] };
/** Arguments of `inc`/`set`/`observe`: the label values first, unless the metric has no labels. */
type Args<L extends LabelLists, Rest extends unknown[]> = keyof L extends never
  ? Rest
  : [labels: LabelValues<L>, ...Rest];

/** A value that only goes up (requests, tokens). */
export interface CounterMetric<L extends LabelLists = NoLabels> {
  /** Adds `by` (default 1; finite, ≥ 0). `inc(labels, 0)` makes a series visible at zero. */
  inc(...args: Args<L, [by?: number]>): void;
  /** The current value of a series (0 if never touched). */
  get(...args: Args<L, []>): Promise<number>;
}

/** A value that goes up and down (jobs in flight). */
export interface GaugeMetric<L extends LabelLists = NoLabels> {
  set(...args: Args<L, [value: number]>): void;
  inc(...args: Args<L, [by?: number]>): void;
  dec(...args: Args<L, [by?: number]>): void;
  get(...args: Args<L, []>): Promise<number>;
}

/** Observations counted into buckets (durations in seconds). */
export interface HistogramMetric<L extends LabelLists = NoLabels> {
  observe(...args: Args<L, [value: number]>): void;
  /** Starts a clock; the returned function observes the seconds elapsed since and returns them. */
  startTimer(...args: Args<L, []>): () => number;
}

interface MetricSpec<L extends LabelLists> {
  readonly name: string;
  readonly help: string;
  readonly labels?: L;
}

type Labels = Record<string, string>;

/**
 * Typed prom-client metrics whose label values are checked against fixed lists (prom-client
 * accepts any string, which would let a user id or a URL become a series).
 */
class MetricFactory {
  readonly #registry: Registry;
  readonly #now: () => number;

  constructor(registry: Registry, now: () => number) {
    this.#registry = registry;
    this.#now = now;
  }

  counter<L extends LabelLists = NoLabels>(spec: MetricSpec<L>): CounterMetric<L> {
    const metric = new Counter(this.#common(spec));
    const bound = labeller(spec);
    return {
      inc: (a?: unknown, b?: unknown) => {
        const labels = bound?.(a);
        const by = ((labels ? b : a) ?? 1) as number;
        if (!(by >= 0 && by < Number.POSITIVE_INFINITY)) {
          throw new RangeError(`${spec.name}: a counter grows by a finite amount ≥ 0, got ${by}`);
        }
        if (labels) metric.inc(labels, by);
        else metric.inc(by);
      },
      get: async (a?: unknown) => seriesValue(await metric.get(), bound?.(a)),
    } as CounterMetric<L>;
  }

  gauge<L extends LabelLists = NoLabels>(spec: MetricSpec<L>): GaugeMetric<L> {
    const metric = new Gauge(this.#common(spec));
    const bound = labeller(spec);
    const change = (sign: 1 | -1 | 0, a: unknown, b: unknown) => {
      const labels = bound?.(a);
      const value = ((labels ? b : a) ?? 1) as number;
      if (!Number.isFinite(value)) {
        throw new RangeError(`${spec.name}: a gauge takes finite numbers, got ${value}`);
      }
      if (sign === 0) labels ? metric.set(labels, value) : metric.set(value);
      else labels ? metric.inc(labels, sign * value) : metric.inc(sign * value);
    };
    return {
      set: (a?: unknown, b?: unknown) => change(0, a, b),
      inc: (a?: unknown, b?: unknown) => change(1, a, b),
      dec: (a?: unknown, b?: unknown) => change(-1, a, b),
      get: async (a?: unknown) => seriesValue(await metric.get(), bound?.(a)),
    } as GaugeMetric<L>;
  }

  histogram<L extends LabelLists = NoLabels>(
    spec: MetricSpec<L> & { readonly buckets: readonly number[] },
  ): HistogramMetric<L> {
    const metric = new Histogram({ ...this.#common(spec), buckets: [...spec.buckets] });
    const bound = labeller(spec);
    const observe = (labels: Labels | undefined, value: number) =>
      labels ? metric.observe(labels, value) : metric.observe(value);
    return {
      observe: (a?: unknown, b?: unknown) => {
        const labels = bound?.(a);
        observe(labels, (labels ? b : a) as number);
      },
      startTimer: (a?: unknown) => {
        const labels = bound?.(a);
        const start = this.#now();
        return () => {
          const seconds = Math.max(0, (this.#now() - start) / 1000);
          observe(labels, seconds);
          return seconds;
        };
      },
    } as HistogramMetric<L>;
  }

  #common(spec: MetricSpec<LabelLists>) {
    return {
      name: spec.name,
      help: spec.help,
      labelNames: Object.keys(spec.labels ?? {}),
      registers: [this.#registry],
    };
  }
}

/**
 * For a metric with labels, a function turning the label values a caller passed into the ones
 * recorded (a value outside its list becomes `other`); undefined for a metric without labels.
 */
function labeller(spec: MetricSpec<LabelLists>): ((raw: unknown) => Labels) | undefined {
  const lists = Object.entries(spec.labels ?? {}).map(([name, values]) => [name, new Set(values)] as const);
  if (lists.length === 0) return undefined;
  return (raw) => {
    if (typeof raw !== 'object' || raw === null) {
      throw new TypeError(`${spec.name}: label values are required (${lists.map(([n]) => n).join(', ')})`);
    }
    const labels: Labels = {};
    for (const [name, allowed] of lists) {
      const value = (raw as Readonly<Record<string, unknown>>)[name];
      labels[name] = typeof value === 'string' && allowed.has(value) ? value : OTHER;
    }
    return labels;
  };
}

/** The value of the series with exactly these labels in a prom-client `get()` result, else 0. */
function seriesValue(
  data: { readonly values: readonly { readonly labels: object; readonly value: number }[] },
  labels: Labels | undefined,
): number {
  const wanted = Object.entries(labels ?? {});
  const series = data.values.find((v) => {
    const have = v.labels as Readonly<Record<string, unknown>>;
    return wanted.every(([name, value]) => have[name] === value);
  });
  return series?.value ?? 0;
}
