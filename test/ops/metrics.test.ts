import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { prometheusContentType } from 'prom-client';
import { METRICS_CONTENT_TYPE } from '../../src/ops/health.js';
import {
  ACK_LATENCY_BUCKETS,
  createMetrics,
  OUTCOMES,
  REQUEST_DURATION_BUCKETS,
  REQUEST_KINDS,
} from '../../src/ops/metrics.js';
import { parseExposition } from './exposition-parser.js';

describe('createMetrics', () => {
  it('GIVEN fresh metrics THEN every Verbatim family is rendered with its type and parses', async () => {
    const families = parseExposition(await createMetrics().render());

    assert.deepEqual(Object.fromEntries([...families.values()].map((f) => [f.name, f.type])), {
      verbatim_requests_total: 'counter',
      verbatim_request_duration_seconds: 'histogram',
      verbatim_ack_latency_seconds: 'histogram',
      verbatim_model_tokens_total: 'counter',
      verbatim_grounding_quotes_total: 'counter',
      verbatim_fetch_total: 'counter',
      verbatim_inflight_jobs: 'gauge',
      verbatim_cache_hits_total: 'counter',
      verbatim_cache_misses_total: 'counter',
      verbatim_budget_fallbacks_total: 'counter',
      verbatim_interrupted_requests_total: 'counter',
      verbatim_unanswerable_messages_total: 'counter',
      verbatim_auto_summary_links_total: 'counter',
      process_start_time_seconds: 'gauge',
    });
    for (const family of families.values()) assert.ok(family.help && family.help.length > 10, family.name);
    assert.deepEqual(
      families.get('verbatim_budget_fallbacks_total')?.samples.map((s) => [s.labels.scope, s.value]),
      [
        ['guild', 0],
        ['user', 0],
      ],
      'both scopes exist from the start, so a rate over them is defined',
    );
    assert.deepEqual(
      families.get('verbatim_model_tokens_total')?.samples.map((s) => [s.labels.direction, s.value]),
      [
        ['input', 0],
        ['output', 0],
      ],
    );
    assert.equal(families.get('verbatim_inflight_jobs')?.samples[0]?.value, 0);
    assert.deepEqual(
      families.get('verbatim_interrupted_requests_total')?.samples.map((s) => [s.labels.told, s.value]),
      [
        ['after_restart', 0],
        ['at_shutdown', 0],
      ],
      'both series exist from the start, so rate() works before the first restart',
    );
    const ackBuckets = families.get('verbatim_ack_latency_seconds')?.samples.filter((s) => s.labels.le);
    assert.equal(ackBuckets?.length, ACK_LATENCY_BUCKETS.length + 1);
    const start = families.get('process_start_time_seconds')?.samples[0]?.value ?? 0;
    assert.ok(Math.abs(start - Date.now() / 1000) < 24 * 3600, `start time ${start}`);
  });

  it('GIVEN a summary, a failed question and their timings THEN the series carry kind and outcome', async () => {
    let now = 0;
    const metrics = createMetrics({ now: () => now });
    const done = metrics.requestDuration.startTimer({ kind: 'summarize' });
    metrics.inflightJobs.inc();
    metrics.ackLatency.observe(0.12);
    metrics.fetches.inc({ outcome: 'ok' });
    metrics.cacheMisses.inc({ cache: 'article' });
    metrics.modelTokens.inc({ direction: 'input' }, 1200);
    metrics.modelTokens.inc({ direction: 'output' }, 300);
    metrics.groundingQuotes.inc({ result: 'verified' }, 4);
    metrics.groundingQuotes.inc({ result: 'dropped' });
    now += 3250;
    done();
    metrics.inflightJobs.dec();
    metrics.requests.inc({ kind: 'summarize', outcome: 'ok' });
    metrics.requests.inc({ kind: 'ask', outcome: 'rate_limited' });

    const families = parseExposition(await metrics.render());
    const value = (family: string, name: string, labels: Record<string, string>) =>
      families.get(family)?.samples.find((s) => s.name === name && isDeepStrictEqual(s.labels, labels))
        ?.value;

    assert.equal(
      value('verbatim_requests_total', 'verbatim_requests_total', { kind: 'summarize', outcome: 'ok' }),
      1,
    );
    assert.equal(
      value('verbatim_requests_total', 'verbatim_requests_total', { kind: 'ask', outcome: 'rate_limited' }),
      1,
    );
    assert.equal(
      value('verbatim_request_duration_seconds', 'verbatim_request_duration_seconds_bucket', {
        kind: 'summarize',
        le: '2',
      }),
      0,
    );
    assert.equal(
      value('verbatim_request_duration_seconds', 'verbatim_request_duration_seconds_bucket', {
        kind: 'summarize',
        le: '5',
      }),
      1,
    );
    assert.equal(
      value('verbatim_request_duration_seconds', 'verbatim_request_duration_seconds_sum', {
        kind: 'summarize',
      }),
      3.25,
    );
    assert.equal(value('verbatim_ack_latency_seconds', 'verbatim_ack_latency_seconds_count', {}), 1);
    assert.equal(
      value('verbatim_model_tokens_total', 'verbatim_model_tokens_total', { direction: 'input' }),
      1200,
    );
    assert.equal(
      value('verbatim_grounding_quotes_total', 'verbatim_grounding_quotes_total', { result: 'dropped' }),
      1,
    );
    assert.equal(
      value('verbatim_grounding_quotes_total', 'verbatim_grounding_quotes_total', { result: 'repaired' }),
      0,
    );
    assert.equal(value('verbatim_fetch_total', 'verbatim_fetch_total', { outcome: 'ok' }), 1);
    assert.equal(
      value('verbatim_cache_misses_total', 'verbatim_cache_misses_total', { cache: 'article' }),
      1,
    );
    assert.equal(value('verbatim_inflight_jobs', 'verbatim_inflight_jobs', {}), 0);
  });

  it('GIVEN an outcome or kind outside the lists THEN it is counted as other, never as a new series', async () => {
    const metrics = createMetrics();
    const unchecked = metrics.requests as unknown as { inc(labels: Record<string, string>): void };
    unchecked.inc({ kind: 'slash-/etc/passwd', outcome: 'ECONNRESET: socket hang up at 10.0.0.1' });

    const samples = parseExposition(await metrics.render()).get('verbatim_requests_total')?.samples;

    assert.deepEqual(
      samples?.map((s) => s.labels),
      [{ kind: 'other', outcome: 'other' }],
    );
    assert.ok(OUTCOMES.includes('busy'));
    // @ts-expect-error: labels are required
    assert.throws(() => metrics.requests.inc(), TypeError);
  });

  it('GIVEN two sets of metrics THEN recording in one leaves the other untouched', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.requests.inc({ kind: 'ask', outcome: 'ok' });
    a.inflightJobs.set(3);

    assert.equal(await b.requests.get({ kind: 'ask', outcome: 'ok' }), 0);
    assert.equal(await b.inflightJobs.get(), 0);
    assert.equal(await a.requests.get({ kind: 'ask', outcome: 'ok' }), 1);
    assert.ok(Object.isFrozen(a));
  });

  it('GIVEN any durations THEN both histograms render their own buckets, cumulative, +Inf equal to the count', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...REQUEST_KINDS), fc.double({ min: 0, max: 400, noNaN: true })), {
          maxLength: 40,
        }),
        async (observations) => {
          const metrics = createMetrics();
          for (const [kind, seconds] of observations) {
            metrics.requestDuration.observe({ kind }, seconds);
            metrics.ackLatency.observe(seconds / 60);
          }

          const families = parseExposition(await metrics.render());

          const bounds = (family: string, labels: Record<string, string>) =>
            families
              .get(family)
              ?.samples.filter(
                (s) =>
                  s.name === `${family}_bucket` &&
                  Object.entries(labels).every(([k, v]) => s.labels[k] === v),
              )
              .map((s) => s.labels.le);
          for (const kind of new Set(observations.map(([k]) => k))) {
            assert.deepEqual(bounds('verbatim_request_duration_seconds', { kind }), [
              ...REQUEST_DURATION_BUCKETS.map(String),
              '+Inf',
            ]);
          }
          assert.deepEqual(bounds('verbatim_ack_latency_seconds', {}), [
            ...ACK_LATENCY_BUCKETS.map(String),
            '+Inf',
          ]);
          const ackCount = families
            .get('verbatim_ack_latency_seconds')
            ?.samples.find((s) => s.name === 'verbatim_ack_latency_seconds_count')?.value;
          assert.equal(ackCount, observations.length);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('GIVEN a negative, NaN or infinite amount THEN a counter or gauge throws RangeError and keeps its value', async () => {
    const metrics = createMetrics();
    metrics.modelTokens.inc({ direction: 'input' }, 5);

    assert.throws(() => metrics.modelTokens.inc({ direction: 'input' }, -1), RangeError);
    assert.throws(() => metrics.modelTokens.inc({ direction: 'input' }, Number.NaN), RangeError);
    assert.throws(
      () => metrics.modelTokens.inc({ direction: 'input' }, Number.POSITIVE_INFINITY),
      RangeError,
    );
    assert.throws(() => metrics.inflightJobs.set(Number.NaN), RangeError);

    assert.equal(await metrics.modelTokens.get({ direction: 'input' }), 5);
    assert.equal(await metrics.inflightJobs.get(), 0);
    assert.match(await metrics.render(), /^verbatim_model_tokens_total\{direction="input"\} 5$/mu);
  });

  it('GIVEN jobs starting and ending THEN the in-flight gauge follows inc, dec and set', async () => {
    const metrics = createMetrics();
    metrics.inflightJobs.inc();
    metrics.inflightJobs.inc();
    metrics.inflightJobs.dec();
    assert.equal(await metrics.inflightJobs.get(), 1);
    metrics.inflightJobs.set(4);

    assert.match(await metrics.render(), /^verbatim_inflight_jobs 4$/mu);
  });

  it('GIVEN processMetrics THEN process and Node.js metrics are rendered too, with one start time, and parse', async () => {
    const metrics = createMetrics({ processMetrics: true });

    const families = parseExposition(await metrics.render());

    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_gc_duration_seconds',
      'verbatim_requests_total',
    ]) {
      assert.ok(families.has(name), name);
    }
    assert.equal(families.get('process_start_time_seconds')?.samples.length, 1);
    const start = families.get('process_start_time_seconds')?.samples[0]?.value ?? 0;
    assert.ok(Math.abs(start - (Date.now() / 1000 - process.uptime())) < 5, `start time ${start}`);
  });

  it('GIVEN prom-client THEN the format it writes is the one /metrics declares', () => {
    assert.equal(prometheusContentType, METRICS_CONTENT_TYPE);
  });
});
