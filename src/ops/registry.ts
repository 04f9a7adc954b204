/**
 * A small metrics registry rendered in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Dependency-free; every registry is
 * an instance, so tests and several bots in one process never share counters.
 *
 * Label cardinality is bounded twice: each label either takes values from a fixed list (anything
 * else is recorded as `other`) or is free text cut to `maxLength` characters; and each metric keeps
 * at most `maxSeries` label combinations, folding any further one into a series whose labels are
 * all `other`.
 */

/** A label's allowed values (others become `other`), or free text truncated to `maxLength` characters. */
export type LabelSpec = readonly string[] | { readonly maxLength: number };

export type LabelSpecs = Readonly<Record<string, LabelSpec>>;

/** The label values a series takes: the listed values for a fixed list, any string for free text. */
export type LabelValues<S extends LabelSpecs> = {
  readonly [K in keyof S]: S[K] extends readonly (infer V)[] ? V : string;
};

/** Arguments of `inc`/`set`/`observe`: the label values first, unless the metric has no labels. */
type Args<S extends LabelSpecs, Rest extends unknown[]> = keyof S extends never
  ? Rest
  : [labels: LabelValues<S>, ...Rest];

/** The value recorded in place of a label value outside its list, and for overflowing series. */
export const OTHER = 'other';

/** Default bound on label combinations per metric. */
export const DEFAULT_MAX_SERIES = 500;

