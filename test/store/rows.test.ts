import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashText } from '../../src/article/article.js';
import { decodeArticle } from '../../src/store/rows.js';

describe('stored rows', () => {
  it('GIVEN an article row written before metadata was cleaned at extraction THEN it is read back without control characters', () => {
    const text = 'Harbor Town opened its new tidal barrier on Wednesday.';
    const meta = {
      source: 'https://example.com/a',
      url: 'https://example.com/a',
      canonicalUrl: null,
      title: 'Harbor\u001b]0;pwned\u0007 Town \u202eevil',
      byline: '\u001b[31mInes\u009b',
      siteName: '\u202e',
      lang: 'en',
      publishedTime: null,
    };
    const stored = decodeArticle({ content_hash: hashText(text), text, meta: JSON.stringify(meta) }, 0, null);
    assert.equal(stored?.article.title, 'Harbor]0;pwned Town evil');
    assert.equal(stored?.article.byline, '[31mInes');
    assert.equal(stored?.article.siteName, null);
    assert.equal(stored?.article.text, text);
  });
});
