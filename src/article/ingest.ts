import { extname } from 'node:path';
import { fail, type Result } from '../core/result.js';
import { hasLetterOrNumber } from '../text/index.js';
import { type Article, type ArticleMeta, makeArticle } from './article.js';
import { guessLegacyCharset, iconvLite } from './charset.js';
import type { PdfLimits } from './pdf.js';
import { bomEncoding, looksBinary, startsWithPdf } from './sniff.js';

/** Limits on what one input may be. Bytes are raw input bytes; chars are normalized article text. */
export interface IngestLimits {
  readonly maxTextBytes: number;
  readonly maxPdfBytes: number;
  readonly maxArticleChars: number;
  /** Pages of a PDF; a longer one is refused before its text is read. */
  readonly maxPdfPages: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = Object.freeze({
  maxTextBytes: 5_000_000,
  maxPdfBytes: 20_000_000,
  maxArticleChars: 1_000_000,
  maxPdfPages: 1_000,
});

/** The PDF extraction bounds that follow from the ingest limits. */
export function pdfLimits(limits: IngestLimits): PdfLimits {
  return { maxChars: limits.maxArticleChars, maxPages: limits.maxPdfPages };
}

export type InputKind = 'text' | 'markdown' | 'html' | 'pdf';

export interface RawInput {
  readonly bytes: Uint8Array;
  /** A file name (or URL path) whose extension hints the type; null for stdin and pasted text. */
  readonly filename: string | null;
  /** A declared MIME type (HTTP, Discord attachment), or null. Sniffing wins over a wrong declaration. */
  readonly contentType: string | null;
  readonly meta: Partial<ArticleMeta> & { readonly source: string };
}

/** Decides what the bytes are, from their content first, then the declared type, then the name. */
export function sniffKind(input: Pick<RawInput, 'bytes' | 'filename' | 'contentType'>): Result<InputKind> {
  const { bytes } = input;
  if (startsWithPdf(bytes)) return { ok: true, value: 'pdf' };
  const ext = input.filename ? extname(input.filename).toLowerCase() : '';
  const type = (input.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (ext === '.pdf' || type === 'application/pdf') {
    return fail('unreadable', 'This file says it is a PDF but is not a readable PDF.');
  }
  if (looksBinary(bytes)) {
    return fail(
      'unsupported_type',
      'This looks like a binary file; Verbatim reads text, Markdown, HTML and PDF.',
      {
        contentType: input.contentType,
        filename: input.filename,
      },
    );
  }
  const head = new TextDecoder(bomEncoding(bytes) ?? 'utf-8')
    .decode(bytes.subarray(0, 2048))
    .trimStart()
    .toLowerCase();
  if (
    ext === '.html' ||
    ext === '.htm' ||
    ext === '.xhtml' ||
    type === 'text/html' ||
    type === 'application/xhtml+xml'
  )
    return { ok: true, value: 'html' };
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return { ok: true, value: 'html' };
  if (ext === '.md' || ext === '.markdown' || type === 'text/markdown')
    return { ok: true, value: 'markdown' };
  const textual = ['', '.txt', '.text', '.log'].includes(ext) || type.startsWith('text/') || type === '';
  if (!textual && type !== 'application/octet-stream') {
    return fail('unsupported_type', `Verbatim reads text, Markdown, HTML and PDF, not ${type || ext}.`, {
      contentType: input.contentType,
      filename: input.filename,
    });
  }
  return { ok: true, value: 'text' };
}

/**
 * Decodes uploaded text: a byte-order mark's encoding (UTF-8, or UTF-16 as Windows Notepad saves
 * "Unicode"), else strict UTF-8, else the legacy charset the bytes look like (a windows-1251 or
 * Shift_JIS file). Bytes that are none of these are `unreadable` with details.reason `charset`,
 * never U+FFFD soup. Stray NUL bytes decode and are removed with the other control characters.
 */
export function decodeText(bytes: Uint8Array): Result<string> {
  const bom = bomEncoding(bytes);
  try {
    return { ok: true, value: new TextDecoder(bom ?? 'utf-8', { fatal: true }).decode(bytes) };
  } catch {
    // Below: what else the bytes could be.
  }
  const guessed = bom === null ? guessLegacyCharset(bytes) : null;
  if (guessed !== null) {
    try {
      return { ok: true, value: new TextDecoder(guessed).decode(bytes) };
    } catch {
      if (iconvLite().encodingExists(guessed)) {
        return {
          ok: true,
          value: iconvLite().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), guessed),
        };
      }
    }
  }
  return fail(
    'unreadable',
    `This text is not valid ${bom ?? 'UTF-8'} and its encoding could not be recognized; save it as UTF-8 and try again.`,
    { reason: 'charset', charset: bom ?? 'utf-8' },
  );
}

