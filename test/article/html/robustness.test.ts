import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalizeText } from '../../../src/article/article.js';
import { extractArticleFromHtml } from '../../../src/article/html/index.js';

const TAGS = [
  'p',
  'div',
  'span',
  'a',
  'br',
  'h2',
  'li',
  'ul',
  'script',
  'table',
  'td',
  'tr',
  'pre',
  'b',
  'article',
  'nav',
];

/** Fragments of HTML, well formed or not: tags, attributes, entities, text in several scripts. */
const htmlPiece = fc.oneof(
  fc.constantFrom(...TAGS).map((t) => `<${t}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(
    '<a href="/rel">',
    '<div class="share related">',
    '<p hidden>',
    '<meta property="og:locale" content="xx">',
    '<script type="application/ld+json">{"@type":"Article","articleBody":',
    '&amp;',
    '&#x1F600;',
    '<!--',
    '-->',
    '<base href="javascript:x">',
  ),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'Съешь же ещё этих мягких французских булок. ',
    '吾輩は猫である。名前はまだ無い。',
    'The quick brown fox jumps over the lazy dog. ',
  ),
);

describe('extractArticleFromHtml on arbitrary input', () => {
  it('GIVEN any string THEN it returns a Result (never throws), and an article text is normalized and non-empty', () => {
    fc.assert(
      fc.property(
        fc.array(htmlPiece, { maxLength: 60 }),
        fc.option(fc.webUrl(), { nil: null }),
        (pieces, url) => {
          const result = extractArticleFromHtml(pieces.join(''), { source: 'prop', url });
          if (result.ok) {
            assert.notEqual(result.value.text, '');
            assert.equal(normalizeText(result.value.text), result.value.text);
            if (result.value.canonicalUrl !== null) assert.match(result.value.canonicalUrl, /^https?:\/\//);
          } else {
            assert.ok(['empty_input', 'not_an_article'].includes(result.error.code), result.error.code);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('GIVEN 5,000 nested elements THEN extraction still finishes with the text inside', () => {
    const depth = 5000;
    const html = `<html><body>${'<div>'.repeat(depth)}<p>${'Deep text that is still an article sentence. '.repeat(20)}</p>${'</div>'.repeat(depth)}</body></html>`;
    const result = extractArticleFromHtml(html, { source: 'deep', url: null });
    if (!result.ok) assert.fail(result.error.message);
    assert.match(result.value.text, /^Deep text/);
  });
});
