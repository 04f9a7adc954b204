import { foldAsciiCase } from './ascii-case.js';
import { codePointBefore, isLetter, isNumber } from './char-class.js';
import { GuardedPattern } from './guarded-pattern.js';
import type { Segment } from './segment.js';

/**
 * Recognizes the page furniture that pasted or extracted web text carries along: breadcrumbs,
 * hashtag trails, photo credits and captions, share/comment/app prompts, datelines with clock
 * times, shouted banners. Such a sentence never becomes a key point, an answer or a quote.
 * Heuristics in one place so every engine filters the same way; tuned on `../shared/corpus/news/`
 * and the sample article, and conservative: a real sentence must not be lost.
 */

/** Case-insensitive: tested on `foldAsciiCase(text)`, hence lower-case and without the `i` flag. */
const BOILERPLATE = new RegExp(
  `^(?:${[
    String.raw`leave a (?:comment|reply)|\d+ comments?\b|comments?$|share (?:this|on|via)\b|send this (?:page|article)`,
    String.raw`click here\b|tap here\b|read (?:more|next|the latest|also)\b|see also\b|download (?:the|our)\b.*\bapp\b`,
    String.raw`follow (?:us|\S+(?: \S+){0,3} on (?:twitter|facebook|instagram|x|linkedin|tiktok|youtube))\b`,
    String.raw`sign up\b|subscribe\b|advertisement$|sponsored\b|related(?: articles| stories| coverage)?:?$`,
    String.raw`recommended(?: for you)?:?$|image (?:source|copyright|caption)\b|photo(?:graph)?s?:|getty images$`,
    // © and the em and en dashes, as escapes: the command's bundle stays ASCII (see words.ts).
    String.raw`this site uses akismet|all rights reserved|copyright\b|\u00a9|(?:--|\u2014|\u2013|-)?\s*with files from\b`,
    String.raw`\(?(?:additional )?reporting by\b|editing by\b|writing by\b`,
    'this (?:article|story) (?:was|has been) (?:updated|corrected)|we use cookies|accept (?:all )?cookies',
    String.raw`you can (?:also )?(?:subscribe|sign up)\b|\((?:also )?see\b|(?:the )?(?:image|photo|picture|video) shows\b|pictured\b`,
  ].join('|')})`,
  'u',
);
export const CAPTION = new GuardedPattern(
  () => /^FILE\b\s*[-–—]?\s*\p{Lu}/u,
  (text) => text.startsWith('FILE'),
);

const BREADCRUMB = /\s[»›]\s|^home\s*[>/|]/iu;
const TRAILING_TIMESTAMP = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?\s*$/u;
/**
 * `JANE DOE / REUTERS`. The names before the slash are bounded (at most nine words): unbounded, every
 * word of a long shouted line started a scan to its end (quadratic). A longer run of capitals still
 * matches from a later word.
 */
export const PHOTO_CREDIT = new GuardedPattern(
  () => /\b\p{Lu}{2,}(?:[ '-]\p{Lu}{2,}){0,8}\s*\/\s*\p{Lu}[\p{Lu}\s&.]+$/u,
  (text) => text.includes('/'),
);
const AGENCY_IN_PARENS = /\((?:AP|AFP|Reuters|Getty|EPA)\b/u;
const AGENCY_TAIL =
  /[.!?”"]\s+(?:Reuters|AP|AFP|EPA|Getty Images|Shutterstock|Bloomberg|Associated Press|Xinhua|TASS|ANP|dpa)\.?$/u;
const CREDIT_SECOND_WORDS = new Set(['Images', 'Press', 'Pictures', 'Photo', 'Photos', 'Agency']);
/**
 * One credit alone: a name of one word, or of two whose second is one of CREDIT_SECOND_WORDS
 * (`Getty Images`, `Associated Press`, `Stella Pictures`).
 */
export const AGENCY_ONLY = new GuardedPattern(
  () =>
    /^(?:Reuters|AP|AFP|EPA|Getty Images|Shutterstock|Bloomberg|Associated Press|Xinhua|TASS|dpa|Lehtikuva|\p{Lu}\p{L}+ (?:Pictures|Images|Photos?|Press|Agency))$/u,
  (text) => {
    const space = text.indexOf(' ');
    return (
      space === -1 || (space === text.lastIndexOf(' ') && CREDIT_SECOND_WORDS.has(text.slice(space + 1)))
    );
  },
);
/** An embedded post's credit line: `pic.twitter.com/…`, `— Name (@handle) February 23, 2023`. */
export const EMBED_CREDIT = new GuardedPattern(
  () => /pic\.twitter\.com\/|\(@\w+\)\s+\p{Lu}\p{Ll}+ \d{1,2}, \d{4}$/u,
  (text) => text.includes('pic.twitter.com/') || text.includes('(@'),
);
/** A link alone, so without a space. */
export const URL_ONLY = new GuardedPattern(
  () => /^(?:https?:\/\/|www\.)\S+$/iu,
  (text) => !text.includes(' '),
);

/** True when `ch` (one code point, or '' for none) is a letter, a digit or one of `others`. */
function isLetterDigitOr(ch: string, others: string): boolean {
  const cp = ch.codePointAt(0);
  return cp !== undefined && (isLetter(cp) || isNumber(cp) || others.includes(ch));
}

/** True when `ch` (one code point, or '' for none) is a letter. */
function isLetterChar(ch: string): boolean {
  const cp = ch.codePointAt(0);
  return cp !== undefined && isLetter(cp);
}

/**
 * True when `text` contains an email address (`name@host.tld`: a local-part character, `@`, then a
 * run of letters, digits, dots and hyphens holding a dot followed by two letters). Found from each
 * `@` outwards rather than by an unanchored pattern, which retried at every position of a long run
 * of letters is quadratic: one pass, each character read at most twice.
 */
export function containsEmail(text: string): boolean {
  for (let at = text.indexOf('@', 1); at !== -1; at = text.indexOf('@', at + 1)) {
    if (!isLetterDigitOr(charBefore(text, at), '._%+-')) continue;
    let i = at + 1;
    while (i < text.length) {
      const ch = codePointAt(text, i);
      if (!isLetterDigitOr(ch, '.-')) break;
      if (ch === '.' && i >= at + 2) {
        const first = codePointAt(text, i + 1);
        if (isLetterChar(first) && isLetterChar(codePointAt(text, i + 1 + first.length))) return true;
      }
      i += ch.length;
    }
  }
  return false;
}

/** The whole code point at `i` (one or two UTF-16 units), or '' past the end. */
function codePointAt(text: string, i: number): string {
  const cp = text.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** The whole code point that ends just before `i` (`i` ≥ 1). */
function charBefore(text: string, i: number): string {
  return String.fromCodePoint(codePointBefore(text, i));
}

/**
 * `… (AP Photo/Jane Doe)`: text ending in a parenthesis opened by an agency name, with no `)` between.
 * Read back from the last `)` rather than tried from every `(`, which scanned to the end each time.
 */
function endsInAgencyParens(text: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(')')) return false;
  const opened = trimmed.lastIndexOf(')', trimmed.length - 2) + 1;
  return AGENCY_IN_PARENS.test(trimmed.slice(opened, -1));
}

/** True when `text` is one address alone, `name@host.tld` (no spaces), in linear time. */
export function isEmailOnly(text: string): boolean {
  if (/\s/u.test(text)) return false;
  const at = text.indexOf('@', 1);
  const dot = text.lastIndexOf('.', text.length - 2);
  return at >= 1 && dot >= at + 2;
}

/** True when `sentence` (one trimmed sentence or line) is page furniture rather than article prose. */
export function isClutter(sentence: string): boolean {
  const text = sentence.trim();
  if (text === '') return true;
  if (
    BOILERPLATE.test(foldAsciiCase(text)) ||
    CAPTION.test(text) ||
    BREADCRUMB.test(text) ||
    URL_ONLY.test(text) ||
    isEmailOnly(text)
  )
    return true;
  if (AGENCY_ONLY.test(text) || EMBED_CREDIT.test(text) || containsEmail(text)) return true;
  if (TRAILING_TIMESTAMP.test(text) || isPhotoCredit(text) || AGENCY_TAIL.test(text)) return true;

  const tokens = text.split(/\s+/u);
  const hashtags = tokens.filter(isHashtag).length;
  if (hashtags >= 2 && hashtags * 2 >= tokens.length) return true;

  const { letters, upper, lower } = countLetters(text);
  if (letters * 5 < text.length * 2) return true;
  return tokens.length >= 3 && upper >= 12 && lower * 10 < upper;
}

/** `/^#\p{L}/u.test(token)`: `#` and a letter. */
export function isHashtag(token: string): boolean {
  const second = token.codePointAt(1);
  return token.startsWith('#') && second !== undefined && isLetter(second);
}

/** Letters, and the upper- and lower-case ones among them, in one pass over `text`. */
function countLetters(text: string): { letters: number; upper: number; lower: number } {
  let letters = 0;
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 128) {
      const ch = text[i] as string;
      const up = ch.toUpperCase();
      if (up !== ch.toLowerCase()) {
        if (ch === up) upper++;
        else lower++;
      } else if (isLetter(c)) letters++;
    }
  }
  return { letters: letters + upper + lower, upper, lower };
}

function isPhotoCredit(text: string): boolean {
  return PHOTO_CREDIT.test(text) || endsInAgencyParens(text);
}

export const CREDIT_LABEL = new GuardedPattern(
  () => /^(?:photo(?:graph)?|image|picture|video|credit)s?\s*:/iu,
  (text) => text.includes(':'),
);

/** A photo credit standing alone: `Reuters`, `Stella Pictures`, `PHOTO: JANE DOE / REUTERS`. */
function isCredit(text: string): boolean {
  return AGENCY_ONLY.test(text) || CREDIT_LABEL.test(text) || isPhotoCredit(text);
}

/**
 * `isClutter` for each of `sentences` (in order, from `text`), plus context a single sentence
 * lacks: a line that ends in a photo credit (`… last year. Stella Pictures`) is a caption, all of it.
 */
export function findClutter(text: string, sentences: readonly Segment[]): boolean[] {
  const flags = sentences.map((s) => isClutter(s.text));
  let lineStart = 0;
  for (let i = 0; i < sentences.length; i++) {
    const cur = sentences[i] as Segment;
    const next = sentences[i + 1];
    const lineEnds = next === undefined || text.slice(cur.end, next.start).includes('\n');
    if (!lineEnds) continue;
    if (i > lineStart && isCredit(cur.text)) flags.fill(true, lineStart, i + 1);
    lineStart = i + 1;
  }
  return flags;
}
