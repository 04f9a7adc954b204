import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  foldString,
  foldText,
  isShortProposal,
  isSpacelessChar,
  isWordChar,
  splitAtEllipses,
  stripProposalEdges,
} from '../../src/grounding/normalize.js';
import { buildSourceIndex, sourceRange } from '../../src/grounding/source-index.js';

describe('foldText', () => {
  it('GIVEN quote marks, apostrophes, dashes, case and an ellipsis THEN they fold to one form', () => {
    assert.equal(foldString('“Hello” — World’s «best»…'), `"hello"-world's"best"...`);
    assert.equal(foldString('„Guten Tag“ – sagte er'), '"guten tag"-sagte er');
    assert.equal(foldString('a - b'), foldString('a—b'));
  });

  it('GIVEN runs of whitespace, newlines and odd spaces THEN they become one space, none at the ends', () => {
    assert.equal(foldString('  one\u00a0\n\n two\u3000three\t '), 'one two three');
  });

  it('GIVEN ё, Arabic harakat, soft hyphens and ligatures THEN they fold to their plain forms', () => {
    assert.equal(foldString('Всё'), 'все');
    assert.equal(foldString('تُظهر'), 'تظهر');
    assert.equal(foldString('co\u00adoperate'), 'cooperate');
    assert.equal(foldString('ﬁnal'), 'final');
  });

  it('GIVEN any text THEN each folded unit maps to an ordered, in-range source span', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const { text, srcStart, srcEnd } = foldText(s);
        assert.equal(srcStart.length, text.length);
        let last = 0;
        for (let i = 0; i < text.length; i++) {
          const a = srcStart[i] ?? -1;
          const b = srcEnd[i] ?? -1;
          assert.ok(a >= last && a < b && b <= s.length);
          last = a;
        }
      }),
    );
  });

  it('GIVEN a folded match THEN sourceRange gives the source characters it came from', () => {
    const index = buildSourceIndex('He said: “Don’t  WAIT.”');
    const at = index.folded.indexOf(`"don't wait`);
    const { start, end } = sourceRange(index, at, at + `"don't wait`.length);
    assert.equal(index.text.slice(start, end), '“Don’t  WAIT');
  });
});

describe('isShortProposal', () => {
  it('GIVEN fewer than 3 words or 12 letters THEN short; CJK characters count double', () => {
    assert.equal(isShortProposal(foldString('Sergei Lavrov')), true);
    assert.equal(isShortProposal(foldString('a b c d')), true);
    assert.equal(isShortProposal(foldString('the crisis in Ukraine')), false);
    assert.equal(isShortProposal(foldString('中国外长')), true);
    assert.equal(isShortProposal(foldString('拉夫罗夫访问中国')), false);
  });
});

describe('proposal edges and ellipses', () => {
  it('GIVEN wrapping quote marks and edge ellipses THEN they are stripped, a final apostrophe kept', () => {
    assert.equal(stripProposalEdges(' “…the crisis in Ukraine...” '), 'the crisis in Ukraine');
    assert.equal(stripProposalEdges('[…] the workers’'), 'the workers’');
    assert.equal(stripProposalEdges('«Россия»'), 'Россия');
  });

  it('GIVEN interior ellipses in any form THEN the proposal splits into trimmed parts', () => {
    assert.deepEqual(splitAtEllipses('one two … three four ... five [...] six (…) seven. . . eight'), [
      'one two',
      'three four',
      'five',
      'six',
      'seven',
      'eight',
    ]);
    assert.deepEqual(splitAtEllipses('no ellipsis here.'), ['no ellipsis here.']);
  });
});

// The patterns stripProposalEdges and splitAtEllipses used before (quadratic on runs of spaces,
// exponential on a run of dots that does not end the text): on short inputs, the specification.
const ELLIPSIS_BEFORE = /\s*(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…+|\.{3,}|\. \. \.)\s*/gu;
const EDGE_MARKS_BEFORE = /^[\s"'“”„‟«»‹›「」『』‘’‚‛＂]+|[\s"'“”„‟«»‹›「」『』‘‚‛＂]+$/gu;
const EDGE_ELLIPSIS_BEFORE =
  /^(?:\s*(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…+|\.{3,}))+|(?:(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…+|\.{3,})\s*)+$/gu;

function stripProposalEdgesBefore(proposal: string): string {
  let s = proposal.trim();
  for (;;) {
    const next = s.replace(EDGE_MARKS_BEFORE, '').replace(EDGE_ELLIPSIS_BEFORE, '').trim();
    if (next === s) return s;
    s = next;
  }
}

describe('proposal edges and ellipses in linear time', () => {
  const piece = fc.constantFrom(
    'a',
    'b',
    ' ',
    '\n',
    '.',
    '…',
    '[',
    ']',
    '(',
    ')',
    '"',
    '“',
    '’',
    '«',
    '. . .',
  );
  it('GIVEN any short proposal THEN edges and ellipsis parts are what the backtracking patterns gave', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const proposal = pieces.join('');
        assert.equal(
          stripProposalEdges(proposal),
          stripProposalEdgesBefore(proposal),
          JSON.stringify(proposal),
        );
        const partsBefore = proposal
          .split(ELLIPSIS_BEFORE)
          .map((p) => p.trim())
          .filter((p) => p !== '');
        assert.deepEqual(splitAtEllipses(proposal), partsBefore, JSON.stringify(proposal));
      }),
      { numRuns: 20_000 },
    );
  });

  it('GIVEN a run of dots inside a proposal THEN its edges are found at once', () => {
    const started = performance.now();
    assert.equal(stripProposalEdges(`“start${'.'.repeat(5_000)}end…”`), `start${'.'.repeat(5_000)}end`);
    assert.ok(performance.now() - started < 500);
  });
});

describe('isWordChar and isSpacelessChar', () => {
  it('GIVEN any code point or lone UTF-16 unit THEN they answer as their patterns do', () => {
    const word = /[\p{L}\p{N}\p{M}]/u;
    const spaceless =
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (isWordChar(ch) !== word.test(ch) || isSpacelessChar(ch) !== spaceless.test(ch)) {
        assert.fail(`U+${cp.toString(16)}`);
      }
    }
    assert.equal(isWordChar(''), false);
    assert.equal(isSpacelessChar(''), false);
  });
});
