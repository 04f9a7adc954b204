import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeTerm, termRules, termsOf } from '../../src/text/terms.js';

describe('termsOf', () => {
  it('GIVEN English THEN stop words go, possessives and accents fold, inflections stem, lone letters stay', () => {
    assert.deepEqual(
      termsOf('The investigators’ cafés said that Vitamin C was investigated.', termRules('en')),
      ['investig', 'cafe', 'vitamin', 'c', 'investig'],
    );
  });

  it('GIVEN Russian THEN case endings meet', () => {
    const rules = termRules('ru');
    assert.deepEqual(termsOf('Уровень воды в реках, метра', rules), ['уровен', 'вод', 'рек', 'метр']);
    assert.deepEqual(termsOf('уровень вода в реке, метров', rules), ['уровен', 'вод', 'рек', 'метр']);
  });

  it('GIVEN Japanese THEN voicing marks are kept, so が is not か', () => {
    const rules = termRules('ja');
    assert.equal(normalizeTerm('ガス', rules), 'ガス');
    assert.ok(termsOf('東京タワーへ行きました', rules).includes('東京タワー'));
  });

  it('GIVEN an unknown language THEN long words are cut to six letters', () => {
    assert.deepEqual(termsOf('Verhandlungen Verhandlung', termRules('xx')), ['verhan', 'verhan']);
  });
});
