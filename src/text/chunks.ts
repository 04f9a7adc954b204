import { splitParagraphs } from './paragraphs.js';
import type { Segment } from './segment.js';
import { splitSentences } from './sentences.js';
import { splitWords } from './words.js';

/**
 * Splits `text` into consecutive chunks of at most `maxChars` UTF-16 code units each, for callers
 * that can only take so much text at once (a model's context). Whole paragraphs are packed together;
 * a paragraph too long for one chunk gets chunks of its own, cut between sentences, else between
 * words, and only as a last resort inside a word (never inside a surrogate pair). Chunks are in order, do not overlap, are trimmed, and together
 * hold every non-whitespace character of `text`. `maxChars` must be at least 2.
 */
export function chunkText(text: string, maxChars: number, locale?: string | null): Segment[] {
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError('maxChars must be an integer ≥ 2');
  const units: Segment[] = [];
  const groups: number[] = [];
  splitParagraphs(text).forEach((para, i) => {
    const before = units.length;
    pushBounded(units, para, maxChars, locale, 0);
    const group = units.length - before === 1 ? 0 : i + 1;
    while (groups.length < units.length) groups.push(group);
  });

  const chunks: Segment[] = [];
  let start = -1;
  let end = -1;
  let group = 0;
  units.forEach((unit, i) => {
    if (start >= 0 && groups[i] === group && unit.end - start <= maxChars) {
      end = unit.end;
      return;
    }
    if (start >= 0) chunks.push({ start, end, text: text.slice(start, end) });
    start = unit.start;
    end = unit.end;
    group = groups[i] ?? 0;
  });
  if (start >= 0) chunks.push({ start, end, text: text.slice(start, end) });
  return chunks;
}

/** Pushes `seg` whole if it fits, else its sentences, words, then hard slices (by `level`). */
function pushBounded(
  out: Segment[],
  seg: Segment,
  maxChars: number,
  locale: string | null | undefined,
  level: number,
): void {
  if (seg.text.length <= maxChars) {
    out.push(seg);
    return;
  }
  if (level >= 2) {
    for (let i = 0; i < seg.text.length; ) {
      let j = Math.min(i + maxChars, seg.text.length);
      if (j < seg.text.length && isLowSurrogate(seg.text.charCodeAt(j))) j -= 1;
      out.push({ start: seg.start + i, end: seg.start + j, text: seg.text.slice(i, j) });
      i = j;
    }
    return;
  }
  const parts = level === 0 ? splitSentences(seg.text, locale) : wordRuns(seg.text, locale);
  for (const part of parts) {
    const shifted = { start: seg.start + part.start, end: seg.start + part.end, text: part.text };
    pushBounded(out, shifted, maxChars, locale, level + 1);
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Whitespace-free runs of `text` (a word with its punctuation), so a sentence split between words
 * keeps every character; scripts written without spaces fall back to `Intl.Segmenter` words.
 */
function wordRuns(text: string, locale: string | null | undefined): Segment[] {
  const runs: Segment[] = [];
  for (const m of text.matchAll(/\S+/gu)) {
    const run = { start: m.index, end: m.index + m[0].length, text: m[0] };
    if (
      run.text.length <= 1 ||
      !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(run.text)
    ) {
      runs.push(run);
      continue;
    }
    let from = run.start;
    for (const w of splitWords(run.text, locale)) {
      const to = run.start + w.end;
      runs.push({ start: from, end: to, text: text.slice(from, to) });
      from = to;
    }
    if (from < run.end) runs.push({ start: from, end: run.end, text: text.slice(from, run.end) });
  }
  return runs;
}
