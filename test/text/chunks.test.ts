import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkText } from '../../src/text/index.js';

describe('chunkText', () => {
  it('GIVEN paragraphs that fit together THEN they share a chunk, and a break falls between paragraphs', () => {
    const text =
      'One short paragraph.\n\nAnother short one.\n\nA third paragraph that is longer than the others.';
    assert.deepEqual(
      chunkText(text, 45).map((c) => c.text),
      ['One short paragraph.\n\nAnother short one.', 'A third paragraph that is longer than the', 'others.'],
    );
  });

  it('GIVEN a paragraph longer than the size THEN it is cut between sentences', () => {
    const text = 'First sentence is here. Second sentence is here. Third sentence is here.';
    assert.deepEqual(
      chunkText(text, 50).map((c) => c.text),
      ['First sentence is here. Second sentence is here.', 'Third sentence is here.'],
    );
  });

  it('GIVEN a sentence longer than the size THEN it is cut between words', () => {
    const chunks = chunkText('alpha beta gamma delta epsilon', 12).map((c) => c.text);
    assert.deepEqual(chunks, ['alpha beta', 'gamma delta', 'epsilon']);
  });

  it('GIVEN a size below 2 THEN it refuses', () => {
    assert.throws(() => chunkText('text', 1), RangeError);
  });
});
