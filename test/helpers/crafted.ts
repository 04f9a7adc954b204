/**
 * Hostile inputs made in code, small to write and fast to make, for the tests that prove work is
 * bounded (issue 10 §3): a PDF with many pages on one flat page tree, and HTML nested very deep.
 */

/** A sentence of ~110 characters for page `i` (1-based in its text). */
export const pageSentence = (i: number): string =>
  `Page ${i + 1} says that the committee met again on Tuesday and agreed to publish the report in full next week.`;

/**
 * A valid PDF of `pages` pages, each showing `textFor(i)` in Helvetica, all pages in one /Kids array
 * (what a crafted file does; real producers build balanced trees). 20,000 pages is ~7.5 MB.
 */
export function craftedPdf(pages: number, textFor: (i: number) => string = pageSentence): Uint8Array {
  const parts: string[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (s: string) => {
    parts.push(s);
    length += s.length;
  };
  const object = (id: number, body: string) => {
    offsets[id] = length;
    push(`${id} 0 obj\n${body}\nendobj\n`);
  };
  push('%PDF-1.4\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  const kids = Array.from({ length: pages }, (_, i) => `${5 + 2 * i} 0 R`).join(' ');
  object(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  for (let i = 0; i < pages; i++) {
    const content = `BT /F1 12 Tf 72 720 Td (${textFor(i)}) Tj ET`;
    object(4 + 2 * i, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    object(
      5 + 2 * i,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${4 + 2 * i} 0 R >>`,
    );
  }
  const size = 4 + 2 * pages;
  const xref = length;
  const rows = ['xref', `0 ${size}`, '0000000000 65535 f '];
  for (let id = 1; id < size; id++) rows.push(`${String(offsets[id]).padStart(10, '0')} 00000 n `);
  push(`${rows.join('\n')}\n`);
  push(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.from(parts.join(''), 'latin1'));
}

/** A page whose one paragraph sits inside `depth` nested `<div>`s (200,000 deep is ~2.2 MB). */
export function nestedHtml(depth: number, paragraph = 'Hello from the bottom of the page.'): string {
  return `<!doctype html><html><head><title>Deep</title></head><body>${'<div>'.repeat(depth)}<p>${paragraph}</p>${'</div>'.repeat(depth)}</body></html>`;
}
