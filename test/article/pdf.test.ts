import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { pdfToText } from '../../src/article/pdf.js';
import { fixturePath } from '../helpers/fixtures.js';
import { expectFailure, expectValue } from './fetch/local-server.js';

const pdf = (name: string) => new Uint8Array(readFileSync(fixturePath('fetch', name)));

describe('pdfToText', () => {
  test('GIVEN the two-page sample THEN its text, title and page count, paragraphs split by blank lines', async () => {
    const result = expectValue(await pdfToText(pdf('sample.pdf')));
    assert.equal(result.pages, 2);
    assert.equal(result.title, 'Verbatim Sample PDF');
    assert.deepEqual(result.text.split('\n\n'), [
      'Verbatim test document',
      'The first paragraph starts here and runs onto a second line of the same paragraph.',
      'A second paragraph follows after a gap and ends on this line.',
      'Page two has its own paragraph.',
    ]);
  });

  test('GIVEN bytes the caller keeps using THEN they are not detached by pdf.js', async () => {
    const bytes = pdf('sample.pdf');
    const length = bytes.byteLength;
    expectValue(await pdfToText(bytes));
    assert.equal(bytes.byteLength, length);
  });

  test('GIVEN a password-protected PDF THEN unreadable with reason encrypted', async () => {
    const error = expectFailure(await pdfToText(pdf('encrypted.pdf')));
    assert.equal(error.code, 'unreadable');
    assert.equal(error.details.reason, 'encrypted');
  });

  test('GIVEN a damaged PDF THEN unreadable with reason corrupt', async () => {
    const error = expectFailure(await pdfToText(pdf('broken.pdf')));
    assert.equal(error.code, 'unreadable');
    assert.equal(error.details.reason, 'corrupt');
  });

  test('GIVEN a PDF without a text layer THEN unreadable with reason no_text', async () => {
    const error = expectFailure(await pdfToText(pdf('no-text.pdf')));
    assert.equal(error.details.reason, 'no_text');
    assert.equal(error.details.pages, 1);
  });

  test('GIVEN bytes that are not a PDF THEN unreadable with reason not_pdf', async () => {
    const error = expectFailure(await pdfToText(new TextEncoder().encode('<html>not a pdf</html>')));
    assert.equal(error.code, 'unreadable');
    assert.equal(error.details.reason, 'not_pdf');
  });
});
