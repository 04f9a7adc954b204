/** Upper-case ASCII letters, and the two other characters whose simple case folding is an ASCII letter. */
const FOLDS_TO_ASCII = /[A-Z\u017f\u212a]/gu;

function foldOne(c: string): string {
  if (c === '\u017f') return 's'; // ſ, LATIN SMALL LETTER LONG S
  if (c === '\u212a') return 'k'; // K, KELVIN SIGN
  return String.fromCharCode(c.charCodeAt(0) + 32);
}

/**
 * `text` with every character that a case-insensitive Unicode pattern (`iu`) matches to a lower-case
 * ASCII letter replaced by that letter: A–Z, `ſ` and the Kelvin sign; nothing else changes, so the
 * length and offsets stay. A pattern written in lower-case ASCII letters, digits, `\b \d \s \S .`,
 * and caseless characters, run with the `u` flag alone on the folded text, matches exactly where it
 * matches the original with `iu` (`\b` included: `iu` counts `ſ` and the Kelvin sign as word
 * characters, and they fold to word characters). It compiles several times faster: a large `iu`
 * pattern costs milliseconds to compile, which a one-shot command pays on every run.
 */
export function foldAsciiCase(text: string): string {
  return text.replace(FOLDS_TO_ASCII, foldOne);
}
