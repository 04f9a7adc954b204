/**
 * Content signatures, checked whatever type a server, Discord or a file name declares: a PDF served
 * as `text/html` is still a PDF, and a PNG named `notes.txt` is still not text.
 */

/** Whether the bytes open with the PDF signature `%PDF-` (the strict form, for overriding a declared type). */
export function startsWithPdf(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d
  );
}

/** The byte-order mark's encoding: `utf-8`, `utf-16le`, `utf-16be`, or null. */
export function bomEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

/** Signatures of formats that are never text: images, archives, compressed data, executables, media. */
const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x50, 0x4b, 0x03, 0x04], // ZIP, docx, epub
  [0x1f, 0x8b], // gzip
  [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], // 7z
  [0x52, 0x61, 0x72, 0x21], // RAR
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x00, 0x61, 0x73, 0x6d], // WebAssembly
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], // SQLite
  [0x4f, 0x67, 0x67, 0x53], // Ogg
  [0x49, 0x44, 0x33], // MP3 with ID3
  [0x52, 0x49, 0x46, 0x46], // RIFF: WAV, AVI, WebP
  [0xd0, 0xcf, 0x11, 0xe0], // old Office documents
];

/** Bytes looked at to decide whether input is binary. */
const SAMPLE_BYTES = 8192;

/**
 * Whether the bytes are not text in any encoding Verbatim reads: a known binary signature, or in the
 * first 8 KB many NUL bytes (more than 1 in 64, and more than 4) or more than 10% other control
 * bytes. A text with a stray NUL or two is damaged text, not binary; UTF-16 with a byte-order mark
 * (Windows Notepad's "Unicode", a NUL in every other byte) is text.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (BINARY_SIGNATURES.some((signature) => signature.every((b, i) => bytes[i] === b))) return true;
  if (bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return true; // MP4 "ftyp"
  const bom = bomEncoding(bytes);
  if (bom === 'utf-16le' || bom === 'utf-16be') return false;
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  let nul = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return (nul > 4 && nul > n / 64) || (n > 0 && (nul + control) / n > 0.1);
}
