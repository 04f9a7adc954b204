import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { createAppWorkerPool } from '../../../src/app/pooled-engine.js';
import { boundHtml, MAX_HTML_DEPTH } from '../../../src/article/html/bound.js';
import { nestedHtml } from '../../helpers/crafted.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { expectValue } from '../fetch/local-server.js';

interface Node {
  readonly nodeType: number;
  readonly firstChild: Node | null;
  readonly nextSibling: Node | null;
  readonly textContent: string | null;
}

/** Element depth of a parsed document (the document element is 1), walked without recursion. */
function depthOf(html: string): number {
  const { document } = parseHTML(html) as unknown as { document: Node };
  let deepest = 0;
  const stack: [Node, number][] = [[document, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    deepest = Math.max(deepest, depth);
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      if (child.nodeType === 1) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

const textOf = (html: string): string =>
  (
    (parseHTML(html) as unknown as { document: { documentElement: Node } }).document.documentElement
      .textContent ?? ''
  ).replace(/\s+/g, '');

const TAGS = [
  'div',
  'p',
  'span',
  'li',
  'ul',
  'td',
  'tr',
  'table',
  'b',
  'svg',
  'path',
  'desc',
  'script',
  'br',
  'hr',
];
const piece = fc.oneof(
  fc.constantFrom(...TAGS).map((t) => `<${t}>`),
  fc.constantFrom(...TAGS).map((t) => `</${t}>`),
  fc.constantFrom(...TAGS).map((t) => `<${t}/>`),
  fc.constantFrom(
    'text',
    ' a<b ',
    '&amp;',
    '<!-- c -->',
    '<a title="x>y">',
    '</a>',
    '<script x=/>',
    '</script>',
  ),
);

describe('boundHtml: nesting and size are bounded before parsing', () => {
  it('GIVEN 200,000 nested divs THEN at most the depth limit reaches the parser and the text is kept', () => {
    const page = nestedHtml(200_000, 'The one paragraph at the bottom.');
    const bounded = boundHtml(page);
    assert.ok(bounded.flattened > 390_000, `flattened ${bounded.flattened} tags`);
    assert.ok(bounded.html.length < 10_000);
    assert.ok(depthOf(bounded.html) <= MAX_HTML_DEPTH, `depth ${depthOf(bounded.html)}`);
    assert.match(bounded.html, /The one paragraph at the bottom\./);
  });

  it('GIVEN any mix of tags, mis-nested or not THEN the parsed depth stays within the limit and no text is lost', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), (pieces) => {
        const html = `<html><body>${pieces.join('')}</body></html>`;
        const bounded = boundHtml(html, 6, 10_000);
        assert.ok(depthOf(bounded.html) <= 7, `depth ${depthOf(bounded.html)} for ${html}`);
        assert.equal(textOf(bounded.html), textOf(html));
      }),
      { numRuns: 1000 },
    );
  });

  it('GIVEN the article fixtures THEN they are returned unchanged', () => {
    for (const name of readdirSync(fixturePath('html'))) {
      const html = readFixture('html', name);
      const bounded = boundHtml(html);
      assert.equal(bounded.html, html, name);
      assert.equal(bounded.flattened, 0);
      assert.equal(bounded.truncated, false);
    }
  });

  it('GIVEN self-closed scripts and SVGs nested 10,000 deep THEN they are bounded too (the tokenizer opens them as elements)', () => {
    for (const tag of ['<script/>', '<svg><svg/>', '<div/>']) {
      const bounded = boundHtml(`<html><body>${tag.repeat(10_000)}<p>end</p></body></html>`);
      assert.ok(depthOf(bounded.html) <= MAX_HTML_DEPTH + 1, `${tag}: depth ${depthOf(bounded.html)}`);
    }
  });

  it('GIVEN an inline SVG of many self-closing shapes THEN nothing is dropped (they do not nest)', () => {
    const html = `<html><body><svg>${'<path d="M0 0"/>'.repeat(2_000)}</svg><p>After the icon.</p></body></html>`;
    assert.equal(boundHtml(html).html, html);
  });

  it('GIVEN a script past the depth limit THEN it stays a script (its "<div>" text is not parsed as markup)', () => {
    const html = `<body>${'<div>'.repeat(10)}<script>var s = "<div>";</script>${'</div>'.repeat(10)}</body>`;
    const bounded = boundHtml(html, 5, 1_000);
    assert.match(bounded.html, /<script>var s = "<div>";<\/script>/);
    assert.ok(depthOf(bounded.html) <= 6);
  });

  it('GIVEN more elements than the limit THEN the page is cut before the next one and what came before is kept', () => {
    const html = `<body><p>First paragraph.</p>${'<b>x</b>'.repeat(50)}<p>Never read.</p></body>`;
    const bounded = boundHtml(html, 512, 20);
    assert.equal(bounded.truncated, true);
    assert.match(bounded.html, /First paragraph\./);
    assert.doesNotMatch(bounded.html, /Never read/);
  });
});

describe('extractHtml in the worker pool on hostile nesting', () => {
  const pool = createAppWorkerPool(1);
  after(() => pool.close());

  it('GIVEN a page nested 200,000 deep THEN the real pool answers within its time limit with the text', async () => {
    const paragraph =
      'The council voted on Tuesday to keep the east side clinic open until a replacement is built, after hearing from more than thirty residents who spoke against closing it.';
    const article = expectValue(
      await pool.run('extractHtml', [nestedHtml(200_000, paragraph), { source: 'deep.html', url: null }], {
        timeoutMs: 20_000,
      }),
    );
    assert.equal(article.text, paragraph);
  });
});
