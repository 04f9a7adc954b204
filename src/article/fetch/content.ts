import { countReplacements, guessLegacyCharset, iconvLite } from '../charset.js';
import { bomEncoding } from '../sniff.js';

export type DocumentKind = 'html' | 'text' | 'pdf';

/** Bytes looked at when sniffing the type and when prescanning for a `<meta charset>`. */
export const SNIFF_BYTES = 1024;
export const CHARSET_PRESCAN_BYTES = 4096;

export interface ContentType {
  /** Lowercase `type/subtype`, or null when the header is missing or malformed. */
  readonly essence: string | null;
  /** The `charset` parameter as written (unquoted), or null. */
  readonly charset: string | null;
}

export function parseContentType(header: string | undefined): ContentType {
  if (header === undefined) return { essence: null, charset: null };
  const [type = '', ...params] = header.split(';');
  const essence = type.trim().toLowerCase();
  let charset: string | null = null;
  for (const param of params) {
    const match = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(param);
    if (match?.[1]) charset = match[1];
  }
  return { essence: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence) ? essence : null, charset };
}

/** Types that say nothing about the content: the body is sniffed instead. */
const UNINFORMATIVE = new Set([
  'application/octet-stream',
  'binary/octet-stream',
  'application/unknown',
  'unknown/unknown',
]);

/**
 * What a Content-Type essence means to Verbatim: a kind, `sniff` (missing or octet-stream: decide
 * from the first bytes), or null for anything else (refused as `unsupported_type`).
 */
export function kindFromContentType(essence: string | null): DocumentKind | 'sniff' | null {
  if (essence === null || UNINFORMATIVE.has(essence)) return 'sniff';
  if (essence === 'text/html' || essence === 'application/xhtml+xml') return 'html';
  if (essence === 'text/plain') return 'text';
  if (essence === 'application/pdf' || essence === 'application/x-pdf') return 'pdf';
  return null;
}

/**
 * Sniffs the first bytes: `%PDF-` within the first 1024 bytes (where PDF readers look for it) is a
 * PDF; `<!doctype html`, `<html`, `<head`, `<body` or an XML declaration followed by one, after
 * a BOM, whitespace and comments, is HTML. Anything else is null.
 */
export function sniffKind(head: Uint8Array): DocumentKind | null {
  const text = latin1(head.subarray(0, SNIFF_BYTES));
  if (text.includes('%PDF-')) return 'pdf';
  const start = text
    .replace(/^(\xef\xbb\xbf|\xfe\xff|\xff\xfe)/, '')
    .replace(/\0/g, '')
    .replace(/^(\s|<!--[\s\S]*?-->|<\?xml[^>]*>)*/i, '')
    .toLowerCase();
  return /^<(!doctype\s+html|html|head|body)[\s>]/.test(start) ? 'html' : null;
}

export interface DecodedText {
  readonly text: string;
  /** The WHATWG name of the encoding used, e.g. `utf-8`, `windows-1251`, `shift_jis`. */
  readonly charset: string;
  /**
   * Where the encoding came from. `detected`: the header or page said UTF-8 (or nothing) but the
   * bytes are not, and their statistics name a legacy charset.
   */
  readonly source: 'bom' | 'header' | 'meta' | 'default' | 'fallback' | 'detected';
  /** Bytes that did not decode (each became U+FFFD in `text`); see `isGarbled`. */
  readonly replaced: number;
}

/**
 * Share of characters that may fail to decode in a page declared UTF-8 before the declaration is
 * doubted: a few bad bytes (a windows-1252 quote pasted into a UTF-8 page) are damage, shown as
 * U+FFFD; a windows-1251 body fails on every Cyrillic letter.
 */
const GARBLED_SHARE = 0.01;

/** Whether decoding failed on more than 1 character in 100: the declared charset is wrong and no other could be found. */
export function isGarbled(decoded: DecodedText): boolean {
  return decoded.replaced > 0 && decoded.replaced > decoded.text.length * GARBLED_SHARE;
}

/**
 * Decodes a text or HTML body. Precedence as browsers do: a byte-order mark, then the header's
 * charset, then (HTML only) an XML declaration or `<meta charset>` / `<meta http-equiv>` in the
 * first 4 KB, then UTF-8. Unlike browsers, a UTF-8 declaration (or none) over bytes that are not
 * UTF-8 is not trusted blindly: when more than 1 character in 100 would not decode, the page's own
 * declaration is tried next, then the charset the bytes look like (`guessLegacyCharset`), then
 * windows-1252 when nothing was declared. A declared UTF-8 that nothing replaces stays, with
 * `replaced` counting the bytes lost (`isGarbled` then says so). Labels unknown to
 * TextDecoder (Node's full ICU knows the WHATWG set, windows-1251 and Shift_JIS included) are tried
 * with iconv-lite before being ignored.
 */
