import { nodeCrypto } from '../core/node-crypto.js';
import { cleanLine } from '../text/control-chars.js';

/** Metadata known about an article; null where unknown. */
export interface ArticleMeta {
  /** Where the user said the article came from: a file path, `-` for stdin, a URL, `discord:…`. */
  readonly source: string;
  readonly url: string | null;
  readonly canonicalUrl: string | null;
  readonly title: string | null;
  readonly byline: string | null;
  readonly siteName: string | null;
  /** BCP 47 language tag as declared by the page or detected, e.g. `en`, `ru`, `ja`. */
  readonly lang: string | null;
  /** ISO 8601. */
  readonly publishedTime: string | null;
}

/**
 * An article as the core sees it. `text` is normalized (NFC, `\n` line breaks, paragraphs separated
 * by one blank line, no trailing spaces); every offset anywhere in Verbatim is a UTF-16 index into
 * this string. Build with `makeArticle`.
 */
export interface Article extends ArticleMeta {
  readonly text: string;
  /** `sha256:` + hex of the normalized text: the identity used by caches. */
  readonly contentHash: string;
}

export const EMPTY_META: ArticleMeta = Object.freeze({
  source: '-',
  url: null,
  canonicalUrl: null,
  title: null,
  byline: null,
  siteName: null,
  lang: null,
  publishedTime: null,
});

/**
 * Normalizes raw text the way every ingest path must: Unicode NFC, CRLF/CR/U+2028/U+2029 to `\n`,
 * other C0 and C1 controls and the bidi embeddings, overrides and isolates (which can make a quote
 * read as something else) removed, tabs, NBSP and other odd spaces to plain spaces inside lines,
 * trailing spaces trimmed, runs of blank lines collapsed to one (a paragraph break), leading and
 * trailing blank lines removed.
 */
export function normalizeText(raw: string): string {
  return (
    raw
      .normalize('NFC')
      .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufeff\u200b]/g, '')
      .replace(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
      .split('\n')
      .map((line) => line.replace(/(?<! ) +$/u, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+|\n+$/g, '')
  );
}

export function hashText(text: string): string {
  return `sha256:${nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * Metadata as one line each, without control characters or bidi overrides (see `cleanLine`): a
 * page's `<title>` or byline is shown in terminals and on Discord and must not carry escape
 * sequences there. A field left empty is null (`source`, never null, stays a string).
 */
export function cleanMeta(meta: Partial<ArticleMeta>): Partial<ArticleMeta> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(meta)) {
    const line = typeof value === 'string' ? cleanLine(value) : (value ?? null);
    out[key] = key === 'source' || line !== '' ? line : null;
  }
  return out;
}

/**
 * The only constructor of `Article`: normalizes the text and metadata. `contentHash` is an
 * enumerable property like the others (JSON, spreads and structured clones carry it), computed on
 * its first read.
 */
export function makeArticle(rawText: string, meta: Partial<ArticleMeta> = {}): Article {
  const text = normalizeText(rawText);
  let contentHash: string | undefined;
  const article = Object.defineProperty({ ...EMPTY_META, ...cleanMeta(meta), text }, 'contentHash', {
    enumerable: true,
    get: () => {
      contentHash ??= hashText(text);
      return contentHash;
    },
  });
  return Object.freeze(article as Article);
}
