/**
 * Folding used to compare a proposed quote with the article: case, compatibility forms (NFKC),
 * quote marks, apostrophes, dashes and whitespace. Folding is only ever used to *find* a span;
 * what is kept is always the article's own characters.
 */
import { lazyPattern } from '../text/guarded-pattern.js';
import { isLetter, isMark, isNumber, MAY_BE_SPACELESS } from '../text/index.js';

/** A folded string plus, per folded UTF-16 unit, the source span `[srcStart, srcEnd)` it came from. */
export interface FoldedText {
  readonly text: string;
  /** The UTF-16 units of `text`. */
  readonly units: Uint16Array;
  readonly srcStart: Int32Array;
  readonly srcEnd: Int32Array;
}

const DOUBLE_QUOTES = new Set([...'"“”„‟«»〝〞〟＂「」『』'].map((c) => c.codePointAt(0) ?? 0));
const SINGLE_QUOTES = new Set([..."'‘’‚‛‹›`´ʼʹ′＇"].map((c) => c.codePointAt(0) ?? 0));
const DASHES = new Set([...'-‐‑‒–—―−⁃﹘﹣－'].map((c) => c.codePointAt(0) ?? 0));
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const HYPHEN = 0x2d;
const SPACE = 0x20;

/** Characters whose neighbouring whitespace is dropped, so `a — b`, `a—b` and `a - b` fold alike. */
function absorbsSpace(unit: number): boolean {
  return unit === HYPHEN || unit === QUOTE;
}

/** True for whitespace code points (ASCII, NBSP, the Unicode space separators, line separators). */
export function isSpaceCodePoint(cp: number): boolean {
  return (
    cp === 0x20 ||
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Invisible or optional marks a model commonly drops or adds: soft hyphen, zero-width characters, Arabic tatweel and harakat. */
function isIgnorable(cp: number): boolean {
  return (
    cp === 0xad ||
    (cp >= 0x200b && cp <= 0x200f) ||
    cp === 0x2060 ||
    cp === 0xfeff ||
    cp === 0x0640 ||
    (cp >= 0x064b && cp <= 0x065f) ||
    cp === 0x0670
  );
}

function foldUnit(cp: number): number {
  if (DOUBLE_QUOTES.has(cp)) return QUOTE;
  if (SINGLE_QUOTES.has(cp)) return APOSTROPHE;
  if (DASHES.has(cp)) return HYPHEN;
  if (cp === 0x451) return 0x435; // ё → е: Russian text often writes ё as е
  if (cp === 0x3c2) return 0x3c3; // final sigma
  return cp;
}

/** Folded form of one non-space code point; '' when it is ignorable. */
function foldCodePoint(cp: number): string {
  if (isIgnorable(cp)) return '';
  const lowered = String.fromCodePoint(cp).normalize('NFKC').toLowerCase();
  let out = '';
  for (const ch of lowered) {
    const c = ch.codePointAt(0) ?? 0;
    if (isIgnorable(c) || isSpaceCodePoint(c)) continue;
    out += String.fromCodePoint(foldUnit(c));
  }
  return out;
}

const ASCII_FOLD: readonly number[] = Array.from({ length: 128 }, (_, c) => {
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c === 0x60) return APOSTROPHE;
  return c;
});

/**
 * Folds `source` in one pass (O(n)): NFKC per code point, lower case, every quote mark to `"`,
 * every apostrophe-like mark to `'`, every dash to `-`, runs of whitespace to one space (none at
 * the ends, none beside `-` or `"`), ignorable marks removed.
 */
export function foldText(source: string): FoldedText {
  const n = source.length;
  let capacity = n + 16;
  let codes = new Uint16Array(capacity);
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let len = 0;
  let last = -1;
  let pendingSpace = -1;
  const cache = new Map<number, string>();

  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    let width = 1;
    let unit = -1;
    let several = '';
    if (c < 0x80) {
      if (c === SPACE || (c >= 0x09 && c <= 0x0d)) {
        if (pendingSpace < 0) pendingSpace = i;
        i++;
        continue;
      }
      unit = ASCII_FOLD[c] ?? c;
    } else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const lo = source.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      if (isSpaceCodePoint(cp)) {
        if (pendingSpace < 0) pendingSpace = i;
        i += width;
        continue;
      }
      let folded = cache.get(cp);
      if (folded === undefined) {
        folded = foldCodePoint(cp);
        cache.set(cp, folded);
      }
      if (folded.length === 1) unit = folded.charCodeAt(0);
      else several = folded;
    }
    const count = unit >= 0 ? 1 : several.length;
    if (len + count + 1 > capacity) {
      capacity = Math.max(2 * capacity, len + count + 1);
      const c2 = new Uint16Array(capacity);
      c2.set(codes);
      codes = c2;
      const s2 = new Int32Array(capacity);
      s2.set(starts);
      starts = s2;
      const e2 = new Int32Array(capacity);
      e2.set(ends);
      ends = e2;
    }
    for (let k = 0; k < count; k++) {
      const u = unit >= 0 ? unit : several.charCodeAt(k);
      if (pendingSpace >= 0) {
        if (len > 0 && !absorbsSpace(last) && !absorbsSpace(u)) {
          codes[len] = SPACE;
          starts[len] = pendingSpace;
          ends[len] = pendingSpace + 1;
          len++;
        }
        pendingSpace = -1;
      }
      codes[len] = u;
      starts[len] = i;
      ends[len] = i + width;
      len++;
      last = u;
    }
    i += width;
  }

  let text = '';
  const CHUNK = 4096;
  for (let k = 0; k < len; k += CHUNK) {
    // apply, not spread: spreading a typed array goes through its iterator and is ~5× slower.
    const chunk = codes.subarray(k, Math.min(len, k + CHUNK)) as unknown as number[];
    text += String.fromCharCode.apply(null, chunk);
  }
  return {
    text,
    units: codes.subarray(0, len),
    srcStart: starts.subarray(0, len),
    srcEnd: ends.subarray(0, len),
  };
}

