import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bm25Idf, bm25Scores, buildBm25Index } from '../../src/text/index.js';

describe('BM25', () => {
  const index = buildBm25Index([
    ['china', 'russia', 'trade'],
    ['china', 'weather', 'rain', 'wind', 'sun', 'cloud'],
    ['weather'],
  ]);

  it('GIVEN a term in fewer documents THEN it weighs more, and an unseen term most', () => {
    assert.ok(bm25Idf(index, 'russia') > bm25Idf(index, 'china'));
    assert.ok(bm25Idf(index, 'penguin') > bm25Idf(index, 'russia'));
  });

  it('GIVEN a query THEN documents sharing its rarer terms score higher and unrelated ones 0', () => {
    const scores = bm25Scores(index, [
      { term: 'china', weight: 1 },
      { term: 'trade', weight: 1 },
    ]);
    assert.ok((scores[0] as number) > (scores[1] as number));
    assert.equal(scores[2], 0);
  });

  it('GIVEN the same term in a short and a long document THEN the short one scores higher; weight scales', () => {
    const one = bm25Scores(index, [{ term: 'weather', weight: 1 }]);
    assert.ok((one[2] as number) > (one[1] as number));
    const half = bm25Scores(index, [{ term: 'weather', weight: 0.5 }]);
    assert.ok(Math.abs((half[2] as number) * 2 - (one[2] as number)) < 1e-12);
  });
});
