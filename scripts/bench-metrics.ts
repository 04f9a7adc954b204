// Cost of recording a metric and of rendering /metrics: nanoseconds per `inc` and `observe`, and
// milliseconds per render with every allowed label combination in use (the most series the bot can
// ever have). Times are this process's CPU time (user + system), so other busy processes on the
// machine disturb them less than wall time. Reports medians of `runs` runs after one warm-up.
//   node dist/scripts/bench-metrics.js [runs]      (or node --import tsx scripts/bench-metrics.ts)
import { pathToFileURL } from 'node:url';
import { createMetrics, OUTCOMES, REQUEST_KINDS } from '../src/ops/metrics.js';

/** The part of `Metrics` the benchmark uses; `render` may return a string or a promise of one. */
export interface BenchedMetrics {
  readonly requests: { inc(labels: { kind: string; outcome: string }, by?: number): void };
  readonly requestDuration: { observe(labels: { kind: string }, seconds: number): void };
  readonly ackLatency: { observe(seconds: number): void };
  readonly fetches: { inc(labels: { outcome: string }, by?: number): void };
  render(): string | Promise<string>;
}

export interface MetricsFigures {
  readonly runs: number;
  /** Nanoseconds per call, median of the runs. */
  readonly incNs: number;
  readonly observeNs: number;
  readonly labelledObserveNs: number;
  /** Milliseconds per render, median of the runs, and the size of the text rendered. */
  readonly renderMs: number;
  readonly renderLines: number;
  readonly renderBytes: number;
}

const CALLS = 200_000;
const RENDERS = 50;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** CPU time of this process in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function nsPerCall(runs: number, call: (i: number) => void): number {
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = cpuMs();
    for (let i = 0; i < CALLS; i++) call(i);
    if (run > 0) times.push(((cpuMs() - started) * 1e6) / CALLS);
  }
  return median(times);
}

/** Measures one set of metrics; `make` is called once per figure so figures do not share series. */
export async function benchMetrics(make: () => BenchedMetrics, runs = 7): Promise<MetricsFigures> {
  const kinds = REQUEST_KINDS;
  const incNs = nsPerCall(
    runs,
    (() => {
      const m = make();
      return (i: number) => m.requests.inc({ kind: kinds[i & 7] ?? 'other', outcome: 'ok' });
    })(),
  );
  const observeNs = nsPerCall(
    runs,
    (() => {
      const m = make();
      return (i: number) => m.ackLatency.observe((i % 400) / 100);
    })(),
  );
  const labelledObserveNs = nsPerCall(
    runs,
    (() => {
      const m = make();
      return (i: number) => m.requestDuration.observe({ kind: kinds[i & 7] ?? 'other' }, (i % 3000) / 10);
    })(),
  );

  const full = make();
  for (const kind of REQUEST_KINDS) {
    full.requestDuration.observe({ kind }, 2.5);
    for (const outcome of OUTCOMES) full.requests.inc({ kind, outcome });
  }
  for (const outcome of OUTCOMES) full.fetches.inc({ outcome });
  full.ackLatency.observe(0.2);
  const times: number[] = [];
  let text = '';
  for (let run = 0; run <= runs; run++) {
    const started = cpuMs();
    for (let i = 0; i < RENDERS; i++) text = await full.render();
    if (run > 0) times.push((cpuMs() - started) / RENDERS);
  }
  return {
    runs,
    incNs,
    observeNs,
    labelledObserveNs,
    renderMs: median(times),
    renderLines: text.split('\n').length - 1,
    renderBytes: Buffer.byteLength(text),
  };
}

export function formatFigures(label: string, f: MetricsFigures): string {
  return [
    label.padEnd(28),
    f.incNs.toFixed(0).padStart(6),
    f.observeNs.toFixed(0).padStart(8),
    f.labelledObserveNs.toFixed(0).padStart(10),
    f.renderMs.toFixed(3).padStart(10),
    `${f.renderLines}`.padStart(6),
    `${(f.renderBytes / 1024).toFixed(1)} KB`.padStart(9),
  ].join('  ');
}

export const FIGURES_HEADER = [
  'metrics'.padEnd(28),
  'inc ns',
  'observe ns',
  'obs{kind} ns',
  'render ms',
  'lines',
  'text',
].join('  ');

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const n = Number.isFinite(runs) && runs >= 3 ? runs : 7;
  console.log(
    `metrics cost in CPU time, median of ${n} runs (after 1 warm-up); render with every label combination in use\n`,
  );
  console.log(FIGURES_HEADER);
  console.log(formatFigures('createMetrics()', await benchMetrics(() => createMetrics(), n)));
  const withProcess = await benchMetrics(() => createMetrics({ processMetrics: true }), n);
  console.log(formatFigures('… { processMetrics: true }', withProcess));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