/** The folded form only, for proposals. */
export function foldString(s: string): string {
  return foldText(s).text;
}

const SPACELESS = lazyPattern(
  () =>
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u,
);

/**
 * True for characters of scripts written without spaces between words (CJK, Thai…). Most text
 * never runs SPACELESS: MAY_BE_SPACELESS, a class of UTF-16 units without Unicode properties,
 * holds every character of those scripts.
 */
export function isSpacelessChar(ch: string): boolean {
  return MAY_BE_SPACELESS.test(ch) && SPACELESS().test(ch);
}

/** True for a letter, digit or combining mark (`[\p{L}\p{N}\p{M}]`); `ch` is one code point or unit. */
export function isWordChar(ch: string): boolean {
  const cp = ch.codePointAt(0);
  return cp !== undefined && (isLetter(cp) || isNumber(cp) || isMark(cp));
}

/** True for a word character of a script that separates words with spaces. */
export function isSpacedWordChar(ch: string): boolean {
  return isWordChar(ch) && !isSpacelessChar(ch);
}

/** Below this weight (letters and digits; a CJK character counts 2) a proposal is "short". */
export const MIN_QUOTE_WEIGHT = 12;
/** Below this many words (a CJK character counts half a word) a proposal is "short". */
export const MIN_QUOTE_WORDS = 3;

/**
 * Whether a folded proposal is too short to be located by fuzz: fewer than 12 letters/digits or
 * fewer than 3 words. CJK characters carry more meaning each, so they count double (and half a word).
 */
export function isShortProposal(folded: string): boolean {
  let weight = 0;
  let words = 0;
  let inWord = false;
  for (const ch of folded) {
    if (!isWordChar(ch)) {
      inWord = false;
      continue;
    }
    if (ch.charCodeAt(0) >= 0x0e00 && isSpacelessChar(ch)) {
      weight += 2;
      words += 0.5;
      inWord = false;
    } else {
      weight += 1;
      if (!inWord) words += 1;
      inWord = true;
    }
    if (weight >= MIN_QUOTE_WEIGHT && words >= MIN_QUOTE_WORDS) return false;
  }
  return true;
}

/** True when the folded string has at least one letter or digit. */
export function hasWordChar(s: string): boolean {
  for (const ch of s) if (isWordChar(ch)) return true;
  return false;
}

/**
 * Ellipsis forms a model writes for an omission: `…`, `...` (or more dots), `. . .`, bracketed forms.
 * Spaces before it are taken only from where their run starts: tried from inside a run, the pattern
 * re-read the rest of the run each time (quadratic on long runs of spaces).
 */
const ELLIPSIS = /(?:(?<!\s)\s+)?(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…+|\.{3,}|\. \. \.)\s*/gu;
const LEADING_MARKS = /^[\s"'“”„‟«»‹›「」『』‘’‚‛＂]+/u;
/** Starts only where a run of such marks starts (see ELLIPSIS). */
const TRAILING_MARKS = /(?<![\s"'“”„‟«»‹›「」『』‘‚‛＂])[\s"'“”„‟«»‹›「」『』‘‚‛＂]+$/u;
const LEADING_ELLIPSES = /^(?:\s*(?:\[\s*(?:…|\.{3,})\s*\]|\(\s*(?:…|\.{3,})\s*\)|…+|\.{3,}))+/u;
const BRACKETED_ELLIPSIS = /^\s*(?:…|\.{3,})\s*$/u;

/**
 * A proposal without what models wrap quotes in: surrounding quote marks and leading/trailing
 * ellipses (which only say the quote is part of a longer sentence). A trailing `’` is kept: it is
 * usually an apostrophe.
 */
export function stripProposalEdges(proposal: string): string {
  let s = proposal.trim();
  for (;;) {
    const marked = s.replace(LEADING_MARKS, '').replace(TRAILING_MARKS, '');
    const next = withoutTrailingEllipses(marked.replace(LEADING_ELLIPSES, '')).trim();
    if (next === s) return s;
    s = next;
  }
}

/**
 * `s` without the ellipses (and the spaces between them) it ends with. Read from the end, one
 * ellipsis at a time: a pattern anchored at the end, `(?:(?:…|\.{3,})\s*)+$`, was tried from every
 * position and, on a run of dots that does not end the text, backtracked exponentially.
 */
function withoutTrailingEllipses(s: string): string {
  let end = s.length;
  for (;;) {
    let last = end;
    while (last > 0 && /\s/u.test(s.charAt(last - 1))) last--;
    const start = trailingEllipsisStart(s, last);
    if (start === null) return s.slice(0, end);
    end = start;
  }
}

/** Where the ellipsis that ends `s.slice(0, end)` starts: `…`s, three or more dots, `[…]`, `(...)`. */
function trailingEllipsisStart(s: string, end: number): number | null {
  const last = s[end - 1];
  if (last === '…' || last === '.') {
    let start = end;
    while (start > 0 && s[start - 1] === last) start--;
    return last === '…' || end - start >= 3 ? start : null;
  }
  if (last !== ']' && last !== ')') return null;
  const open = s.lastIndexOf(last === ']' ? '[' : '(', end - 2);
  return open >= 0 && BRACKETED_ELLIPSIS.test(s.slice(open + 1, end - 1)) ? open : null;
}

/** Splits a proposal at interior ellipses into trimmed, non-empty parts (one part when there is none). */
export function splitAtEllipses(proposal: string): string[] {
  return proposal
    .split(ELLIPSIS)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
