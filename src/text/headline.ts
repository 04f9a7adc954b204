import { isClutter } from './clutter.js';
import { splitSentences } from './sentences.js';

/** Lines looked at for the opening line: page furniture above a headline is a few lines at most. */
const MAX_LINES = 12;
/** Longest line judged whole (UTF-16 units); a longer one is judged by its sentences' first characters. */
const MAX_LINE_CHARS = 300;
/** What a headline is at most (UTF-16 units). */
const MAX_HEADLINE_CHARS = 150;
/** A date-time closing a line (`… – 2024-04-09 01:51:40`), with the separator before it. */
const TRAILING_DATE_TIME = /\s*(?:[-–—|·•]\s*)?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?\s*$/u;

/**
 * The first line of a text that is not page furniture (`isClutter`: a breadcrumb such as
 * "Home » today » World » …", a credit, a share prompt), with a date-time that closes it dropped
 * (pasted pages often end their headline with one); at most MAX_LINE_CHARS of it. A longer line is
 * read sentence by sentence instead (a paste whose line breaks were lost, as in a slash command's
 * text option, is one line). Null when the first MAX_LINES lines are all furniture.
 */
export function openingLine(text: string): string | null {
  let start = 0;
  for (let n = 0; n < MAX_LINES && start < text.length; n++) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    start = end === -1 ? text.length : end + 1;
    const parts =
      line.length <= MAX_LINE_CHARS
        ? [line]
        : splitSentences(line.slice(0, MAX_LINES * MAX_LINE_CHARS)).map((s) => s.text);
    for (const part of parts) {
      const bare = part.slice(0, MAX_LINE_CHARS).replace(TRAILING_DATE_TIME, '');
      if (!isClutter(bare)) return bare;
    }
  }
  return null;
}

/**
 * The headline a text without a title opens with: its opening line (see `openingLine`) when that
 * reads like a headline (3–150 characters, not ending in sentence or clause punctuation); else null.
 */
export function findHeadline(text: string): string | null {
  const line = openingLine(text);
  if (line === null || line.length < 3 || line.length > MAX_HEADLINE_CHARS) return null;
  return /[.!?:;,]$/u.test(line) ? null : line;
}
