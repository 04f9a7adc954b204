import { parseDocument } from './dom.js';
import { renderText } from './text.js';
import { countWords } from './words.js';

/** JSON-LD bodies shorter than this (words) are teasers, never a replacement for the page text. */
const MIN_JSON_LD_WORDS = 50;

/**
 * Plain text of a JSON-LD `articleBody`. Some sites put HTML or entities in it; those are parsed
 * and rendered like the page itself, so paragraphs survive.
 */
export function jsonLdBodyText(raw: string): string {
  if (!hasMarkup(raw)) return raw;
  const document = parseDocument(`<html><body>${raw}</body></html>`, null);
  return document.body === null ? raw : renderText(document.body);
}

/**
 * True when `raw` holds a tag (`<p …>`) or an entity (`&amp;`). The tag is found as its first `<` and
 * letter, then any later `>`: `/<[a-z][^>]*>/` tried from every `<` read to the end each time.
 */
function hasMarkup(raw: string): boolean {
  const tag = /<[a-z]/i.exec(raw);
  if (tag !== null && raw.indexOf('>', tag.index + 2) !== -1) return true;
  return /&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(raw);
}

/**
 * Chooses between the text extracted from the page and the page's JSON-LD `articleBody`:
 * - the JSON-LD body replaces the extracted text when the extraction is less than half as long and
 *   what was extracted appears in the JSON-LD body (a paywall teaser, or Readability missing
 *   most of the article);
 * - when both agree on nearly everything (each covers ≥ 95% of the other's 4-word shingles), lines
 *   of the extracted text that the JSON-LD body lacks are clutter and are dropped, keeping the
 *   page's paragraphs;
 * - otherwise the extracted text stands (JSON-LD bodies are often truncated or stale).
 */
export function preferJsonLdBody(extracted: string, jsonLd: string): string {
  const jsonWords = countWords(jsonLd);
  if (jsonWords < MIN_JSON_LD_WORDS) return extracted;
  const ours = shingles(extracted);
  const theirs = shingles(jsonLd);
  const oursInTheirs = coverage(ours, theirs);
  if (countWords(extracted) < jsonWords * 0.5) {
    return ours.size < 20 || oursInTheirs >= 0.5 ? jsonLd : extracted;
  }
  if (oursInTheirs < 0.95 || coverage(theirs, ours) < 0.95) return extracted;
  return extracted
    .split('\n')
    .filter((line) => {
      const own = shingles(line);
      return own.size < 2 || coverage(own, theirs) >= 0.5;
    })
    .join('\n');
}

function coverage(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  if (part.size === 0) return 0;
  let hits = 0;
  for (const item of part) if (whole.has(item)) hits++;
  return hits / part.size;
}

const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu;

function shingles(text: string): Set<string> {
  const tokens = text.toLowerCase().match(TOKEN) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 4 <= tokens.length; i++) out.add(tokens.slice(i, i + 4).join(' '));
  return out;
}
