import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanLine, escapeJsonControls, stripControlChars } from '../../src/text/control-chars.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
const RAW_IN_JSON =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const HOSTILE =
  'Harbor\u001b]0;pwned\u0007 Town \u001b[2JOpens\u009b31m \u202eevil\u202c\u2067x\u2069\r\b\u007f';

describe('control characters', () => {
  it('GIVEN OSC and CSI escapes, C1 controls, DEL, CR, backspace and bidi overrides THEN stripControlChars removes them and keeps the words, line feeds, tabs and bidi marks', () => {
    assert.equal(stripControlChars(HOSTILE), 'Harbor]0;pwned Town [2JOpens31m evilx');
    assert.equal(stripControlChars('a\tb\nc\u200fd'), 'a\tb\nc\u200fd');
  });

  it('GIVEN a metadata value with line breaks and controls THEN cleanLine makes one line of it', () => {
    assert.equal(
      cleanLine(' Ines\u001b[31m\nCalloway\u2028\t(Courier)\u202e '),
      'Ines[31m Calloway  (Courier)',
    );
    assert.equal(cleanLine('\u001b \u202e\u0007'), '');
  });

  it('GIVEN any strings THEN escapeJsonControls keeps JSON text valid and equal in value, with no raw control, C1 or bidi character left', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 60 }), { maxLength: 4 }), (values) => {
        const value = { values, nested: { first: values[0] ?? '' } };
        for (const json of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
          const escaped = escapeJsonControls(json);
          assert.deepEqual(JSON.parse(escaped), value);
          assert.doesNotMatch(escaped, RAW_IN_JSON);
        }
      }),
    );
    assert.equal(escapeJsonControls(JSON.stringify(HOSTILE)).match(UNSAFE), null);
  });
});
