import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sha256Hex } from '../../src/core/sha256.js';

const native = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('GIVEN the FIPS 180-4 examples THEN it gives their digests', () => {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('GIVEN lengths around the 64-byte block and its 56-byte padding edge THEN it agrees with node:crypto', () => {
    for (let n = 0; n <= 200; n++)
      assert.equal(sha256Hex('x'.repeat(n)), native('x'.repeat(n)), `length ${n}`);
  });

  it('GIVEN any text, in any script, THEN it agrees with node:crypto on its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256Hex(text) === native(text)),
      { numRuns: 500 },
    );
  });

  it('GIVEN a lone surrogate THEN it is hashed as U+FFFD, as node:crypto encodes it', () => {
    assert.equal(sha256Hex('a\ud800b'), native('a\ud800b'));
    assert.equal(sha256Hex('a\ud800b'), sha256Hex('a\ufffdb'));
  });

  it('GIVEN a text past the JavaScript limit THEN the native hash gives the same digest', () => {
    const long = 'Ünïcödé and ascii, 一二三. '.repeat(4000);
    assert.ok(long.length > 64 * 1024);
    assert.equal(sha256Hex(long), native(long));
  });
});
