import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fail, type Result } from '../core/result.js';
import type { Article } from './article.js';
import { articleFromBytes, DEFAULT_INGEST_LIMITS, type IngestLimits, tooLarge } from './ingest.js';

/**
 * Reads a file into memory, refusing before reading anything when it is larger than `maxBytes`
 * (a 50 MB file costs one stat, not 50 MB of memory).
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Result<Uint8Array>> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      'unreadable',
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path} (${code ?? 'error'}).`,
      {
        path,
        errno: code ?? null,
      },
    );
  }
  if (!info.isFile()) return fail('unreadable', `${path} is not a regular file.`, { path });
  if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return tooLarge(length, maxBytes);
    return { ok: true, value: new Uint8Array(buffer.buffer, buffer.byteOffset, length) };
  } finally {
    await handle.close();
  }
}

/** Reads a stream (stdin) up to `maxBytes`; past that it stops reading and answers `too_large`. */
export async function readStreamBounded(
  stream: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<Result<Uint8Array>> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > maxBytes) return tooLarge(length, maxBytes);
    parts.push(chunk);
  }
  return { ok: true, value: Buffer.concat(parts, length) };
}

/** A file path, or `-` for stdin, → Article. */
export async function loadLocalSource(
  source: string,
  stdin: AsyncIterable<Uint8Array>,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<Result<Article>> {
  const maxBytes = Math.max(limits.maxTextBytes, limits.maxPdfBytes);
  const bytes =
    source === '-' ? await readStreamBounded(stdin, maxBytes) : await readFileBounded(source, maxBytes);
  if (!bytes.ok) return bytes;
  return articleFromBytes(
    {
      bytes: bytes.value,
      filename: source === '-' ? null : basename(source),
      contentType: null,
      meta: { source },
    },
    limits,
  );
}

/** A URL-looking string (`scheme://…`): what the CLI treats as a link rather than a file path or `-`. */
export function looksLikeUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim());
}
