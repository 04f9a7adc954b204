import { createRequire } from 'node:module';

type Chardet = typeof import('chardet');
/** Loaded on first need: only bytes that are not valid UTF-8 are guessed at (a CLI run pays nothing). */
let chardet: Chardet | undefined;

/** Bytes looked at to guess a charset: enough text for a confident guess, bounded work on 5 MB. */
const DETECT_BYTES = 64 * 1024;

/** A guess below this confidence (0–100, chardet's scale) is no guess. */
const MIN_CONFIDENCE = 20;

/**
 * The legacy charset bytes that are not UTF-8 look like (`windows-1251`, `Shift_JIS`, `GB18030`,
 * `ISO-8859-1`…), by chardet's statistics over the first 64 KB, or null when no charset stands out
 * (under 20 of 100, or less than 1.5 times the runner-up). Unicode answers are ignored: the caller
 * asks because the bytes are not valid UTF-8.
 */
export function guessLegacyCharset(bytes: Uint8Array): string | null {
  chardet ??= createRequire(import.meta.url)('chardet') as Chardet;
  const matches = chardet
    .analyse(bytes.subarray(0, DETECT_BYTES))
    .filter((match) => !/^(utf|ucs)/i.test(match.name));
  const [best, second] = matches;
  if (best === undefined || best.confidence < MIN_CONFIDENCE) return null;
  if (second !== undefined && best.confidence < second.confidence * 1.5) return null;
  return best.name;
}

/** U+FFFD characters in `text`: what a non-fatal decoder put where bytes did not decode. */
export function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) count++;
  return count;
}

type IconvLite = typeof import('iconv-lite');
let iconv: IconvLite | undefined;

/** iconv-lite, loaded on first need: only a legacy charset TextDecoder lacks is decoded with it. */
export function iconvLite(): IconvLite {
  iconv ??= createRequire(import.meta.url)('iconv-lite') as IconvLite;
  return iconv;
}
