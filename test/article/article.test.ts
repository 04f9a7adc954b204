import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { makeArticle } from '../../src/article/article.js';
import { articleFromBytes } from '../../src/article/ingest.js';
import { readFixture } from '../helpers/fixtures.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('article metadata', () => {
  it('GIVEN metadata carrying escape sequences, C1 controls, bidi overrides and line breaks THEN makeArticle keeps one clean line of each, and null for what is left empty', () => {
    const article = makeArticle('Body text.', {
      source: 'notes\u001b[2J.txt',
      url: 'https://example.com/a\u202e',
      canonicalUrl: '\u001b]0;x\u0007https://example.com/a',
      title: 'Harbor\u001b]0;pwned\u0007 Town\nOpens\u009b31m \u202eevil\u202c',
      byline: '\u001b\u009b\u202e\n',
      siteName: 'The Coastal\u2066 Courier',
      publishedTime: '2024-05-02\u001b[5m',
    });
    assert.equal(article.title, 'Harbor]0;pwned Town Opens31m evil');
    assert.equal(article.byline, null);
    assert.equal(article.siteName, 'The Coastal Courier');
    assert.equal(article.source, 'notes[2J.txt');
    assert.equal(article.url, 'https://example.com/a');
    assert.equal(article.canonicalUrl, ']0;xhttps://example.com/a');
    assert.equal(article.publishedTime, '2024-05-02[5m');
  });

  it('GIVEN a page whose title, byline, site name and text carry terminal escapes and bidi overrides THEN the extracted article has none of them, in its metadata or its text', async () => {
    const result = await articleFromBytes({
      bytes: new TextEncoder().encode(readFixture('html', 'hostile-metadata.html')),
      filename: 'hostile.html',
      contentType: null,
      meta: { source: 'hostile.html' },
    });
    assert.ok(result.ok);
    const { text, contentHash: _, ...meta } = result.value;
    for (const [key, value] of Object.entries(meta)) {
      assert.doesNotMatch(String(value), UNSAFE, key);
    }
    assert.match(meta.title ?? '', /^Harbor Town\]0;pwned Opens \[2JIts 31mTidal Barrier evil$/u);
    assert.equal(meta.byline, 'Ines[31m Calloway');
    assert.equal(meta.siteName, 'The Coastal Courier[5m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    assert.match(text, /^A sign read evil and 2J nothing\.$/mu, 'the words stay');
  });
});

describe('the content hash', () => {
  it('GIVEN an article THEN contentHash is the SHA-256 of its normalized text, an enumerable property that JSON, spreads and structured clones carry, and the article stays frozen', () => {
    const article = makeArticle('Line one.\r\n\r\n\r\nLine two.  ', { source: 'a.txt' });
    assert.equal(article.text, 'Line one.\n\nLine two.');
    const expected = `sha256:${createHash('sha256').update('Line one.\n\nLine two.', 'utf8').digest('hex')}`;
    assert.equal(article.contentHash, expected);
    assert.ok(Object.keys(article).includes('contentHash'));
    assert.equal(JSON.parse(JSON.stringify(article)).contentHash, expected);
    assert.equal({ ...article }.contentHash, expected);
    assert.equal(structuredClone(article).contentHash, expected);
    assert.ok(Object.isFrozen(article));
    assert.equal(makeArticle('Line one.\n\nLine two.').contentHash, expected, 'the same text, the same hash');
  });
});
