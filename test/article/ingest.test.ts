import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { articleFromBytes, markdownToText, sniffKind } from '../../src/article/ingest.js';
import { loadLocalSource, readFileBounded, readStreamBounded } from '../../src/article/sources.js';

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

  it('GIVEN a UTF-16 file with a byte-order mark (Notepad’s “Unicode”), LE or BE THEN it is read as text', async () => {
    const text = 'Заголовок\r\n\r\nThe council met on Tuesday and voted to keep the clinic open.\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    for (const bytes of [le, Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      const result = await articleFromBytes(input(new Uint8Array(bytes), 'notes.txt', 'text/plain'));
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.equal(
        result.value.text,
        'Заголовок\n\nThe council met on Tuesday and voted to keep the clinic open.',
      );
    }
  });

  it('GIVEN a UTF-16 HTML file with a byte-order mark THEN it is read as HTML', () => {
    const html = '<!doctype html><html><body><p>Hi</p></body></html>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]);
    const kind = sniffKind({ bytes: new Uint8Array(bytes), filename: null, contentType: null });
    assert.deepEqual(kind, { ok: true, value: 'html' });
  });

  it('GIVEN a text with a stray NUL byte or two THEN it is read as text and the NULs are dropped', async () => {
    const bytes = enc('The council met on Tuesday.\u0000 It voted to keep the clinic open.\u0000\n');
    const result = await articleFromBytes(input(bytes, 'notes.txt'));
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.value.text, 'The council met on Tuesday. It voted to keep the clinic open.');
  });

  it('GIVEN binaries whose declared type or name says text THEN unsupported_type (many NULs, or a known signature)', async () => {
    const elfLike = new Uint8Array(4096).map((_, i) => (i % 3 === 0 ? 0 : 65));
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...enc('IHDR plain looking text'),
    ]);
    for (const bytes of [elfLike, png]) {
      const result = await articleFromBytes(input(bytes, 'notes.txt', 'text/plain'));
      assert.ok(!result.ok);
      assert.equal(result.error.code, 'unsupported_type');
    }
  });

  it('GIVEN a PDF named .txt or declared text/html THEN it is read as a PDF', () => {
    const pdf = enc('%PDF-1.4\n1 0 obj\n');
    assert.deepEqual(sniffKind({ bytes: pdf, filename: 'notes.txt', contentType: 'text/html' }), {
      ok: true,
      value: 'pdf',
    });
  });

  it('GIVEN a windows-1251 text file THEN its charset is recognized instead of refusing it', async () => {
    const text =
      'Президент заявил, что переговоры продолжатся на следующей неделе в Москве. Съешь же ещё этих мягких французских булок, да выпей чаю.';
    const result = await articleFromBytes(
      input(new Uint8Array(iconv.encode(text, 'windows-1251')), 'news.txt'),
    );
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    assert.equal(result.value.text, text);
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

  it('GIVEN a directory or a FIFO nobody writes to THEN unreadable at once, and nothing waits on the FIFO', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-not-a-file-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const path of [dir, fifo]) {
      const started = performance.now();
      const result = await readFileBounded(path, 1024);
      assert.ok(!result.ok, path);
      assert.equal(result.error.code, 'unreadable');
      assert.match(result.error.message, /is not a regular file/);
      assert.ok(performance.now() - started < 500, `${path} refused in ${performance.now() - started} ms`);
    }
  });

  it('GIVEN a file of exactly the limit, and one byte more THEN the first is read whole, the second is too_large', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-limit-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    await writeFile(join(dir, 'exact.bin'), bytes);
    await writeFile(join(dir, 'over.bin'), new Uint8Array(70_001));
    const exact = await readFileBounded(join(dir, 'exact.bin'), 70_000);
    assert.ok(exact.ok);
    assert.deepEqual(exact.value, bytes);
    const over = await readFileBounded(join(dir, 'over.bin'), 70_000);
    assert.ok(!over.ok);
    assert.equal(over.error.code, 'too_large');
  });
});

/** markdownToText as it was: the same replacements, each retried from every position (quadratic). */
function markdownToTextBefore(md: string): string {
  return md
    .replace(/^```[^\n]*\n([\s\S]*?)^```\s*$/gm, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$/gm, '$1')
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    .replace(/^[ \t]{0,3}(?:[-*_][ \t]*){3,}$/gm, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

describe('markdownToText in linear time', () => {
  it('GIVEN any short markdown without brackets inside brackets THEN the text is what the quadratic patterns gave', () => {
    const piece = fc.constantFrom(
      'a',
      ' ',
      '\n',
      '#',
      '```',
      '[',
      ']',
      '(',
      ')',
      '!',
      '*',
      '_',
      '`',
      '>',
      '-',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const md = pieces.join('');
        fc.pre(!/\[[^\]]*\[/.test(md));
        assert.equal(markdownToText(md), markdownToTextBefore(md), JSON.stringify(md));
      }),
      { numRuns: 20_000 },
    );
  });
});
