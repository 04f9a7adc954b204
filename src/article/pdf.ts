import { getDocumentProxy, getMeta } from 'unpdf';
import { fail, ok, type Result } from '../core/result.js';

/**
 * Bounds on one PDF's extraction, checked while it runs: pages are read one at a time and reading
 * stops as soon as the text passes `maxChars`. The page count is checked first because pdf.js finds
 * page n by walking the page tree from the start: on a flat tree (one /Kids array, as a crafted
 * file has) reading every page costs pages² steps, ~7 s of CPU for 1,000 pages.
 */
export interface PdfLimits {
  /** Characters of extracted text (the article limit); past it the PDF is `too_large`. */
  readonly maxChars: number;
  /** Pages in the document; more is refused before any page is read. */
  readonly maxPages: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = Object.freeze({ maxChars: 1_000_000, maxPages: 1_000 });

export interface PdfText {
  /** Page text in reading order: lines of a paragraph joined by spaces, paragraphs and pages by a blank line. */
  readonly text: string;
  /** The document's Title (Info dictionary, else XMP dc:title), or null when absent or blank. */
  readonly title: string | null;
  readonly pages: number;
}

interface Item {
  readonly str: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly fontSize: number;
  readonly hasEOL: boolean;
}

interface Line {
  text: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/**
 * Extracts the text of a PDF with unpdf (pdf.js, no native parts; CPU-bound, ~100 ms for a short
 * paper: run it through the worker pool in a server). Paragraph breaks are inferred from layout: a
 * vertical gap clearly larger than the line spacing, a change of font size, a jump back up the page
 * (next column) or an indented first line. Failures are `unreadable` with details.reason:
 * `not_pdf`, `encrypted` (needs a password), `corrupt`, or `no_text` (e.g. a scan without OCR); and
 * `too_large` with details.reason `pages` (more than `limits.maxPages`, nothing read) or `chars`
 * (the text passed `limits.maxChars` by page `pagesRead`; the rest is not read).
 */
export async function pdfToText(
  bytes: Uint8Array,
  limits: PdfLimits = DEFAULT_PDF_LIMITS,
): Promise<Result<PdfText>> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  if (!head.includes('%PDF-')) return fail('unreadable', 'That file is not a PDF.', { reason: 'not_pdf' });
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may take ownership of (detach) the buffer it is given: hand it a copy.
    document = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const encrypted = error instanceof Error && error.name === 'PasswordException';
    return fail(
      'unreadable',
      encrypted ? 'That PDF is password-protected.' : 'That PDF is damaged and cannot be read.',
      { reason: encrypted ? 'encrypted' : 'corrupt' },
    );
  }
  try {
    const totalPages = document.numPages;
    if (totalPages > limits.maxPages) {
      return fail(
        'too_large',
        `This PDF has ${totalPages} pages; Verbatim reads PDFs of up to ${limits.maxPages} pages.`,
        { reason: 'pages', pages: totalPages, limit: limits.maxPages },
      );
    }
    const pages: string[] = [];
    let chars = 0;
    for (let number = 1; number <= totalPages; number++) {
      const text = pageText(await pageItems(document, number));
      if (text === '') continue;
      pages.push(text);
      chars += text.length + 2;
      if (chars > limits.maxChars) {
        return fail(
          'too_large',
          `This PDF has more than ${limits.maxChars} characters of text (the limit), reached on page ${number} of ${totalPages}.`,
          { reason: 'chars', chars, limit: limits.maxChars, pagesRead: number, pages: totalPages },
        );
      }
    }
    const text = pages.join('\n\n');
    if (text.trim() === '') {
      return fail('unreadable', 'That PDF has no text layer (it may be a scan).', {
        reason: 'no_text',
        pages: totalPages,
      });
    }
    return ok({ text, title: await documentTitle(document), pages: totalPages });
  } catch {
    return fail('unreadable', 'That PDF is damaged and cannot be read.', { reason: 'corrupt' });
  } finally {
    await document.destroy().catch(() => {});
  }
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** One page's text items; the page's parsed resources are released before the next page is read. */
async function pageItems(document: PdfDocument, number: number): Promise<Item[]> {
  const page = await document.getPage(number);
  try {
    const content = await page.getTextContent();
    const items: Item[] = [];
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const [, , c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
      items.push({ str: item.str, x, y, width: item.width, fontSize: Math.hypot(c, d), hasEOL: item.hasEOL });
    }
    return items;
  } finally {
    page.cleanup();
  }
}

async function documentTitle(document: PdfDocument): Promise<string | null> {
  try {
    const { info, metadata } = await getMeta(document);
    const fromInfo = typeof info.Title === 'string' ? info.Title : '';
    const fromXmp =
      metadata && typeof metadata.get === 'function' ? String(metadata.get('dc:title') ?? '') : '';
    const title = (fromInfo.trim() || fromXmp.trim()).replace(/^Microsoft (Word|PowerPoint) - /, '').trim();
    return title === '' ? null : title;
  } catch {
    return null;
  }
}

function pageText(items: readonly Item[]): string {
  const lines = toLines(items);
  const lineGap = typicalLineGap(lines);
  const paragraphs: string[] = [];
  let current = '';
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    if (previous === undefined || startsParagraph(previous, line, lineGap)) {
      if (current !== '') paragraphs.push(current);
      current = line.text;
    } else if (/\p{L}-$/u.test(current) && /^\p{Ll}/u.test(line.text)) {
      current = current.slice(0, -1) + line.text;
    } else {
      current = `${current} ${line.text}`;
    }
  });
  if (current !== '') paragraphs.push(current);
  return paragraphs.join('\n\n');
}

function toLines(items: readonly Item[]): Line[] {
  const lines: Line[] = [];
  let line: Line | null = null;
  let lineEnd = 0;
  const finish = () => {
    if (line !== null) {
      line.text = line.text.replace(/\s+/g, ' ').trim();
      if (line.text !== '') lines.push(line);
    }
    line = null;
  };
  for (const item of items) {
    if (line !== null && Math.abs(item.y - line.y) > Math.max(line.size, item.fontSize) / 2) finish();
    if (line === null) {
      if (item.str.trim() !== '') {
        line = { text: item.str, x: item.x, y: item.y, size: item.fontSize };
        lineEnd = item.x + item.width;
      }
    } else {
      const gap = item.x - lineEnd;
      const needsSpace = gap > item.fontSize * 0.2 && !/\s$/.test(line.text) && !/^\s/.test(item.str);
      line.text += needsSpace ? ` ${item.str}` : item.str;
      lineEnd = item.x + item.width;
    }
    if (item.hasEOL) finish();
  }
  finish();
  return lines;
}

function startsParagraph(previous: Line, line: Line, lineGap: number): boolean {
  const size = Math.max(previous.size, line.size);
  const gap = previous.y - line.y;
  if (gap < -size / 2) return true;
  if (Math.abs(previous.size - line.size) > 0.15 * size) return true;
  if (gap > Math.max(lineGap, size * 1.2) * 1.35) return true;
  return line.x > previous.x + size && gap > 0;
}

/** The usual distance between lines on a page: the lower quartile of the positive gaps, so the extra space of paragraph breaks does not count. */
function typicalLineGap(lines: readonly Line[]): number {
  const gaps = lines
    .slice(1)
    .map((line, i) => (lines[i]?.y ?? line.y) - line.y)
    .filter((gap) => gap > 0)
    .sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 4)] ?? 0;
}
