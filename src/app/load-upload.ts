import { type Article, makeArticle } from '../article/article.js';
import {
  articleFromBytes,
  checkArticle,
  DEFAULT_INGEST_LIMITS,
  decodeText,
  type IngestLimits,
  pdfLimits,
  type RawInput,
  sniffKind,
  tooLarge,
} from '../article/ingest.js';
import type { JobRunner } from '../article/worker/index.js';
import { fail, type Result, timeoutDuring } from '../core/result.js';

/**
 * Uploaded bytes → a checked Article, like `articleFromBytes`, except that PDF text and HTML
 * extraction (tens to hundreds of ms of CPU) run in the worker pool instead of on the event loop
 * that acknowledges every other user's request. Text and Markdown are cheap and stay in-process.
 */
export async function loadUpload(
  input: RawInput,
  pool: JobRunner,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<Result<Article>> {
  const kind = sniffKind(input);
  if (!kind.ok) return kind;
  if (kind.value !== 'pdf' && kind.value !== 'html') return articleFromBytes(input, limits);
  const maxBytes = kind.value === 'pdf' ? limits.maxPdfBytes : limits.maxTextBytes;
  if (input.bytes.length > maxBytes) return tooLarge(input.bytes.length, maxBytes);
  if (input.bytes.length === 0) return fail('empty_input', 'There is no text to read.');

  if (kind.value === 'pdf') {
    const pdf = timeoutDuring(await pool.run('pdfToText', [input.bytes, pdfLimits(limits)]), 'parse');
    if (!pdf.ok) return pdf;
    return checkArticle(makeArticle(pdf.value.text, { title: pdf.value.title, ...input.meta }), limits);
  }
  const decoded = decodeText(input.bytes);
  if (!decoded.ok) return decoded;
  const article = timeoutDuring(
    await pool.run('extractHtml', [
      decoded.value,
      { source: input.meta.source, url: input.meta.url ?? null },
    ]),
    'parse',
  );
  return article.ok ? checkArticle(article.value, limits) : article;
}
