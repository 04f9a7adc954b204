import { isSpaceCodePoint, isSpacedWordChar } from './normalize.js';
import { MAX_QUOTE_CHARS, type Quote, unsafeMakeQuote } from './quote.js';

/** A cut for the length cap lands at a sentence or clause end only if that keeps at least this many characters. */
const MIN_BOUNDARY_CUT = MAX_QUOTE_CHARS / 2;
/** Longest partial word a match is widened over to reach the word's edge (UTF-16 units). */
const MAX_WORD_SNAP = 32;

/** Opening marks and the closers that balance them inside a span. */
const CLOSERS: Readonly<Record<string, string>> = {
  '“': '”',
  '„': '“”',
  '‚': '‘’',
  '«': '»',
  '‹': '›',
  '‘': '’',
  '「': '」',
  '『': '』',
  '(': ')',
  '[': ']',
  '{': '}',
  '（': '）',
  '【': '】',
  '〔': '〕',
};
const OPENERS: Readonly<Record<string, string>> = {
  '”': '“„',
  '»': '«',
  '›': '‹',
  '’': '‘‚',
  '」': '「',
  '』': '『',
  ')': '(',
  ']': '[',
  '}': '{',
  '）': '（',
  '】': '【',
  '〕': '〔',
};
/** Punctuation that never starts a quote. */
const LEADING_DROP = new Set([...',;:.!?、，。；：！？…']);
/** Punctuation that never ends a quote (a sentence-ending mark does). */
const TRAILING_DROP = new Set([...',;:、，；：']);
const DASHES = new Set([...'-‐‑‒–—―−']);
const SENTENCE_END = new Set([...'.!?…。！？']);
const CLAUSE_END = new Set([...',;:、，；：']);

