import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { porterStem } from '../../src/text/porter-stem.js';

describe('porterStem', () => {
  it('GIVEN words from Porter’s paper THEN they stem as the reference implementation does', () => {
    const expected: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      hopping: 'hop',
      falling: 'fall',
      filing: 'file',
      happy: 'happi',
      relational: 'relat',
      conditional: 'condit',
      generalization: 'gener',
      hopefulness: 'hope',
      controlling: 'control',
      running: 'run',
      sky: 'sky',
      yelling: 'yell',
    };
    for (const [word, stem] of Object.entries(expected)) assert.equal(porterStem(word), stem, word);
  });

  it('GIVEN inflections of one word THEN they share a stem', () => {
    const stems = new Set(['investigation', 'investigated', 'investigating', 'investigates'].map(porterStem));
    assert.deepEqual([...stems], ['investig']);
  });

  it('GIVEN short words or words with other characters THEN they come back unchanged', () => {
    for (const word of ['us', 'a', 'covid19', 'café', 'россия']) assert.equal(porterStem(word), word);
  });
});
