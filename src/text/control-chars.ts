/**
 * Characters that are never text to show: C0 controls other than tab and line feed (ESC starts a
 * terminal escape sequence: `\x1b]0;…\x07` retitles the window, `\x1b[2J` clears the screen; CR
 * and backspace overwrite what was printed), DEL, the C1 controls U+0080–U+009F (U+009B is a
 * one-character CSI to many terminals), and the bidirectional embeddings, overrides and isolates
 * U+202A–U+202E and U+2066–U+2069, which reorder the text around them so that it reads as
 * something else ("Trojan Source"). The bidi marks (LRM, RLM, ALM) only nudge neutral characters
 * and are kept: right-to-left text needs them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;
const BREAKS = new Set(['\t', '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029']);
/** What `JSON.stringify` leaves raw of the above: all inside strings (C0 it escapes itself). */
const JSON_RAW = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

/** `text` without the characters above; line feeds and tabs are kept. */
export function stripControlChars(text: string): string {
  return text.replace(UNSAFE, '');
}

/**
 * One line of metadata (a title, a byline, a URL): the characters above removed, and tabs and line
 * breaks (which have no place in one line) turned into spaces; trimmed.
 */
export function cleanLine(text: string): string {
  return text.replace(UNSAFE_OR_BREAK, (c) => (BREAKS.has(c) ? ' ' : '')).trim();
}

/**
 * JSON text (from `JSON.stringify`) with the characters above written as `\uXXXX` escapes.
 * `JSON.stringify` escapes C0 but writes DEL, C1 and bidi controls (and U+2028/U+2029) raw; outside
 * strings JSON holds only ASCII, so each of them is inside a string and its escape denotes the same
 * value: a parser reads exactly what was encoded, and a terminal shown the line sees no control.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
