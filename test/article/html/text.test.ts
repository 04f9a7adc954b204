import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from '../../../src/article/html/dom.js';
import { renderText } from '../../../src/article/html/text.js';

function render(body: string): string {
  const document = parseDocument(`<html><head></head><body>${body}</body></html>`, null);
  if (document.body === null) assert.fail('no body');
  return renderText(document.body);
}

describe('renderText', () => {
  it('GIVEN paragraphs and headings THEN each is its own paragraph separated by one blank line', () => {
    assert.equal(
      render('<h2>Title</h2><p>One.</p><p>Two.</p><div>Three.</div>'),
      'Title\n\nOne.\n\nTwo.\n\nThree.',
    );
  });

  it('GIVEN inline markup and runs of whitespace THEN words keep single spaces and no markup remains', () => {
    assert.equal(
      render('<p>  A  <b>bold</b>\n\t<i>move</i>,<a href="/x"> said</a>   she. </p>'),
      'A bold move, said she.',
    );
  });

  it('GIVEN a single <br> THEN a line break; GIVEN two in a row THEN a paragraph break', () => {
    assert.equal(
      render('<p>line one<br>line two<br><br>new paragraph</p>'),
      'line one\nline two\n\nnew paragraph',
    );
  });

  it('GIVEN a list THEN each item is its own line and the list is its own paragraph', () => {
    assert.equal(
      render('<p>Before</p><ul><li>a</li><li>b <em>c</em></li></ul><p>After</p>'),
      'Before\n\na\nb c\n\nAfter',
    );
  });

  it('GIVEN a <pre> block THEN its line breaks and indentation survive', () => {
    assert.equal(render('<p>Code:</p><pre>if (x) {\n  y();\n}</pre>'), 'Code:\n\nif (x) {\n  y();\n}');
  });

  it('GIVEN a table THEN each row is a line and cells are separated by a space', () => {
    assert.equal(
      render('<table><tr><td>Name</td><td>Age</td></tr><tr><td>Ann</td><td>40</td></tr></table>'),
      'Name Age\nAnn 40',
    );
  });

  it('GIVEN scripts, styles, buttons and form fields THEN their text is left out', () => {
    assert.equal(
      render(
        '<p>Kept<script>var x = "no";</script><style>p{}</style><button>Click</button><select><option>o</option></select></p>',
      ),
      'Kept',
    );
  });

  it('GIVEN text split across inline elements without spaces THEN no space is invented', () => {
    assert.equal(render('<p>Kindle<a href="/k">デスクトップ</a>アプリ</p>'), 'Kindleデスクトップアプリ');
  });
});
