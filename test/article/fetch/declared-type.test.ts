import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { fetchDocument } from '../../../src/article/fetch/index.js';
import { failureMessage } from '../../../src/discord/texts.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { expectFailure, expectValue, type LocalServer, optionsFor, startServer } from './local-server.js';

const RUSSIAN =
  'Президент заявил, что переговоры продолжатся на следующей неделе в Москве. Съешь же ещё этих мягких французских булок, да выпей чаю.';
const page = (body: string, head = '') =>
  `<!doctype html><html><head>${head}<title>Новости</title></head><body><article><p>${body}</p></article></body></html>`;

describe('fetchDocument: the body decides over the declared type and charset', () => {
  let server: LocalServer;

  before(async () => {
    server = await startServer((request, response) => {
      const send = (type: string, body: Buffer | string) => {
        response.writeHead(200, { 'content-type': type });
        response.end(body);
      };
      switch (request.url) {
        case '/pdf-as-html':
          return send('text/html; charset=utf-8', readFileSync(fixturePath('fetch', 'sample.pdf')));
        case '/png-as-html':
          return send(
            'text/html',
            Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(2000, 1)]),
          );
        case '/1251-says-utf8':
          return send('text/html; charset=utf-8', iconv.encode(page(RUSSIAN.repeat(4)), 'windows-1251'));
        case '/1251-meta-header-utf8':
          return send(
            'text/html; charset=utf-8',
            iconv.encode(page(RUSSIAN, '<meta charset="windows-1251">'), 'windows-1251'),
          );
        case '/utf8-with-a-stray-byte':
          return send(
            'text/html; charset=utf-8',
            Buffer.concat([Buffer.from(page(RUSSIAN.repeat(20))), Buffer.from([0x93])]),
          );
        case '/garbage-says-utf8':
          return send(
            'text/plain; charset=utf-8',
            Buffer.concat([
              Buffer.from('Привет, это текст. '),
              Buffer.from([0xc0, 0xc1, 0xf5, 0xff, 0x80, 0x80, 0xfe]),
            ]),
          );
        default:
          response.writeHead(404);
          response.end();
      }
    });
  });
  after(() => server.close());

  test('GIVEN a PDF served as text/html THEN it is fetched as a PDF, not parsed as HTML', async () => {
    const doc = expectValue(await fetchDocument(server.url('/pdf-as-html'), optionsFor(server)));
    assert.equal(doc.kind, 'pdf');
    assert.equal(doc.text, null);
    assert.ok(doc.bytes !== null && doc.bytes.byteLength > 100);
  });

  test('GIVEN a PNG served as text/html THEN unsupported_type, not text', async () => {
    const error = expectFailure(await fetchDocument(server.url('/png-as-html'), optionsFor(server)));
    assert.equal(error.code, 'unsupported_type');
    assert.equal(error.details.reason, 'binary');
  });

  test('GIVEN a windows-1251 body under a UTF-8 header THEN its charset is recognized and the text is Cyrillic', async () => {
    const doc = expectValue(await fetchDocument(server.url('/1251-says-utf8'), optionsFor(server)));
    assert.equal(doc.charset, 'windows-1251');
    assert.ok(doc.text?.includes('переговоры продолжатся'));
    assert.doesNotMatch(doc.text ?? '', /\ufffd/);
  });

  test('GIVEN a UTF-8 header over a page whose <meta> says windows-1251 THEN the page’s own declaration is used', async () => {
    const doc = expectValue(await fetchDocument(server.url('/1251-meta-header-utf8'), optionsFor(server)));
    assert.equal(doc.charset, 'windows-1251');
    assert.ok(doc.text?.includes('Съешь же ещё'));
  });

  test('GIVEN a UTF-8 page with one stray byte THEN it stays UTF-8 (damage, not a wrong charset)', async () => {
    const doc = expectValue(await fetchDocument(server.url('/utf8-with-a-stray-byte'), optionsFor(server)));
    assert.equal(doc.charset, 'utf-8');
    assert.ok(doc.text?.includes('переговоры продолжатся'));
  });

  test('GIVEN bytes that decode neither in the declared UTF-8 nor in any recognizable charset THEN unreadable naming the charset', async () => {
    const error = expectFailure(await fetchDocument(server.url('/garbage-says-utf8'), optionsFor(server)));
    assert.equal(error.code, 'unreadable');
    assert.equal(error.details.reason, 'charset');
    assert.equal(error.details.charset, 'utf-8');
    assert.match(error.message, /utf-8/);
    assert.match(failureMessage(error), /character set/);
  });
});
