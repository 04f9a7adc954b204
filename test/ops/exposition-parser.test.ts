import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExposition } from './exposition-parser.js';

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

  it('GIVEN empty lines between families and a NaN in any case THEN both are read, as Prometheus reads them', () => {
    const families = parseExposition('# TYPE x counter\nx 1\n\n# TYPE y gauge\ny{a="b"} 2\ny{a="c"} Nan\n');

    assert.deepEqual([...families.keys()], ['x', 'y']);
    assert.deepEqual(families.get('y')?.samples[0], { name: 'y', labels: { a: 'b' }, value: 2 });
    assert.ok(Number.isNaN(families.get('y')?.samples[1]?.value));
  });
});
