import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { DEFAULT_PDF_LIMITS, pdfToText } from '../../src/article/pdf.js';
import { craftedPdf } from '../helpers/crafted.js';
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

  test('GIVEN a 20,000-page PDF THEN too_large with reason pages, refused before any page is read', {
    timeout: 120_000,
  }, async () => {
    const error = expectFailure(await pdfToText(craftedPdf(20_000)));
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.reason, 'pages');
    assert.equal(error.details.pages, 20_000);
    assert.equal(error.details.limit, DEFAULT_PDF_LIMITS.maxPages);
  });

  test('GIVEN a PDF whose text passes the character limit THEN extraction stops at that page', async () => {
    const error = expectFailure(await pdfToText(craftedPdf(300), { maxChars: 5_000, maxPages: 1_000 }));
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.reason, 'chars');
    assert.equal(error.details.pages, 300);
    const pagesRead = Number(error.details.pagesRead);
    assert.ok(pagesRead > 30 && pagesRead < 60, `read ${pagesRead} pages of 300 for 5,000 characters`);
  });

  test('GIVEN a PDF within both limits THEN every page is read', async () => {
    const result = expectValue(await pdfToText(craftedPdf(40), { maxChars: 5_000, maxPages: 40 }));
    assert.equal(result.pages, 40);
    assert.equal(result.text.split('\n\n').length, 40);
    assert.match(result.text, /^Page 1 says/);
    assert.match(result.text, /Page 40 says[^\n]*$/);
  });
});