function isSpaceAt(text: string, i: number): boolean {
  return isSpaceCodePoint(text.charCodeAt(i));
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function count(text: string, start: number, end: number, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch, start); i >= 0 && i < end; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function containsAny(text: string, start: number, end: number, chars: string): boolean {
  for (const ch of chars) {
    const at = text.indexOf(ch, start);
    if (at >= 0 && at < end) return true;
  }
  return false;
}

/**
 * What trimSpan has already counted of its shrinking span, so each step is O(1) after the first
 * scan (a span of 200,000 `[` or `"` re-scanned once per dropped character was quadratic). Valid
 * because the span only ever shrinks: a closer absent from it stays absent.
 */
interface TrimMemo {
  /** Marks whose closers (openers) are known absent from the rest of the span. */
  readonly noCloser: Set<string>;
  readonly noOpener: Set<string>;
  /** `"` and `'` in the span, once counted; kept current as the span shrinks. */
  doubles: number | null;
  singles: number | null;
}

function doublesIn(text: string, start: number, end: number, memo: TrimMemo): number {
  memo.doubles ??= count(text, start, end, '"');
  return memo.doubles;
}

function singlesIn(text: string, start: number, end: number, memo: TrimMemo): number {
  memo.singles ??= count(text, start, end, "'");
  return memo.singles;
}

/** The span lost `ch` at one end: keep the memo's counts current. */
function forget(memo: TrimMemo, ch: string): void {
  if (ch === '"' && memo.doubles !== null) memo.doubles--;
  if (ch === "'" && memo.singles !== null) memo.singles--;
}

/** Whether `text[start]` is an edge mark that should not open this span. */
function dropsAtStart(text: string, start: number, end: number, memo: TrimMemo): boolean {
  const ch = text.charAt(start);
  if (isSpaceAt(text, start) || LEADING_DROP.has(ch) || OPENERS[ch] !== undefined) return true;
  if (DASHES.has(ch)) return start + 1 >= end || isSpaceAt(text, start + 1);
  if (ch === '"') return doublesIn(text, start, end, memo) % 2 === 1;
  if (ch === "'") return start + 1 >= end || isSpaceAt(text, start + 1);
  const closers = CLOSERS[ch];
  if (closers === undefined) return false;
  if (memo.noCloser.has(ch)) return true;
  const absent = !containsAny(text, start + 1, end, closers);
  if (absent) memo.noCloser.add(ch);
  return absent;
}

/** Whether `text[end - 1]` is an edge mark that should not close this span. */
function dropsAtEnd(text: string, start: number, end: number, memo: TrimMemo): boolean {
  const i = end - 1;
  const ch = text.charAt(i);
  if (isSpaceAt(text, i) || TRAILING_DROP.has(ch) || DASHES.has(ch) || CLOSERS[ch] !== undefined) return true;
  if (ch === '"') return doublesIn(text, start, end, memo) % 2 === 1;
  if (ch === "'") {
    return (
      i === start || (!isSpacedWordChar(text.charAt(i - 1)) && singlesIn(text, start, end, memo) % 2 === 1)
    );
  }
  const openers = OPENERS[ch];
  if (openers === undefined) return false;
  // A ’ right after a letter with no ‘ before it is an apostrophe (workers’), not a dangling closer.
  if (ch === '’' && i > start && isSpacedWordChar(text.charAt(i - 1))) return false;
  if (memo.noOpener.has(ch)) return true;
  const absent = !containsAny(text, start, i, openers);
  if (absent) memo.noOpener.add(ch);
  return absent;
}

/** Trims whitespace and dangling punctuation from both ends; returns the new `[start, end)`. */
export function trimSpan(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  const memo: TrimMemo = { noCloser: new Set(), noOpener: new Set(), doubles: null, singles: null };
  for (;;) {
    const before = e - s;
    while (s < e && dropsAtStart(text, s, e, memo)) forget(memo, text.charAt(s++));
    while (e > s && dropsAtEnd(text, s, e, memo)) forget(memo, text.charAt(--e));
    if (e - s === before) return [s, e];
  }
}

/**
 * Widens `[start, end)` by one character on a side where the text has the quote mark or bracket
 * that balances one inside the span (`“a” b` matched as `a” b` regains its `“`).
 */
function balanceEdges(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  if (s > 0) {
    const before = text.charAt(s - 1);
    const closers = CLOSERS[before];
    if (
      before === '"'
        ? count(text, s, e, '"') % 2 === 1
        : closers !== undefined && containsAny(text, s, e, closers) && !containsAny(text, s, e, before)
    ) {
      s--;
    }
  }
  if (e < text.length) {
    const after = text.charAt(e);
    const openers = OPENERS[after];
    if (
      after === '"'
        ? count(text, s, e, '"') % 2 === 1
        : openers !== undefined && containsAny(text, s, e, openers) && !containsAny(text, s, e, after)
    ) {
      e++;
    }
  }
  return [s, e];
}

/** Widens `[start, end)` so it does not begin or end inside a word of a spaced script (bounded). */
export function snapToWords(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  if (s < e && s > 0 && isSpacedWordChar(text.charAt(s)) && isSpacedWordChar(text.charAt(s - 1))) {
    let k = s;
    while (k > 0 && s - k < MAX_WORD_SNAP && isSpacedWordChar(text.charAt(k - 1))) k--;
    if (k === 0 || !isSpacedWordChar(text.charAt(k - 1))) s = k;
  }
  if (s < e && e < text.length && isSpacedWordChar(text.charAt(e - 1)) && isSpacedWordChar(text.charAt(e))) {
    let k = e;
    while (k < text.length && k - e < MAX_WORD_SNAP && isSpacedWordChar(text.charAt(k))) k++;
    if (k === text.length || !isSpacedWordChar(text.charAt(k))) e = k;
  }
  return [s, e];
}

/** True when `[start, end)` starts or ends inside a word of a spaced script. */
export function cutsWord(text: string, start: number, end: number): boolean {
  const [s, e] = snapToWords(text, start, end);
  return s !== start || e !== end;
}

/**
 * End of a cut of `[start, end)` to at most MAX_QUOTE_CHARS: the last sentence end, else the last
 * clause end, that keeps at least half the cap; else the last whitespace; else (scripts without
 * spaces) the cap itself, never splitting a surrogate pair.
 */
function capEnd(text: string, start: number, end: number): number {
  if (end - start <= MAX_QUOTE_CHARS) return end;
  let limit = start + MAX_QUOTE_CHARS;
  if (isLowSurrogate(text.charCodeAt(limit)) && isHighSurrogate(text.charCodeAt(limit - 1))) limit--;
  const floor = start + MIN_BOUNDARY_CUT;
  let clause = -1;
  let space = -1;
  for (let p = limit; p > start; p--) {
    let ch = text.charAt(p - 1);
    if (OPENERS[ch] !== undefined && p - 2 >= start && SENTENCE_END.has(text.charAt(p - 2))) ch = '.';
    const next = p < end ? text.charAt(p) : '';
    const followedByBreak = next === '' || isSpaceAt(text, p);
    if (p >= floor && SENTENCE_END.has(ch) && (followedByBreak || '。！？'.includes(ch))) return p;
    if (clause < 0 && p >= floor && CLAUSE_END.has(ch) && (followedByBreak || '、，；：'.includes(ch)))
      clause = p;
    if (space < 0 && isSpaceAt(text, p) && !isSpaceAt(text, p - 1)) space = p;
  }
  if (clause >= 0) return clause;
  if (space >= 0) return space;
  return limit;
}

/**
 * Turns a matched source range into a Quote: optionally widens partial words, trims whitespace and
 * dangling punctuation, caps the length, trims again. Null when nothing is left.
 */
export function finishSpan(text: string, start: number, end: number, snapWords: boolean): Quote | null {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  if (s > 0 && isLowSurrogate(text.charCodeAt(s)) && isHighSurrogate(text.charCodeAt(s - 1))) s--;
  if (e < text.length && isLowSurrogate(text.charCodeAt(e)) && isHighSurrogate(text.charCodeAt(e - 1))) e++;
  if (snapWords) [s, e] = snapToWords(text, s, e);
  [s, e] = balanceEdges(text, s, e);
  [s, e] = trimSpan(text, s, e);
  if (e - s > MAX_QUOTE_CHARS) {
    const cut = capEnd(text, s, e);
    const [ts, te] = trimSpan(text, s, cut);
    if (te > ts) [s, e] = [ts, te];
    else e = cut;
  }
  if (e <= s) return null;
  return unsafeMakeQuote(text.slice(s, e), s, e);
}

/**
 * Stamps a span chosen by code (e.g. a sentence the extractive engine selected) as a Quote: trims
 * whitespace and dangling punctuation (an unclosed opening quote mark, a trailing comma), caps at
 * MAX_QUOTE_CHARS at a sentence, clause or word boundary. Offsets are UTF-16, end exclusive. Null
 * if the offsets are not integers with `0 ≤ start ≤ end ≤ text.length`, or nothing is left.
 */
export function quoteSpan(text: string, start: number, end: number): Quote | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start > end) {
    return null;
  }
  return finishSpan(text, start, end, false);
}

/**
 * Re-checks a quote read back from storage or JSON against the text it claims to come from.
 * Returns it as a Quote only if `text.slice(start, end) === q.text`, it is non-empty and at most
 * MAX_QUOTE_CHARS long; else null. Never throws on malformed input.
 */
export function revalidateQuote(text: string, q: { text: string; start: number; end: number }): Quote | null {
  if (q === null || typeof q !== 'object') return null;
  const { text: quoted, start, end } = q;
  if (typeof quoted !== 'string' || !Number.isInteger(start) || !Number.isInteger(end)) return null;
  if (start < 0 || end > text.length || end <= start || end - start > MAX_QUOTE_CHARS) return null;
  if (text.slice(start, end) !== quoted) return null;
  return unsafeMakeQuote(quoted, start, end);
}
