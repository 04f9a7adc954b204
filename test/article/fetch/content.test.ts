import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { parseContentEncoding } from '../../../src/article/fetch/body.js';
import {
  decodeText,
  kindFromContentType,
  parseContentType,
  prescanCharset,
  sniffKind,
} from '../../../src/article/fetch/content.js';
import { fixturePath } from '../../helpers/fixtures.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('content types and sniffing', () => {
  test('GIVEN Content-Type headers THEN essence and charset are parsed', () => {
    assert.deepEqual(parseContentType('Text/HTML; Charset="Shift_JIS"'), {
      essence: 'text/html',
      charset: 'Shift_JIS',
    });
    assert.deepEqual(parseContentType('application/pdf'), { essence: 'application/pdf', charset: null });
    assert.deepEqual(parseContentType(undefined), { essence: null, charset: null });
    assert.deepEqual(parseContentType('garbage'), { essence: null, charset: null });
  });

  test('GIVEN essences THEN html, text, pdf, sniff or refused', () => {
    assert.equal(kindFromContentType('text/html'), 'html');
    assert.equal(kindFromContentType('application/xhtml+xml'), 'html');
    assert.equal(kindFromContentType('text/plain'), 'text');
    assert.equal(kindFromContentType('application/pdf'), 'pdf');
    assert.equal(kindFromContentType(null), 'sniff');
    assert.equal(kindFromContentType('application/octet-stream'), 'sniff');
    for (const refused of ['image/png', 'application/json', 'text/css', 'video/mp4', 'application/zip']) {
      assert.equal(kindFromContentType(refused), null, refused);
    }
  });

  test('GIVEN first bytes THEN %PDF- and HTML openings are recognised, other bytes are not', () => {
    assert.equal(sniffKind(bytes('%PDF-1.7\n...')), 'pdf');
    assert.equal(sniffKind(bytes(`${' '.repeat(100)}%PDF-1.4`)), 'pdf');
    assert.equal(sniffKind(bytes('\xef\xbb\xbf  <!DOCTYPE html><html>')), 'html');
    assert.equal(sniffKind(bytes('<!-- generated --><html lang="en">')), 'html');
    assert.equal(
      sniffKind(bytes('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">')),
      'html',
    );
    assert.equal(sniffKind(bytes('<HEAD><title>x</title>')), 'html');
    assert.equal(sniffKind(bytes('\x89PNG\r\n\x1a\n')), null);
    assert.equal(sniffKind(bytes('{"json": true}')), null);
    assert.equal(sniffKind(bytes('<htmlx>')), null);
  });

  test('GIVEN Content-Encoding headers THEN layers are listed in decoding order and unknown ones refused', () => {
    assert.deepEqual(parseContentEncoding(undefined), { layers: [] });
    assert.deepEqual(parseContentEncoding('identity'), { layers: [] });
    assert.deepEqual(parseContentEncoding('gzip, br'), { layers: ['br', 'gzip'] });
    assert.deepEqual(parseContentEncoding('zstd'), { unsupported: 'zstd' });
    assert.deepEqual(parseContentEncoding('gzip, gzip, gzip'), { unsupported: 'gzip, gzip, gzip' });
  });
});

describe('decodeText', () => {
  test('GIVEN the windows-1251 fixture THEN <meta charset> decodes it', () => {
    const decoded = decodeText(readFileSync(fixturePath('fetch', 'windows-1251.html')), 'html', null);
    assert.equal(decoded.charset, 'windows-1251');
    assert.equal(decoded.source, 'meta');
    assert.match(decoded.text, /<h1>Привет, мир<\/h1>/);
  });

  test('GIVEN the Shift_JIS fixture THEN <meta http-equiv> decodes it', () => {
    const decoded = decodeText(readFileSync(fixturePath('fetch', 'shift_jis.html')), 'html', null);
    assert.equal(decoded.charset, 'shift_jis');
    assert.match(decoded.text, /<title>日本語のページ<\/title>/);
  });

  test('GIVEN a BOM THEN it beats the header; GIVEN a header THEN it beats the meta', () => {
    const utf8WithBom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('<meta charset="koi8-r">Ёж')]);
    const bom = decodeText(utf8WithBom, 'html', 'windows-1251');
    assert.equal(bom.source, 'bom');
    assert.equal(bom.text, '<meta charset="koi8-r">Ёж');
    const header = decodeText(iconv.encode('<meta charset="utf-8">Ёж', 'koi8-r'), 'html', 'KOI8-R');
    assert.equal(header.charset, 'koi8-r');
    assert.equal(header.text, '<meta charset="utf-8">Ёж');
  });

  test('GIVEN UTF-16LE with a BOM THEN decoded', () => {
    const text = decodeText(new Uint8Array([0xff, 0xfe, ...Buffer.from('hé', 'utf16le')]), 'text', null);
    assert.equal(text.text, 'hé');
    assert.equal(text.charset, 'utf-16le');
  });

  test('GIVEN plain text THEN a <meta> inside it is ignored', () => {
    const decoded = decodeText(Buffer.from('<meta charset="windows-1251"> naïve'), 'text', null);
    assert.equal(decoded.charset, 'utf-8');
    assert.equal(decoded.text, '<meta charset="windows-1251"> naïve');
  });

  test('GIVEN an unknown header label THEN it is ignored and the meta or UTF-8 is used', () => {
    assert.equal(decodeText(Buffer.from('héllo'), 'text', 'x-bogus').text, 'héllo');
  });

  test('GIVEN a meta claiming UTF-16 on an ASCII-readable page THEN UTF-8 is used', () => {
    assert.equal(decodeText(Buffer.from('<meta charset="utf-16"><p>ü</p>'), 'html', null).charset, 'utf-8');
  });

  test('GIVEN an XML declaration THEN its encoding is used', () => {
    const page = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-5"?><html>'),
      iconv.encode('Жук', 'iso-8859-5'),
    ]);
    const decoded = decodeText(page, 'html', null);
    assert.equal(decoded.charset, 'iso-8859-5');
    assert.match(decoded.text, /Жук/);
  });
});

describe('prescanCharset', () => {
  test('GIVEN meta tags in various spellings THEN the charset is found; in a comment THEN not', () => {
    assert.equal(prescanCharset(bytes('<meta charset=windows-1251>')), 'windows-1251');
    assert.equal(prescanCharset(bytes("<META CHARSET='euc-kr' />")), 'euc-kr');
    assert.equal(
      prescanCharset(bytes('<meta content="text/html; charset=gb2312" http-equiv="Content-Type">')),
      'gb2312',
    );
    assert.equal(
      prescanCharset(bytes('<meta http-equiv=content-type content="text/html;charset=big5">')),
      'big5',
    );
    assert.equal(prescanCharset(bytes('<!-- <meta charset="koi8-r"> --><title>x</title>')), null);
    assert.equal(prescanCharset(bytes('<meta name="description" content="charset=koi8-r">')), null);
  });
});