export interface MetricOptions<S extends LabelSpecs> {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*`; counters should end in `_total`, durations in `_seconds`. */
  readonly name: string;
  /** One line saying what is counted and in which unit. */
  readonly help: string;
  readonly labels?: S;
  /** Most label combinations kept; default 500. */
  readonly maxSeries?: number;
}

export interface HistogramOptions<S extends LabelSpecs> extends MetricOptions<S> {
  /** Upper bounds, strictly increasing and finite; `+Inf` is added. */
  readonly buckets: readonly number[];
}

/** A value that only goes up (requests, tokens). */
export interface Counter<S extends LabelSpecs> {
  readonly name: string;
  /** Adds `by` (default 1, never negative). `inc(labels, 0)` makes a series visible at zero. */
  inc(...args: Args<S, [by?: number]>): void;
  /** The current value of a series (0 if never touched). */
  get(...args: Args<S, []>): number;
}

/** A value that goes up and down (jobs in flight). */
export interface Gauge<S extends LabelSpecs> {
  readonly name: string;
  set(...args: Args<S, [value: number]>): void;
  inc(...args: Args<S, [by?: number]>): void;
  dec(...args: Args<S, [by?: number]>): void;
  get(...args: Args<S, []>): number;
}

/** Observations counted into buckets (durations in seconds). */
export interface Histogram<S extends LabelSpecs> {
  readonly name: string;
  observe(...args: Args<S, [value: number]>): void;
  /** Starts a clock; the returned function observes the seconds elapsed since and returns them. */
  startTimer(...args: Args<S, []>): () => number;
  /** Count and sum of a series' observations. */
  get(...args: Args<S, []>): { readonly count: number; readonly sum: number };
}

export interface RegistryOptions {
  /** Monotonic clock in milliseconds for `startTimer`; default `performance.now`. */
  readonly now?: () => number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface Series {
  readonly labels: readonly string[];
  value: number;
  /** Histograms only: observations per bucket (not cumulative), the last one for `+Inf`. */
  readonly buckets: number[];
  sum: number;
}

interface SeriesLookup {
  (labels: unknown): Series;
  (labels: unknown, create: false): Series | undefined;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  readonly bounds: readonly number[];
  readonly series: Map<string, Series>;
}

/** Holds metrics and renders them; create one per process (or per test). */
export class MetricsRegistry {
  readonly #families: Family[] = [];
  readonly #now: () => number;

  constructor(options: RegistryOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
  }

  counter<S extends LabelSpecs = Record<never, never>>(options: MetricOptions<S>): Counter<S> {
    const family = this.#register(options, 'counter', []);
    const series = this.#seriesOf(family, options);
    return {
      name: family.name,
      inc: (...args: unknown[]) => {
        const [labels, by = 1] = split(family, args);
        if (!Number.isFinite(by) || (by as number) < 0) {
          throw new RangeError(`${family.name}: a counter grows by a finite amount ≥ 0, got ${by}`);
        }
        series(labels).value += by as number;
      },
      get: (...args: unknown[]) => series(split(family, args)[0], false)?.value ?? 0,
    } as Counter<S>;
  }

  gauge<S extends LabelSpecs = Record<never, never>>(options: MetricOptions<S>): Gauge<S> {
    const family = this.#register(options, 'gauge', []);
    const series = this.#seriesOf(family, options);
    const add = (args: unknown[], sign: 1 | -1) => {
      const [labels, by = 1] = split(family, args);
      finite(family, by);
      series(labels).value += sign * (by as number);
    };
    return {
      name: family.name,
      set: (...args: unknown[]) => {
        const [labels, value] = split(family, args);
        finite(family, value);
        series(labels).value = value as number;
      },
      inc: (...args: unknown[]) => add(args, 1),
      dec: (...args: unknown[]) => add(args, -1),
      get: (...args: unknown[]) => series(split(family, args)[0], false)?.value ?? 0,
    } as Gauge<S>;
  }

  histogram<S extends LabelSpecs = Record<never, never>>(options: HistogramOptions<S>): Histogram<S> {
    const bounds = [...options.buckets];
    const increasing = bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > (bounds[i - 1] ?? b)));
    if (bounds.length === 0 || !increasing) {
      throw new RangeError(`${options.name}: buckets must be finite and strictly increasing`);
    }
    const family = this.#register(options, 'histogram', bounds);
    const series = this.#seriesOf(family, options);
    const observe = (labels: unknown, value: number) => {
      if (Number.isNaN(value)) throw new RangeError(`${family.name}: cannot observe NaN`);
      const s = series(labels);
      const found = bounds.findIndex((b) => value <= b);
      const index = found === -1 ? bounds.length : found;
      s.buckets[index] = (s.buckets[index] ?? 0) + 1;
      s.sum += value;
      s.value += 1;
    };
    return {
      name: family.name,
      observe: (...args: unknown[]) => {
        const [labels, value] = split(family, args);
        observe(labels, value as number);
      },
      startTimer: (...args: unknown[]) => {
        const [labels] = split(family, args);
        const start = this.#now();
        return () => {
          const seconds = Math.max(0, (this.#now() - start) / 1000);
          observe(labels, seconds);
          return seconds;
        };
      },
      get: (...args: unknown[]) => {
        const s = series(split(family, args)[0], false);
        return { count: s?.value ?? 0, sum: s?.sum ?? 0 };
      },
    } as Histogram<S>;
  }

  /** Every metric in registration order, series sorted by labels, as exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const family of this.#families) {
      lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
      lines.push(`# TYPE ${family.name} ${family.type}`);
      const sorted = [...family.series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, s] of sorted) {
        const labels = family.labelNames.map((n, i) => [n, s.labels[i] ?? ''] as const);
        if (family.type !== 'histogram') {
          lines.push(`${family.name}${labelSet(labels)} ${formatNumber(s.value)}`);
          continue;
        }
        let cumulative = 0;
        for (const [i, bound] of family.bounds.entries()) {
          cumulative += s.buckets[i] ?? 0;
          lines.push(
            `${family.name}_bucket${labelSet([...labels, ['le', formatNumber(bound)]])} ${cumulative}`,
          );
        }
        lines.push(`${family.name}_bucket${labelSet([...labels, ['le', '+Inf']])} ${s.value}`);
        lines.push(`${family.name}_sum${labelSet(labels)} ${formatNumber(s.sum)}`);
        lines.push(`${family.name}_count${labelSet(labels)} ${s.value}`);
      }
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  #register(options: MetricOptions<LabelSpecs>, type: Family['type'], bounds: readonly number[]): Family {
    const { name } = options;
    if (!METRIC_NAME.test(name)) throw new RangeError(`invalid metric name: ${JSON.stringify(name)}`);
    const taken = (n: string) =>
      this.#families.some((f) =>
        f.type === 'histogram'
          ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`].includes(n)
          : f.name === n,
      );
    const emitted = type === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
    if (emitted.some(taken)) throw new RangeError(`metric ${name} is already registered`);
    const labelNames = Object.keys(options.labels ?? {});
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__') || (type === 'histogram' && label === 'le')) {
        throw new RangeError(`${name}: invalid label name ${JSON.stringify(label)}`);
      }
      const spec = options.labels?.[label];
      if (spec !== undefined && !Array.isArray(spec)) {
        const { maxLength } = spec as { maxLength: number };
        if (!Number.isInteger(maxLength) || maxLength < 1) {
          throw new RangeError(`${name}: label ${label} needs a positive integer maxLength`);
        }
      }
    }
    const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
    if (!Number.isInteger(maxSeries) || maxSeries < 1) {
      throw new RangeError(`${name}: maxSeries must be a positive integer`);
    }
    const family: Family = { name, help: options.help, type, labelNames, bounds, series: new Map() };
    this.#families.push(family);
    return family;
  }

  /**
   * Returns a function finding (and, unless `create` is false, creating) the series for raw label
   * values, applying the cardinality bounds. A metric without labels has its one series from the
   * start, so it is rendered (at zero) before anything is recorded.
   */
  #seriesOf(family: Family, options: MetricOptions<LabelSpecs>): SeriesLookup {
    const specs = Object.entries(options.labels ?? {});
    const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
    const make = (values: readonly string[]): Series => ({
      labels: values,
      value: 0,
      buckets: family.type === 'histogram' ? new Array<number>(family.bounds.length + 1).fill(0) : [],
      sum: 0,
    });
    if (family.labelNames.length === 0) family.series.set('[]', make([]));
    return ((labels: unknown, create = true) => {
      const record = (labels ?? {}) as Readonly<Record<string, unknown>>;
      let values = specs.map(([n, spec]) => boundValue(record[n], spec));
      let key = JSON.stringify(values);
      let s = family.series.get(key);
      if (s || !create) return s;
      if (family.series.size >= maxSeries) {
        values = family.labelNames.map(() => OTHER);
        key = JSON.stringify(values);
        s = family.series.get(key);
        if (s) return s;
      }
      s = make(values);
      family.series.set(key, s);
      return s;
    }) as SeriesLookup;
  }
}

function boundValue(value: unknown, spec: LabelSpec): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : String(value);
  if (Array.isArray(spec)) return spec.includes(text) ? text : OTHER;
  const { maxLength } = spec as { maxLength: number };
  return text.length <= maxLength ? text : [...text].slice(0, maxLength).join('');
}

/** Splits call arguments into (labels, rest…) according to whether the metric has labels. */
function split(family: Family, args: unknown[]): [unknown, ...(number | undefined)[]] {
  if (family.labelNames.length === 0) return [undefined, ...(args as (number | undefined)[])];
  const [labels, ...rest] = args;
  if (typeof labels !== 'object' || labels === null) {
    throw new TypeError(`${family.name}: label values are required (${family.labelNames.join(', ')})`);
  }
  return [labels, ...(rest as (number | undefined)[])];
}

function finite(family: Family, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${family.name}: a gauge takes finite numbers, got ${String(value)}`);
  }
}

function labelSet(labels: readonly (readonly [name: string, value: string])[]): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([n, v]) => `${n}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** Label values escape backslash, double quote and line feed (format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** HELP text escapes backslash and line feed only. */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Numbers as Prometheus reads them: `+Inf`, `-Inf`, `NaN`, else JavaScript's shortest round-trip form. */
export function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}
