import type { Result } from '../../core/result.js';
import type { Article } from '../article.js';
import type { HtmlExtractOptions } from '../html/index.js';
import type { PdfLimits, PdfText } from '../pdf.js';

/**
 * The jobs a worker may run, by name: the allow-list of `WorkerPool` (a worker runs nothing else).
 * Each takes structured-cloneable arguments and resolves to a Result; modules load lazily, inside
 * the worker, on first use.
 */
export const jobs = {
  /** PDF bytes → text (see `pdfToText`). Pass a whole-buffer Uint8Array to have it moved, not copied. */
  pdfToText: async (bytes: Uint8Array, limits?: PdfLimits): Promise<Result<PdfText>> =>
    (await import('../pdf.js')).pdfToText(bytes, limits),
  /** A fetched page → Article (Readability and clean-up: 50–150 ms of CPU on a large page). */
  extractHtml: async (html: string, options: HtmlExtractOptions): Promise<Result<Article>> =>
    (await import('../html/index.js')).extractArticleFromHtml(html, options),
};
