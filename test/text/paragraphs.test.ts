import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitParagraphs, trimmedSegment } from '../../src/text/index.js';

describe('splitParagraphs', () => {
  it('GIVEN blank lines, some holding spaces THEN paragraphs are split there and trimmed', () => {
    const text = '  First line\nstill first.\n\nSecond.\n   \n\n Third. ';
    assert.deepEqual(
      splitParagraphs(text).map((p) => [p.text, p.start]),
      [
        ['First line\nstill first.', 2],
        ['Second.', 27],
        ['Third.', 41],
      ],
    );
  });

  it('GIVEN only whitespace THEN there is no paragraph', () => {
    assert.deepEqual(splitParagraphs(' \n\n \n'), []);
  });
});

describe('trimmedSegment', () => {
  it('GIVEN a span with surrounding spaces THEN the trimmed span keeps source offsets', () => {
    assert.deepEqual(trimmedSegment('ab  cd  ef', 2, 8), { start: 4, end: 6, text: 'cd' });
    assert.equal(trimmedSegment('ab    ef', 2, 6), null);
  });
});
