import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { makeArticle } from '../../../src/article/article.js';
import { renderQuoteContext } from '../../../src/discord/render/render-context.js';
import { spanSurroundings } from '../../../src/text/index.js';

const article = (text: string, url?: string) =>
  makeArticle(text, url ? { source: url, url } : { source: 'discord:text' });

describe('a quote in its context', () => {
  it('GIVEN a quote in the middle paragraph THEN the paragraphs before and after surround it, and it is bold', () => {
    const text = 'First paragraph.\n\nThe *council* met on Monday. It voted.\n\nLast paragraph.';
    const start = text.indexOf('It voted');
    const around = spanSurroundings(text, start, start + 'It voted.'.length);
    assert.deepEqual(around, {
      before: 'First paragraph.',
      paragraph: 'The *council* met on Monday. It voted.',
      spanStart: 29,
      spanEnd: 38,
      after: 'Last paragraph.',
    });
    const embed = renderQuoteContext(
      article(text, 'https://news.example/a'),
      around ?? assert.fail(),
      '[1] · ¶2',
    );
    assert.equal(
      embed.description,
      'First paragraph.\n\n> The \\*council\\* met on Monday. **It voted.**\n\nLast paragraph.\n\n[Open the page at this quote](https://news.example/a#:~:text=It%20voted.)',
    );
    assert.equal(embed.title, 'Context for [1] · ¶2');
  });

  it('GIVEN the first or last paragraph, or a quote across a paragraph break THEN nothing is invented and the quote is whole', () => {
    const text = 'One.\n\nTwo.\n\nThree.';
    assert.equal(spanSurroundings(text, 0, 4)?.before, null);
    assert.equal(spanSurroundings(text, text.length - 6, text.length)?.after, null);
    const across = spanSurroundings(text, 0, 10);
    assert.equal(across?.paragraph, 'One.\n\nTwo.');
    assert.equal(across?.after, 'Three.');
    for (const [s, e] of [
      [-1, 2],
      [3, 3],
      [0, 99],
      [1.5, 3],
    ] as const) {
      assert.equal(spanSurroundings(text, s, e), null);
    }
  });

  it('GIVEN a Discord message as the source THEN the link opens the message, with no text fragment', () => {
    const url = 'https://discord.com/channels/111111111111111111/222222222222222222/333333333333333333';
    const text = 'Alpha beta.\n\nGamma delta.';
    const embed = renderQuoteContext(
      article(text, url),
      spanSurroundings(text, 0, 11) ?? assert.fail(),
      '¶1',
    );
    assert.equal(embed.url, url);
    assert.ok(embed.description?.endsWith(`[Open the message](${url})`));
  });

  it('GIVEN paragraphs of any length and markdown-heavy text THEN the description stays within 4,096 characters and the quote stays whole and bold', () => {
    const word = fc.stringMatching(/^[a-z*_`~|>#[\]()\\-]{1,12}$/u);
    const paragraph = fc.array(word, { minLength: 1, maxLength: 900 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 4 }), fc.nat(), (paras, pick) => {
        const text = paras.join('\n\n');
        const words = [...text.matchAll(/\S+/gu)];
        const first = words[pick % words.length];
        if (!first) return;
        const start = first.index;
        const end = Math.min(text.length, start + 300);
        const around = spanSurroundings(text, start, end);
        assert.ok(around);
        const embed = renderQuoteContext(article(text, 'https://news.example/a'), around, '[1]');
        assert.ok((embed.description?.length ?? 0) <= 4096);
        assert.ok(embed.description?.includes('**'));
      }),
      { numRuns: 60 },
    );
  });
});
