import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fail, type Result } from '../core/result.js';
import type { Article } from './article.js';
import {
  articleFromBytes,
  DEFAULT_INGEST_LIMITS,
  type IngestLimits,
  type RawInput,
  tooLarge,
} from './ingest.js';

/** How long reading one input may take, in milliseconds; past it, a `timeout` with details.step `read`. */
export interface ReadDeadline {
  readonly timeoutMs: number;
}

/**
 * Reads a file into memory, refusing before reading anything when it is larger than `maxBytes`
 * (a 50 MB file costs one stat, not 50 MB of memory), and stopping between reads at the deadline.
 * Only regular files are read (anything else is refused before it is opened, so a FIFO cannot
 * block the open), and they are read synchronously: the command has nothing else to do meanwhile,
 * and five round trips through the thread pool cost a one-shot command more than the reads.
 */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  deadline?: ReadDeadline,
): Promise<Result<Uint8Array>> {
  let info: Stats;
  try {
    info = statSync(path);
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
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail('unreadable', `Cannot read ${path} (${code ?? 'error'}).`, { path, errno: code ?? null });
  }
  const started = monotonicMs();
  try {
    // The path may name another file by now: what was opened is checked again.
    if (!fstatSync(fd).isFile()) return fail('unreadable', `${path} is not a regular file.`, { path });
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      if (deadline && monotonicMs() - started > deadline.timeoutMs) return readTimeout(deadline);
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return tooLarge(length, maxBytes);
    return { ok: true, value: new Uint8Array(buffer.buffer, buffer.byteOffset, length) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a stream (stdin) up to `maxBytes`; past that it stops reading and answers `too_large`. At the
 * deadline it stops waiting (a producer that never ends the stream) and answers `timeout`.
 */
export async function readStreamBounded(
  stream: AsyncIterable<Uint8Array>,
  maxBytes: number,
  deadline?: ReadDeadline,
): Promise<Result<Uint8Array>> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const chunks = stream[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    if (deadline) timer = setTimeout(() => resolve('expired'), deadline.timeoutMs);
  });
  const stop = () => void Promise.resolve(chunks.return?.()).catch(() => {});
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), expired]);
      if (next === 'expired') {
        stop();
        return readTimeout(deadline as ReadDeadline);
      }
      if (next.done) return { ok: true, value: Buffer.concat(parts, length) };
      length += next.value.length;
      if (length > maxBytes) {
        stop();
        return tooLarge(length, maxBytes);
      }
      parts.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
}

function readTimeout<T>(deadline: ReadDeadline): Result<T> {
  return fail(
    'timeout',
    `Reading the input took longer than ${Math.round(deadline.timeoutMs / 1000)} seconds.`,
    {
      step: 'read',
      timeoutMs: deadline.timeoutMs,
    },
  );
}

/** A file path, or `-` for stdin, → the raw input (bytes, file name), read within the byte limits and the deadline. */
export async function readLocalInput(
  source: string,
  stdin: AsyncIterable<Uint8Array>,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  deadline?: ReadDeadline,
): Promise<Result<RawInput>> {
  const maxBytes = Math.max(limits.maxTextBytes, limits.maxPdfBytes);
  const bytes =
    source === '-'
      ? await readStreamBounded(stdin, maxBytes, deadline)
      : await readFileBounded(source, maxBytes, deadline);
  if (!bytes.ok) return bytes;
  return {
    ok: true,
    value: {
      bytes: bytes.value,
      filename: source === '-' ? null : basename(source),
      contentType: null,
      meta: { source },
    },
  };
}

/** A file path, or `-` for stdin, → Article, parsed in this thread (no time limit on parsing). */
export async function loadLocalSource(
  source: string,
  stdin: AsyncIterable<Uint8Array>,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): Promise<Result<Article>> {
  const input = await readLocalInput(source, stdin, limits);
  return input.ok ? articleFromBytes(input.value, limits) : input;
}

/** A URL-looking string (`scheme://…`): what the CLI treats as a link rather than a file path or `-`. */
export function looksLikeUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim());
}

/**
 * A monotonic clock in milliseconds. Not `performance.now()`: its first use loads `perf_hooks` and
 * ten internal modules (a few ms of the `verbatim` command's start-up), for one subtraction.
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
