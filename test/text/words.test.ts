import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitWords } from '../../src/text/index.js';

const words = (text: string, locale?: string) => splitWords(text, locale).map((w) => w.text);

describe('splitWords', () => {
  it('GIVEN English THEN contractions, dotted abbreviations, decimals and digit groups stay whole', () => {
    assert.deepEqual(words("We don't know: the U.S. paid $3.5 billion, or 1,000 e-mails."), [
      'We',
      "don't",
      'know',
      'the',
      'U.S',
      'paid',
      '3.5',
      'billion',
      'or',
      '1,000',
      'e',
      'mails',
    ]);
  });

  it('GIVEN Chinese and Japanese THEN words come from the dictionary, not from spaces', () => {
    assert.deepEqual(words('我们今天去北京大学。', 'zh'), ['我们', '今天', '去', '北京', '大学']);
    assert.ok(words('東京タワーへ行きました', 'ja').includes('東京タワー'));
  });

  it('GIVEN Russian with accented and mixed-script words THEN each is one word', () => {
    assert.deepEqual(words('Россия и Китай подписали договор; café naïve', 'ru'), [
      'Россия',
      'и',
      'Китай',
      'подписали',
      'договор',
      'café',
      'naïve',
    ]);
  });

  it('GIVEN a 200,000-character text THEN words are found quickly', () => {
    const text = 'Beijing has watched with joy how attention goes to Europe. '.repeat(3400);
    const started = performance.now();
    assert.equal(splitWords(text).length, 10 * 3400);
    assert.ok(performance.now() - started < 5000);
  });
});