export function decodeText(
  bytes: Uint8Array,
  kind: 'html' | 'text',
  headerCharset: string | null,
): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom !== null)
    return { text: new TextDecoder(bom).decode(bytes), charset: bom, source: 'bom', replaced: 0 };
  const fromHeader = headerCharset === null ? null : decoderFor(headerCharset);
  if (fromHeader !== null && fromHeader.name !== 'utf-8') {
    return { text: fromHeader.decode(bytes), charset: fromHeader.name, source: 'header', replaced: 0 };
  }
  const declared = kind === 'html' ? prescanCharset(bytes.subarray(0, CHARSET_PRESCAN_BYTES)) : null;
  const fromMeta = declared === null ? null : decoderFor(declared, true);
  if (fromHeader === null && fromMeta !== null && fromMeta.name !== 'utf-8') {
    return { text: fromMeta.decode(bytes), charset: fromMeta.name, source: 'meta', replaced: 0 };
  }
  const source = fromHeader !== null ? 'header' : fromMeta !== null ? 'meta' : 'default';
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      charset: 'utf-8',
      source,
      replaced: 0,
    };
  } catch {
    // Not UTF-8 whatever was said: below.
  }
  if (source !== 'default') {
    const text = new TextDecoder('utf-8').decode(bytes);
    const replaced = countReplacements(text);
    if (replaced <= text.length * GARBLED_SHARE) return { text, charset: 'utf-8', source, replaced };
  }
  if (fromHeader !== null && fromMeta !== null && fromMeta.name !== 'utf-8') {
    return { text: fromMeta.decode(bytes), charset: fromMeta.name, source: 'meta', replaced: 0 };
  }
  const guessed = guessLegacyCharset(bytes);
  const fromGuess = guessed === null ? null : decoderFor(guessed);
  if (fromGuess !== null) {
    return { text: fromGuess.decode(bytes), charset: fromGuess.name, source: 'detected', replaced: 0 };
  }
  if (source === 'default') {
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      charset: 'windows-1252',
      source: 'fallback',
      replaced: 0,
    };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return { text, charset: 'utf-8', source, replaced: countReplacements(text) };
}

interface Decoder {
  readonly name: string;
  decode(bytes: Uint8Array): string;
}

/**
 * A decoder for a charset label, or null when neither TextDecoder nor iconv-lite knows it. A label
 * found inside the document that claims UTF-16 means UTF-8 (the HTML standard's rule: a page that
 * could be read as ASCII to find the declaration is not UTF-16), and x-user-defined means windows-1252.
 */
function decoderFor(label: string, fromDocument = false): Decoder | null {
  const trimmed = label.trim().toLowerCase();
  if (fromDocument && /^utf-?16/.test(trimmed)) return decoderFor('utf-8');
  if (trimmed === 'x-user-defined') return decoderFor('windows-1252');
  try {
    const decoder = new TextDecoder(trimmed);
    return { name: decoder.encoding, decode: (bytes) => decoder.decode(bytes) };
  } catch {
    if (!iconvLite().encodingExists(trimmed)) return null;
    return {
      name: trimmed,
      decode: (bytes) =>
        iconvLite().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), trimmed),
    };
  }
}

/** The charset an HTML/XHTML head declares, from an XML declaration or a meta tag, or null. */
export function prescanCharset(head: Uint8Array): string | null {
  const text = latin1(head).replace(/<!--[\s\S]*?(-->|$)/g, '');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(text);
  if (xml?.[1]) return xml[1];
  for (const tag of text.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = tag[0];
    const charset = /\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(attributes);
    if (charset?.[1] && !/\bcontent\s*=/i.test(attributes.slice(0, charset.index))) return charset[1];
    if (/\bhttp-equiv\s*=\s*["']?\s*content-type/i.test(attributes)) {
      const content = /\bcontent\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
      const value = content?.[2] ?? content?.[3] ?? content?.[4] ?? '';
      const inner = /charset\s*=\s*["']?([^\s"';]+)/i.exec(value);
      if (inner?.[1]) return inner[1];
    }
  }
  return null;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
