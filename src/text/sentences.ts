import {
  codePointBefore,
  endOfRun,
  endsWithMark,
  hasLetterOrNumber,
  isLetter,
  isLowerAt,
  isOpeningPunctuation,
  isSpace,
  isUpper,
} from './char-class.js';
import { GuardedPattern, isAsciiLowerAt, lazyPattern } from './guarded-pattern.js';
import { splitParagraphs } from './paragraphs.js';
import { type Segment, trimmedSegment } from './segment.js';
import { segmenterFor } from './segmenters.js';
import { rootSentenceBreaks, type SentencePiece } from './sentence-breaks.js';

/**
 * Abbreviations that are (almost) never the end of a sentence: a title before a name, or a word
 * that needs something after it. Lower-cased, without the final period.
 */
const NEVER_FINAL = new Set(
  [
    'mr mrs ms mx dr prof st mt ft gen gov sen rep lt col capt cpt sgt cmdr adm maj rev hon pres supt',
    'insp messrs mme mlle vs v cf approx ca e.g i.e viz incl esp fig figs eq ref refs dept univ assn',
    'bros atty ave blvd rd hwy reps sens gens govs',
    // Russian: г-н (Mr), им. (named after), ул. (street), the pieces of т. е. and т. к.
    'г-н г-жа им ул пр см т др проф',
  ]
    .join(' ')
    .split(' '),
);

/** Abbreviations that end a sentence unless a number follows (`No. 5`, `Jan. 12`, `p. 40`). */
const BEFORE_NUMBER = new Set(
  'no nos nr p pp vol art sec ch jan feb mar apr jun jul aug sep sept oct nov dec tel ph op para ст п гл'.split(
    ' ',
  ),
);

/**
 * `U.S.`, `U.K.`, `D.C.`: ends a sentence only when a typical sentence opener follows. Ends in `.`
 * with another `.` two UTF-16 units before it (a letter of one unit between) or three (of two).
 */
