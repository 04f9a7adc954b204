import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lexRank } from '../../../src/engines/extractive/lex-rank.js';
import { tfidfVector } from '../../../src/engines/extractive/sparse-vector.js';

describe('lexRank', () => {
  it('GIVEN one sentence sharing terms with all others THEN it is the most central', () => {
    const sentences = [
      [1, 2, 3],
      [1, 4],
      [2, 5],
      [3, 6],
      [7, 8],
    ];
    const ranks = lexRank(sentences.map((terms) => tfidfVector(terms, () => 1)));
    const best = ranks.indexOf(Math.max(...ranks));
    assert.equal(best, 0);
    assert.ok(Math.abs(ranks.reduce((a, b) => a + b, 0) - 1) < 1e-6, 'ranks sum to 1');
    assert.ok((ranks[4] as number) < (ranks[1] as number), 'an unconnected sentence ranks lowest');
  });

  it('GIVEN no or one sentence THEN the ranks are trivial', () => {
    assert.equal(lexRank([]).length, 0);
    assert.deepEqual([...lexRank([tfidfVector([1], () => 1)])], [1]);
  });
});
