import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guessLanguage } from '../../src/text/index.js';
import { readFixture } from '../helpers/fixtures.js';

describe('guessLanguage', () => {
  it('GIVEN text in a known script or common language THEN its primary tag is guessed', () => {
    assert.equal(guessLanguage(readFixture('extractive', 'lavrov-china.txt')), 'en');
    assert.equal(guessLanguage(readFixture('extractive', 'ru-river.txt')), 'ru');
    assert.equal(guessLanguage(readFixture('extractive', 'ja-library.txt')), 'ja');
    assert.equal(guessLanguage('我们今天去北京大学。他们留在上海。'), 'zh');
    assert.equal(guessLanguage('Der Hund ist nicht in dem Haus, und die Katze ist auf dem Dach.'), 'de');
  });

  it('GIVEN text with no letters or no telling words THEN there is no guess', () => {
    assert.equal(guessLanguage('12345 67.89'), null);
    assert.equal(guessLanguage(''), null);
    assert.equal(guessLanguage('Xylophone zebra quartz'), null);
  });
});