/**
 * Markdown → plain text a reader would see: headings, emphasis, links and images lose their syntax;
 * paragraphs and list items stay as lines. Quotes are located in this text, so it must read naturally.
 * Linear in the length of `md`: fences, links and images are only looked for before the last place
 * they could end (an opener with no closer after it scanned to the end of the text, once per opener),
 * and a heading's closing `#`s are trimmed by hand.
 */
export function markdownToText(md: string): string {
  let text = beforeLast(md, lastFenceEnd(md), (s) => s.replace(/^```[^\n]*\n([\s\S]*?)^```\s*$/gm, '$1'));
  text = beforeLast(text, text.lastIndexOf(')') + 1, (s) => s.replace(/!\[([^[\]]*)\]\([^)]*\)/g, '$1'));
  text = beforeLast(text, text.lastIndexOf(')') + 1, (s) => s.replace(/\[([^[\]]+)\]\([^)]*\)/g, '$1'));
  return text
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.*)$/gm, (_, heading: string) => withoutClosingHashes(heading))
    .replace(/^[ \t]{0,3}>[ \t]?/gm, '')
    .replace(/^[ \t]{0,3}(?:[-*_][ \t]*){3,}$/gm, '')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** `edit` applied to `text` up to `end` only; the rest (where no match can end) kept as it is. */
function beforeLast(text: string, end: number, edit: (s: string) => string): string {
  return end <= 0 ? text : edit(text.slice(0, end)) + text.slice(end);
}

/** Where the last closing fence line (a line of ``` and spaces) ends, or 0 when there is none. */
function lastFenceEnd(md: string): number {
  let end = 0;
  for (const m of md.matchAll(/^```\s*$/gm)) end = m.index + m[0].length;
  return end;
}

/** A heading's text without the optional closing sequence: `Title ##  ` → `Title`. */
function withoutClosingHashes(heading: string): string {
  let end = heading.length;
  while (end > 0 && (heading[end - 1] === ' ' || heading[end - 1] === '\t')) end--;
  while (end > 0 && heading[end - 1] === '#') end--;
  while (end > 0 && (heading[end - 1] === ' ' || heading[end - 1] === '\t')) end--;
  return heading.slice(0, end);
}

/**
 * Turns raw input bytes into an Article: sniff the type, decode, extract, normalize, check limits.
 * HTML and PDF extraction are loaded on demand (they are heavy; start-up counts).
 */
export async function articleFromBytes(
  input: RawInput,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<Result<Article>> {
  const kind = sniffKind(input);
  if (!kind.ok) return kind;
  const maxBytes = kind.value === 'pdf' ? limits.maxPdfBytes : limits.maxTextBytes;
  if (input.bytes.length > maxBytes) return tooLarge(input.bytes.length, maxBytes);
  if (input.bytes.length === 0) return fail('empty_input', 'There is no text to read.');

  let article: Result<Article>;
  if (kind.value === 'pdf') {
    const { pdfToText } = await import('./pdf.js');
    const pdf = await pdfToText(input.bytes, pdfLimits(limits));
    if (!pdf.ok) return pdf;
    article = { ok: true, value: makeArticle(pdf.value.text, { title: pdf.value.title, ...input.meta }) };
  } else {
    const decoded = decodeText(input.bytes);
    if (!decoded.ok) return decoded;
    if (kind.value === 'html') {
      const { extractArticleFromHtml } = await import('./html/index.js');
      article = extractArticleFromHtml(decoded.value, {
        source: input.meta.source,
        url: input.meta.url ?? null,
      });
    } else {
      const text = kind.value === 'markdown' ? markdownToText(decoded.value) : decoded.value;
      article = { ok: true, value: makeArticle(text, input.meta) };
    }
  }
  return article.ok ? checkArticle(article.value, limits) : article;
}

/** The checks every Article passes before an engine sees it, whatever its way in. */
export function checkArticle(
  article: Article,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Result<Article> {
  if (!hasLetterOrNumber(article.text)) return fail('empty_input', 'There is no text to read.');
  if (article.text.length > limits.maxArticleChars) {
    return fail(
      'too_large',
      `This article is too long (${article.text.length} characters; the limit is ${limits.maxArticleChars}).`,
      {
        chars: article.text.length,
        limit: limits.maxArticleChars,
      },
    );
  }
  return { ok: true, value: article };
}

export function tooLarge<T>(bytes: number, limit: number): Result<T> {
  return fail('too_large', `This input is too large (${bytes} bytes; the limit is ${limit}).`, {
    bytes,
    limit,
  });
}
