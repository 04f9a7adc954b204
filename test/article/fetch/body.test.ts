import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readBody } from '../../../src/article/fetch/body.js';

/** A gzip stream of `members` concatenated members, each 1 MB of spaces (~1 KB compressed); counts members pulled. */
function gzipBomb(members: number) {
  const member = gzipSync(Buffer.alloc(1_000_000, 0x20));
  const counter = { pulled: 0, compressedBytes: member.byteLength * members };
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < members; i++) {
        counter.pulled++;
        yield member;
      }
    })(),
    { objectMode: false },
  );
  return { stream, counter };
}

describe('readBody', () => {
  test('GIVEN a 200 MB gzip bomb and a 2 MB cap THEN too_large after decoding only a small part of it', async () => {
    const { stream, counter } = gzipBomb(200);
    const outcome = await readBody(stream, ['gzip'], 'html', () => 2_000_000);
    assert.deepEqual(outcome, { ok: false, reason: 'too_large', limit: 2_000_000, kind: 'html' });
    assert.ok(counter.pulled < 40, `pulled ${counter.pulled} of 200 members`);
    assert.ok(stream.destroyed);
  });

  test('GIVEN a body under the cap THEN all decoded bytes come back in a fresh, whole buffer', async () => {
    const { stream } = gzipBomb(3);
    const outcome = await readBody(stream, ['gzip'], 'text', () => 5_000_000);
    assert.equal(outcome.ok, true);
    if (!outcome.ok) return;
    assert.equal(outcome.bytes.byteLength, 3_000_000);
    assert.equal(outcome.bytes.byteOffset, 0);
    assert.equal(outcome.bytes.buffer.byteLength, 3_000_000);
  });

  test('GIVEN an untyped body THEN the first KB decides the kind and the cap of that kind applies', async () => {
    const pdfish = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x41)]);
    const caps = { html: 100, text: 100, pdf: 10_000, sniff: 10_000 } as const;
    const pdf = await readBody(Readable.from([pdfish]), [], 'sniff', (kind) => caps[kind]);
    assert.equal(pdf.ok && pdf.kind, 'pdf');
    const html = await readBody(
      Readable.from([Buffer.from(`<!doctype html>${'x'.repeat(3000)}`)]),
      [],
      'sniff',
      (kind) => caps[kind],
    );
    assert.deepEqual(html, { ok: false, reason: 'too_large', limit: 100, kind: 'html' });
    const binary = await readBody(Readable.from([Buffer.alloc(3000, 0)]), [], 'sniff', (kind) => caps[kind]);
    assert.deepEqual(binary, { ok: false, reason: 'unsupported_type' });
  });

  test('GIVEN corrupt gzip THEN the stream error is thrown', async () => {
    await assert.rejects(
      readBody(Readable.from([Buffer.from('definitely not gzip data')]), ['gzip'], 'html', () => 1000),
      {
        code: 'Z_DATA_ERROR',
      },
    );
  });
});
