import { countWords } from './words.js';

/**
 * Lines at the top and bottom of an extracted article that describe the article rather than being
 * part of it: the title repeated, "By …" bylines, dates ("Updated 5:27 am CST, Wednesday, November
 * 20, 2019"), the page's own URL, labels ("BREAKING NEWS", "Advert"), copyright and "contributed to
 * this report" credits, calls to subscribe or follow. At most `EDGE_LINES` lines are examined at each
 * end, and never past a line of prose.
 */
const EDGE_LINES = 8;

/** A line with this many words is prose, which ends the header region. */
const PROSE_WORDS = 10;

const DATE_WORDS = new Set(
  (
    'jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august ' +
    'september october november december mon tue tues wed thu thur thurs fri sat sun monday tuesday ' +
    'wednesday thursday friday saturday sunday am pm a m p gmt utc bst cet cest est edt cst cdt mst mdt pst pdt ' +
    'ist jst aest aedt updated update published posted last modified on at by date time and originally first'
  ).split(' '),
);

const NUMERIC_DATE = /^\d{1,4} \d{1,2} \d{1,4}(?: \d{1,2} \d{2})?$/;

/**
 * ©, ⓒ, and "no reproduction" / "all rights reserved" in Korean, Japanese and Chinese (무단전재,
 * 無断転載, 版权所有), as escapes: the command's bundle stays ASCII (scripts/bundle-cli.mjs).
 */
const COPYRIGHT =
  /(?:^\s*(?:\u00a9|\u24d2|\(c\)\s|copyright\b))|all rights reserved|this (?:document|material|article) (?:is subject to copyright|may not be (?:re)?published)|the contents of this site are \u00a9|\ubb34\ub2e8\uc804\uc7ac|\u7121\u65ad\u8ee2\u8f09|\u7248\u6743\u6240\u6709/i;

const CREDIT =
  /(?:\bcontributed (?:to )?(?:this )?report(?:ing)?\b.{0,40}$|^\(?(?:additional )?(?:reporting|writing|editing) by\b)/i;

const PROMO =
  /^(?:subscribe\b|sign up\b|click here\b|like this (?:story|article)\b|share this\b|if you (?:enjoyed|liked) this\b|follow (?:us|me)\b|follow .{1,60}\b(?:coverage|on (?:facebook|twitter|instagram))|get (?:the )?.{1,40} (?:app|newsletter)\b|download (?:the|our) .{1,30} app\b|citation:)|\b(?:sign up|subscribe)\b.{0,80}\bnewsletter\b/i;

/** Invitations that close a page rather than an article: comment prompts, "click here" pitches. */
const FOOTER_PROMPT =
  /^(?:tell us what you think|what do you think\?|leave a (?:comment|reply)|join the (?:discussion|conversation)|have your say)|^.{0,200}\bclick here\b.{0,60}$/i;

const AD_LABEL =
  /^(?:advertisement|advertising|advert|sponsored(?: content)?|ad|story continues below(?: advertisement)?|continue reading(?: below)?(?: the main story)?|scroll to continue.*|\[?\s*ad\s*\]?)$/i;

/** A photo caption line: "… (credit: NASA)", "Photo: Getty Images". The colon may be full-width (：). */
const CAPTION =
  /\((?:photo|credit|image|picture|foto|source)s?(?: by)?\s*[:\uff1a][^()]{1,80}\)$|^(?:photo|credit|image|photograph|picture)s?(?: by)?\s*[:\uff1a]/i;

/**
 * Removes header and footer lines from rendered article text (`\n`-separated): at the top, the
 * lines before the first line of prose are dropped when they are metadata (title, byline, date,
 * URL) or short labels next to metadata; at the bottom, metadata, copyright, credits, promos and
 * short labels are dropped. Ad labels and photo-caption lines go wherever they are. `title` is the
 * page's title, compared after tokenization.
 */
export function trimEdges(text: string, title: string | null): string {
  const titleKey = title === null ? null : tokens(title).join(' ');
  const lines = text.split('\n').filter((line) => {
    const trimmed = line.trim();
    return !AD_LABEL.test(trimmed) && !(CAPTION.test(trimmed) && countWords(trimmed) <= 40);
  });
  const nonEmpty = lines.map((line, index) => ({ line: line.trim(), index })).filter((l) => l.line !== '');

  const header: { line: string; index: number }[] = [];
  for (const entry of nonEmpty.slice(0, EDGE_LINES)) {
    if (isProse(entry.line) && !isMetaLine(entry.line, titleKey) && !isBoilerplate(entry.line)) break;
    header.push(entry);
  }
  const drop = new Set<number>();
  if (header.some((h) => isMetaLine(h.line, titleKey))) {
    for (const h of header) if (isMetaLine(h.line, titleKey) || isLabel(h.line)) drop.add(h.index);
  } else {
    for (const h of header) if (isBoilerplate(h.line)) drop.add(h.index);
  }

  let seen = 0;
  let belowDropped = false;
  for (let i = nonEmpty.length - 1; i >= 0 && seen < EDGE_LINES; i--, seen++) {
    const entry = nonEmpty[i];
    if (entry === undefined || drop.has(entry.index)) break;
    const { line } = entry;
    const footer =
      isMetaLine(line, null) || isBoilerplate(line) || CREDIT.test(line) || FOOTER_PROMPT.test(line);
    if (!footer && !isLabel(line, belowDropped ? 4 : 2)) break;
    drop.add(entry.index);
    belowDropped = footer;
  }
  return lines.filter((_, index) => !drop.has(index)).join('\n');
}

function isProse(line: string): boolean {
  return countWords(line) >= PROSE_WORDS;
}

/** A short line that is not a sentence: a kicker, a section label, a button caption. */
function isLabel(line: string, maxWords = 4): boolean {
  return countWords(line) <= maxWords && /\p{L}/u.test(line) && !/[.!?:。！？："”»]$/u.test(line);
}

function isMetaLine(line: string, titleKey: string | null): boolean {
  const words = tokens(line);
  if (words.length === 0) return true;
  if (titleKey !== null && words.join(' ') === titleKey) return true;
  if (/^(?:https?:\/\/|www\.)\S+$/i.test(line)) return true;
  if (words.length <= 14 && /^by\s+\p{Lu}/u.test(line)) return true;
  return words.length <= 14 && isDateLine(words);
}

function isBoilerplate(line: string): boolean {
  const words = countWords(line);
  return (words <= 60 && COPYRIGHT.test(line)) || (words <= 80 && PROMO.test(line));
}

/** Mostly date and time words, with a number: "Published 4:00 am CST, Nov 20, 2019". */
function isDateLine(words: readonly string[]): boolean {
  if (!words.some((w) => /\d/.test(w))) return false;
  if (!words.some((w) => DATE_WORDS.has(w)) && !NUMERIC_DATE.test(words.join(' '))) return false;
  const dateLike = words.filter((w) => DATE_WORDS.has(w) || /^\d{1,4}(?:st|nd|rd|th)?$/.test(w)).length;
  return dateLike >= words.length - 1 && dateLike >= 2;
}

function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
