import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createUnzip } from 'node:zlib';
import { type DocumentKind, SNIFF_BYTES, sniffKind } from './content.js';

/** Content-Encoding layers decoded; more than this is refused (nobody stacks three compressions). */
const MAX_ENCODING_LAYERS = 2;

/** The listed Content-Encodings in the order they must be undone, or the first one not supported. */
export function parseContentEncoding(
  header: string | undefined,
): { layers: string[] } | { unsupported: string } {
  const layers = (header ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity');
  for (const layer of layers) {
    if (!['gzip', 'x-gzip', 'deflate', 'br'].includes(layer)) return { unsupported: layer.slice(0, 40) };
  }
  if (layers.length > MAX_ENCODING_LAYERS) return { unsupported: layers.join(', ').slice(0, 80) };
  return { layers: layers.reverse() };
}

function decoderFor(layer: string) {
  // Lenient on truncated streams, like browsers: flush what was decoded instead of failing.
  if (layer === 'br') return createBrotliDecompress({ finishFlush: constants.BROTLI_OPERATION_FLUSH });
  if (layer === 'deflate') return createUnzip({ finishFlush: constants.Z_SYNC_FLUSH });
  return createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
}

export type BodyOutcome =
  | { readonly ok: true; readonly kind: DocumentKind; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly reason: 'too_large';
      readonly limit: number;
      readonly kind: DocumentKind | 'sniff';
    }
  | { readonly ok: false; readonly reason: 'unsupported_type' };

/**
 * Reads a response body, undoing Content-Encoding as it streams, and stops as soon as the decoded
 * size passes the cap for the document's kind (so a decompression bomb costs at most the cap plus
 * one zlib chunk). When the kind must be sniffed, the first 1024 decoded bytes decide it, and the
 * body is dropped at once if they match nothing. Errors from the stream (abort, reset, corrupt
 * compression) are thrown; the stream is destroyed on every early exit.
 */
export async function readBody(
  body: Readable,
  layers: readonly string[],
  initialKind: DocumentKind | 'sniff',
  capFor: (kind: DocumentKind | 'sniff') => number,
): Promise<BodyOutcome> {
  body.on('error', () => {});
  let stream: Readable = body;
  for (const layer of layers) stream = pipeline(stream, decoderFor(layer), () => {});
  let kind = initialKind;
  let cap = capFor(kind);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      chunks.push(chunk);
      if (kind === 'sniff' && total >= SNIFF_BYTES) {
        const sniffed = sniffKind(concat(chunks, total));
        if (sniffed === null) return { ok: false, reason: 'unsupported_type' };
        kind = sniffed;
        cap = capFor(kind);
      }
      if (total > cap) return { ok: false, reason: 'too_large', limit: cap, kind };
    }
  } finally {
    stream.on('error', () => {});
    if (!stream.destroyed) stream.destroy();
    if (!body.destroyed) body.destroy();
  }
  const bytes = concat(chunks, total);
  if (kind === 'sniff') {
    const sniffed = sniffKind(bytes);
    if (sniffed === null) return { ok: false, reason: 'unsupported_type' };
    kind = sniffed;
    if (total > capFor(kind)) return { ok: false, reason: 'too_large', limit: capFor(kind), kind };
  }
  return { ok: true, kind, bytes };
}

/** Joins chunks into one fresh, unpooled buffer (transferable to a worker as a whole). */
function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
