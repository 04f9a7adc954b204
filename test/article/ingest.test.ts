import assert from 'node:assert/strict';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { articleFromBytes, markdownToText, sniffKind } from '../../src/article/ingest.js';
import { loadLocalSource, readStreamBounded } from '../../src/article/sources.js';

const enc = (s: string) => new TextEncoder().encode(s);
const input = (bytes: Uint8Array, filename: string | null = null, contentType: string | null = null) => ({
  bytes,
  filename,
  contentType,
  meta: { source: filename ?? '-' },
});
const noStdin: AsyncIterable<Uint8Array> = (async function* () {})();

describe('ingest', () => {
  it('GIVEN plain text with CRLF, NBSP and blank-line runs THEN the article text is normalized and hashed', async () => {
    const result = await articleFromBytes(
      input(enc('Title\r\n\r\n\r\n\r\nFirst\u00a0line.  \r\nSecond.\r\n')),
    );
    assert.ok(result.ok);
    assert.equal(result.value.text, 'Title\n\nFirst line.\nSecond.');
    assert.match(result.value.contentHash, /^sha256:[0-9a-f]{64}$/);
  });

  it('GIVEN the same text in NFD and NFC THEN both make the same article', async () => {
    const a = await articleFromBytes(input(enc('Cafe\u0301 au lait.')));
    const b = await articleFromBytes(input(enc('Caf\u00e9 au lait.')));
    assert.ok(a.ok && b.ok);
    assert.equal(a.value.contentHash, b.value.contentHash);
  });

  it('GIVEN empty or whitespace-only input THEN empty_input', async () => {
    for (const bytes of [enc(''), enc('  \n\n \t ')]) {
      const result = await articleFromBytes(input(bytes));
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'empty_input');
    }
  });

  it('GIVEN binary bytes THEN unsupported_type', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const result = await articleFromBytes(input(bytes, 'photo.bin'));
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unsupported_type');
  });

  it('GIVEN invalid UTF-8 THEN unreadable, not replacement characters', async () => {
    const result = await articleFromBytes(
      input(new Uint8Array([0x48, 0x69, 0x20, 0xc3, 0x28, 0x20, 0xff, 0x2e])),
    );
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unreadable');
  });

  it('GIVEN a file named .pdf that is not a PDF THEN unreadable', async () => {
    const result = sniffKind({ bytes: enc('hello'), filename: 'x.pdf', contentType: null });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unreadable');
  });

  it('GIVEN an image content type THEN unsupported_type', () => {
    const result = sniffKind({ bytes: enc('GIF89a'), filename: 'x.gif', contentType: 'image/gif' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unsupported_type');
  });

  it('GIVEN Markdown THEN its syntax is removed and its words kept', () => {
    const text = markdownToText(
      '# Heading\n\nSome **bold** and *italic* text with a [link](http://x.example).\n\n> quoted',
    );
    assert.equal(text, 'Heading\n\nSome bold and italic text with a link.\n\nquoted');
  });

  it('GIVEN a 50 MB file THEN too_large at once, without reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-'));
    const path = join(dir, 'huge.txt');
    await writeFile(path, '');
    await truncate(path, 50 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const result = await loadLocalSource(path, noStdin);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'too_large');
    assert.ok(performance.now() - started < 500);
    assert.ok(process.memoryUsage().rss - before < 20 * 1024 * 1024);
  });

  it('GIVEN a stream larger than the cap THEN it stops reading with too_large', async () => {
    let chunks = 0;
    const stream = (async function* () {
      for (;;) {
        chunks++;
        yield new Uint8Array(1024 * 1024);
      }
    })();
    const result = await readStreamBounded(stream, 3 * 1024 * 1024);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'too_large');
    assert.equal(chunks, 4);
  });

  it('GIVEN a missing file THEN unreadable naming it', async () => {
    const result = await loadLocalSource('/nonexistent/verbatim.txt', noStdin);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'unreadable');
    assert.match(result.error.message, /No such file/);
  });
});
