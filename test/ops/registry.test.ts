import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  escapeHelp,
  escapeLabelValue,
  formatNumber,
  MetricsRegistry,
  OTHER,
} from '../../src/ops/registry.js';
import { parseExposition } from './exposition-parser.js';

const COLORS = ['red', 'green'] as const;

describe('exposition parser used by these tests', () => {
  it('GIVEN malformed expositions THEN it rejects each one', () => {
    const bad = [
      'x 1',
      '# TYPE x counter\nx{a="1} 1\n',
      '# TYPE x counter\nx{a="\\t"} 1\n',
      '# TYPE x counter\nx one\n',
      '# TYPE x counter\nx 1\nx 2\n',
      '# TYPE x counter\nx 1\n# TYPE y gauge\ny 1\nx 2\n',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      '# TYPE x counter\nx -1\n',
    ];
    for (const text of bad) assert.throws(() => parseExposition(text), Error, text);
    assert.equal(
      parseExposition('# HELP x a\n# TYPE x counter\nx{a="b\\"c"} 1\n').get('x')?.samples.length,
      1,
    );
  });
});

describe('MetricsRegistry', () => {
  it('GIVEN a counter, a gauge and a histogram THEN every line parses and each family has HELP and TYPE', () => {
    const registry = new MetricsRegistry();
    const hits = registry.counter({ name: 'demo_hits_total', help: 'Hits.', labels: { color: COLORS } });
    const level = registry.gauge({ name: 'demo_level', help: 'Level.' });
    const size = registry.histogram({ name: 'demo_size', help: 'Size.', buckets: [1, 10] });
    hits.inc({ color: 'red' });
    hits.inc({ color: 'green' }, 2.5);
    level.set(-3);
    size.observe(4);

    const families = parseExposition(registry.render());

    assert.deepEqual([...families.keys()], ['demo_hits_total', 'demo_level', 'demo_size']);
    assert.deepEqual(
      [...families.values()].map((f) => [f.help, f.type]),
      [
        ['Hits.', 'counter'],
        ['Level.', 'gauge'],
        ['Size.', 'histogram'],
      ],
    );
    assert.deepEqual(families.get('demo_hits_total')?.samples, [
      { name: 'demo_hits_total', labels: { color: 'green' }, value: 2.5 },
      { name: 'demo_hits_total', labels: { color: 'red' }, value: 1 },
    ]);
    assert.deepEqual(families.get('demo_level')?.samples, [{ name: 'demo_level', labels: {}, value: -3 }]);
  });

  it('GIVEN observations THEN buckets are cumulative, le is inclusive, +Inf equals the count', () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram({
      name: 'demo_seconds',
      help: 'Latency.',
      labels: { color: COLORS },
      buckets: [0.1, 0.5, 1],
    });
    for (const v of [0.05, 0.1, 0.3, 0.5, 0.7, 2, 3]) latency.observe({ color: 'red' }, v);
    latency.observe({ color: 'green' }, 0.2);

    const samples = parseExposition(registry.render()).get('demo_seconds')?.samples ?? [];
    const red = samples.filter((s) => s.labels.color === 'red');

    assert.deepEqual(
      red.filter((s) => s.name === 'demo_seconds_bucket').map((s) => [s.labels.le, s.value]),
      [
        ['0.1', 2],
        ['0.5', 4],
        ['1', 5],
        ['+Inf', 7],
      ],
    );
    assert.equal(red.find((s) => s.name === 'demo_seconds_count')?.value, 7);
    assert.ok(Math.abs((red.find((s) => s.name === 'demo_seconds_sum')?.value ?? 0) - 6.65) < 1e-9);
    assert.deepEqual(latency.get({ color: 'green' }), { count: 1, sum: 0.2 });
  });

  it('GIVEN any histogram observations THEN the rendered buckets pass the cumulative checks', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 100, noNaN: true }), { maxLength: 50 }), (values) => {
        const registry = new MetricsRegistry();
        const h = registry.histogram({ name: 'p_seconds', help: 'P.', buckets: [0, 0.5, 1, 5, 50] });
        for (const v of values) h.observe(v);
        const samples = parseExposition(registry.render()).get('p_seconds')?.samples ?? [];
        const infBucket = samples.find((s) => s.labels.le === '+Inf');
        assert.equal(infBucket?.value, values.length);
      }),
    );
  });

  it('GIVEN label values with backslashes, quotes and line feeds THEN they are escaped and read back unchanged', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeHelp('one\\two\nthree "q"'), 'one\\\\two\\nthree "q"');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (value, help) => {
          const registry = new MetricsRegistry();
          registry
            .counter({ name: 'e_total', help, labels: { path: { maxLength: 1000 } } })
            .inc({ path: value });
          const family = parseExposition(registry.render()).get('e_total');
          assert.equal(family?.help, help);
          assert.equal(family?.samples[0]?.labels.path, value);
        },
      ),
    );
  });

  it('GIVEN a value outside a fixed label list or a long free-text value THEN it is recorded as other or truncated', () => {
    const registry = new MetricsRegistry();
    const c = registry.counter({
      name: 'b_total',
      help: 'B.',
      labels: { color: COLORS, note: { maxLength: 3 } },
    });
    // @ts-expect-error: 'blue' is not one of the listed colors
    c.inc({ color: 'blue', note: 'a' });
    c.inc({ color: 'red', note: 'ünïcode' });

    const samples = parseExposition(registry.render()).get('b_total')?.samples ?? [];

    assert.deepEqual(
      samples.map((s) => s.labels),
      [
        { color: OTHER, note: 'a' },
        { color: 'red', note: 'ünï' },
      ],
    );
  });

  it('GIVEN more label combinations than maxSeries THEN the rest are folded into one all-other series', () => {
    const registry = new MetricsRegistry();
    const c = registry.counter({
      name: 'm_total',
      help: 'M.',
      labels: { id: { maxLength: 20 } },
      maxSeries: 3,
    });
    for (let i = 0; i < 10; i++) c.inc({ id: `user-${i}` });

    const samples = parseExposition(registry.render()).get('m_total')?.samples ?? [];

    assert.equal(samples.length, 4);
    assert.equal(samples.find((s) => s.labels.id === OTHER)?.value, 7);
    assert.equal(
      samples.reduce((sum, s) => sum + s.value, 0),
      10,
    );
  });

  it('GIVEN a timer on an injected clock THEN it observes the elapsed seconds', () => {
    let now = 1000;
    const registry = new MetricsRegistry({ now: () => now });
    const h = registry.histogram({ name: 't_seconds', help: 'T.', buckets: [1, 2] });
    const stop = h.startTimer();
    now += 1500;

    assert.equal(stop(), 1.5);
    assert.deepEqual(h.get(), { count: 1, sum: 1.5 });
  });

  it('GIVEN gauges THEN set, inc and dec move the value and a counter only grows', () => {
    const registry = new MetricsRegistry();
    const g = registry.gauge({ name: 'g', help: 'G.' });
    g.inc();
    g.inc(4);
    g.dec(2);
    assert.equal(g.get(), 3);
    g.set(0.5);
    assert.equal(g.get(), 0.5);
    const c = registry.counter({ name: 'c_total', help: 'C.' });
    assert.throws(() => c.inc(-1), RangeError);
    assert.throws(() => c.inc(Number.NaN), RangeError);
    assert.throws(() => g.set(Number.POSITIVE_INFINITY), RangeError);
    assert.equal(c.get(), 0);
  });

  it('GIVEN bad names, duplicates, bad buckets or NaN observations THEN registering or observing throws', () => {
    const registry = new MetricsRegistry();
    registry.histogram({ name: 'dup', help: 'D.', buckets: [1] });
    assert.throws(() => registry.counter({ name: 'bad-name', help: 'x' }), RangeError);
    assert.throws(() => registry.counter({ name: 'dup', help: 'x' }), /already registered/);
    assert.throws(() => registry.counter({ name: 'dup_count', help: 'x' }), /already registered/);
    assert.throws(() => registry.counter({ name: 'l_total', help: 'x', labels: { __x: ['a'] } }), RangeError);
    assert.throws(() => registry.histogram({ name: 'h1', help: 'x', labels: { le: ['a'] }, buckets: [1] }));
    assert.throws(() => registry.histogram({ name: 'h2', help: 'x', buckets: [2, 1] }), RangeError);
    assert.throws(() => registry.histogram({ name: 'h3', help: 'x', buckets: [] }), RangeError);
    assert.throws(() => registry.histogram({ name: 'h4', help: 'x', buckets: [1, Infinity] }), RangeError);
    assert.throws(() => registry.counter({ name: 'f_total', help: 'x', labels: { a: { maxLength: 0 } } }));
    const h = registry.histogram({ name: 'h5', help: 'x', buckets: [1] });
    assert.throws(() => h.observe(Number.NaN), RangeError);
  });

  it('GIVEN two registries THEN they share no series', () => {
    const a = new MetricsRegistry();
    const b = new MetricsRegistry();
    a.counter({ name: 'same_total', help: 'S.' }).inc(5);
    const other = b.counter({ name: 'same_total', help: 'S.' });

    assert.equal(other.get(), 0);
    assert.match(b.render(), /^same_total 0$/m);
  });

  it('GIVEN special numbers THEN they are written as Prometheus reads them', () => {
    assert.equal(formatNumber(Number.POSITIVE_INFINITY), '+Inf');
    assert.equal(formatNumber(Number.NEGATIVE_INFINITY), '-Inf');
    assert.equal(formatNumber(Number.NaN), 'NaN');
    assert.equal(formatNumber(1e21), '1e+21');
    assert.equal(formatNumber(0.000001), '0.000001');
    assert.equal(new MetricsRegistry().render(), '');
  });
});