export const LETTER_ABBREVIATION = new GuardedPattern(
  () => /(?:^|[\s(“"'‘«])(?:\p{L}\.){2,}$/u,
  (text) => text.endsWith('.') && (text.at(-3) === '.' || text.at(-4) === '.'),
);
const SENTENCE_OPENERS = new Set(
  [
    'the a an he she it they we i you this that these those there here but and so yet however in on at',
    'for with after before when while if as his her its their our my some many most all no one two it’s',
    'what who why how where meanwhile also still then now today yesterday according',
  ]
    .join(' ')
    .split(' '),
);

/**
 * A wire-story dateline, `ST. JOSEPH, Mich.`: the story's first sentence follows on. Starts with a
 * capital, holds `, `, and its second character is a capital, a space, `.`, `'` or `-`, so never a–z.
 */
export const DATELINE = new GuardedPattern(
  () => /^[\p{Lu}][\p{Lu} .'-]+, \p{Lu}[\p{L}.]{1,8}\.$/u,
  (text) => isUpper(text.codePointAt(0) ?? 0) && !isAsciiLowerAt(text, 1) && text.includes(', '),
);

/** What may stand before the word `wordBeforeFinalPeriod` reads, when it does not start the text. */
const BEFORE_WORD = /[\s(“"'‘«[]/u;

/**
 * `/(?:^|[\s(“"'‘«[])([\p{L}.-]+)\.$/u.exec(text)?.[1]`: the word of letters, `.` and `-` that a
 * final `.` ends, when it starts `text` or follows a space, an opening bracket or a quote. Read
 * backwards from the end with `isLetter`, so European text needs no `\p{L}` pattern.
 */
export function wordBeforeFinalPeriod(text: string): string | undefined {
  if (!text.endsWith('.')) return undefined;
  const end = text.length - 1;
  let start = end;
  while (start > 0) {
    const cp = codePointBefore(text, start);
    if (cp !== 0x2e && cp !== 0x2d && !isLetter(cp)) break;
    start -= cp > 0xffff ? 2 : 1;
  }
  if (start === end || (start > 0 && !BEFORE_WORD.test(text.charAt(start - 1)))) return undefined;
  return text.slice(start, end);
}
/** `J. R. R. Tolkien`: a capital and `.` end the text, so never a–z and `.`. */
export const INITIAL = new GuardedPattern(
  () => /(?:^|[\s(“"'‘«-])\p{Lu}\.$/u,
  (text) => text.endsWith('.') && !isAsciiLowerAt(text, text.length - 2),
);
/** Marks that end a sentence (before any closing brackets and quotes). */
const TERMINALS = '.!?…。！？';

/** Where `text` starts after its opening brackets, quotes and spaces (`^[\p{Ps}\p{Pi}"'«‘“\s]*`). */
export function afterOpeners(text: string): number {
  return endOfRun(text, 0, (cp) => isOpeningPunctuation(cp) || cp === 0x22 || cp === 0x27 || isSpace(cp));
}

/** `/^\p{Ll}/u` after `^[\p{Ps}\p{Pi}"'«‘“\s]*`: a lower-case start behind opening quotes and spaces. */
export function startsLower(text: string): boolean {
  return isLowerAt(text, afterOpeners(text));
}

function startsDigit(text: string): boolean {
  return /^\p{Nd}/u.test(text);
}

/**
 * How much of the end of a sentence the repair rules read (UTF-16 units). A sentence grows piece by
 * piece as they join (a hard-wrapped paragraph is one piece per line), so rules that read all of it
 * were quadratic in its length; none needs more than its last word, and a word (an abbreviation, an
 * initial) this long is never one they look for. A dateline longer than this is not one.
 */
const SENTENCE_TAIL = 120;

/**
 * The last SENTENCE_TAIL units of `text`; when cut, behind a NUL, which no rule takes for a word
 * boundary, so a word that reaches the cut is read as no word at all (as one that long would be).
 */
function tailOf(text: string): string {
  return text.length <= SENTENCE_TAIL ? text : `\u0000${text.slice(-SENTENCE_TAIL)}`;
}

/** True when ICU's break between `prev` and `next` falls inside a sentence. */
function continuesSentence(source: string, prev: Segment, next: Segment): boolean {
  if (!hasLetterOrNumber(next.text)) return true;
  const acrossLine = source.slice(prev.end, next.start).includes('\n');
  const tail = tailOf(prev.text);
  if (acrossLine) return !endsWithMark(tail, TERMINALS) && !/[:;]$/u.test(tail) && startsLower(next.text);
  if (startsLower(next.text)) return true;
  if (INITIAL.test(tail) || (prev.text.length <= SENTENCE_TAIL && DATELINE.test(prev.text))) return true;
  if (LETTER_ABBREVIATION.test(tail)) {
    const first = /^[\p{L}’']+/u.exec(next.text.slice(afterOpeners(next.text)))?.[0];
    return first !== undefined && !SENTENCE_OPENERS.has(first.toLowerCase());
  }
  const word = wordBeforeFinalPeriod(tail)?.toLowerCase();
  if (word === undefined) return false;
  if (NEVER_FINAL.has(word)) return true;
  return BEFORE_NUMBER.has(word) && startsDigit(next.text);
}

/**
 * Sentences of `text`, in order, trimmed, never empty, never across a paragraph break. Built on
 * `Intl.Segmenter` sentence rules, then repaired where those rules split too eagerly: after
 * abbreviations and initials (`Dr. Jones`, `J. R. R. Tolkien`, `No. 5`), before a lower-case
 * continuation (`"Is it true?" she asked.`), and across a hard-wrapped line. A line break after
 * a line without final punctuation (a heading, a list item) still ends the sentence.
 */
export function splitSentences(text: string, locale?: string | null): Segment[] {
  const out: Segment[] = [];
  for (const para of splitParagraphs(text)) {
    let current: Segment | null = null;
    for (const [pieceStart, pieceEnd] of segmenterPieces(para.text)) {
      for (const piece of icuSentences(para.text.slice(pieceStart, pieceEnd), locale)) {
        const from = para.start + pieceStart + piece.index;
        const seg = trimmedSegment(text, from, from + piece.segment.length);
        if (!seg) continue;
        if (current && continuesSentence(text, current, seg)) {
          current = { start: current.start, end: seg.end, text: text.slice(current.start, seg.end) };
        } else {
          if (current) out.push(current);
          current = seg;
        }
      }
    }
    if (current) out.push(current);
  }
  return out.flatMap((sentence) => (THAI.test(sentence.text) ? thaiClauses(text, sentence) : [sentence]));
}

/**
 * ICU's sentences of `text`: computed without ICU where `rootSentenceBreaks` can (Latin-1 text in a
 * language on ICU's root rules: the same result, without the ~15 ms a first break iterator costs),
 * else from `Intl.Segmenter`.
 */
function icuSentences(text: string, locale: string | null | undefined): Iterable<SentencePiece> {
  return rootSentenceBreaks(text, locale) ?? segmenterFor(locale, 'sentence').segment(text);
}

/** `\p{Script=Thai}`, spelled out (the Thai block less its unassigned points) so ICU is not asked. */
export const THAI = /[\u0e01-\u0e3a\u0e40-\u0e5b]/u;
/** A space between two Thai letters: where Thai, which has no full stop, ends a sentence or clause. */
const THAI_BREAK = lazyPattern(() => /(?<=\p{Script=Thai})[^\S\n]+(?=\p{Script=Thai})/gu);
/**
 * A Thai piece shorter than this (UTF-16 code units) joins the next one: clauses alone are too short
 * to answer from (measured on XQuAD's calibration half: 40 → 0.55 of shown quotes hold the answer,
 * 120 → 0.70, 200 → 0.81, 300 → 0.78; uncut 0.70).
 */
const MIN_THAI_CLAUSE = 200;

/**
 * A Thai sentence from ICU (often a whole paragraph: Thai has no full stop) cut where the writer
 * put a space between Thai words, the way Thai marks the end of a sentence or clause; pieces under
 * MIN_THAI_CLAUSE characters join the next one.
 */
function thaiClauses(text: string, sentence: Segment): Segment[] {
  const out: Segment[] = [];
  let start = sentence.start;
  for (const m of sentence.text.matchAll(THAI_BREAK())) {
    const end = sentence.start + m.index;
    if (end - start < MIN_THAI_CLAUSE) continue;
    out.push({ start, end, text: text.slice(start, end) });
    start = end + m[0].length;
  }
  const last = out.at(-1);
  if (last && sentence.end - start < MIN_THAI_CLAUSE) {
    out[out.length - 1] = {
      start: last.start,
      end: sentence.end,
      text: text.slice(last.start, sentence.end),
    };
  } else {
    out.push({ start, end: sentence.end, text: text.slice(start, sentence.end) });
  }
  return out;
}

/**
 * `Intl.Segmenter` in V8 slows down sharply on long inputs, so a paragraph reaches it in pieces of
 * about this many characters at most.
 */
const MAX_SEGMENTER_INPUT = 2000;

/**
 * Cuts `text` into [start, end) pieces of at most MAX_SEGMENTER_INPUT characters where ICU would
 * break a sentence anyway: after a line break, else after final punctuation and a space, else after
 * any space (the repair rules rejoin what that splits), else anywhere outside a surrogate pair.
 */
function segmenterPieces(text: string): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let start = 0;
  while (text.length - start > MAX_SEGMENTER_INPUT) {
    const window = text.slice(start, start + MAX_SEGMENTER_INPUT);
    let cut = window.lastIndexOf('\n') + 1;
    if (cut <= 0) {
      for (const m of window.matchAll(/[.!?…。！？]["'’”»)]*\s+/gu)) cut = m.index + m[0].length;
    }
    if (cut <= 0) cut = window.search(/\s\S*$/u) + 1;
    if (cut <= 0) {
      const last = window.charCodeAt(window.length - 1);
      cut = last >= 0xd800 && last <= 0xdbff ? window.length - 1 : window.length;
    }
    pieces.push([start, start + cut]);
    start += cut;
  }
  pieces.push([start, text.length]);
  return pieces;
}
