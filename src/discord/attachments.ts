import { extname } from 'node:path';
import { request } from 'undici';
import type { RemoteFile } from '../app/source-input.js';
import { fail, ok, type Result } from '../core/result.js';
import { notices } from './texts.js';

/** What Discord tells us about an attachment before anything is downloaded (size: bytes, as stated). */
export type AttachmentInfo = RemoteFile;

/** Hosts Discord serves attachments from. */
const DISCORD_CDN_HOSTS: readonly string[] = ['cdn.discordapp.com', 'media.discordapp.net'];

const READABLE_EXTENSIONS = new Set(['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.xhtml', '.pdf']);
const READABLE_TYPES = new Set([
  'text/plain',
  'text/markdown',
  'text/x-markdown',
  'text/html',
  'application/xhtml+xml',
  'application/pdf',
]);

/**
 * Checks an attachment from its metadata alone, before any download: its stated size against the
 * limit, and that its name or type is one Verbatim reads (txt, md, html, pdf; Discord's `message.txt`
 * for long pastes is plain text). Returns why not (the reason code and the notice to show), or
 * null when it may be downloaded.
 */
export function checkAttachment(
  attachment: AttachmentInfo,
  maxBytes: number,
): { readonly code: 'too_large' | 'unsupported_type'; readonly notice: string } | null {
  if (attachment.size > maxBytes) {
    return { code: 'too_large', notice: notices.attachmentTooLarge(attachment.size, maxBytes) };
  }
  const ext = extname(attachment.name).toLowerCase();
  const type = (attachment.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (READABLE_EXTENSIONS.has(ext) || READABLE_TYPES.has(type)) return null;
  return { code: 'unsupported_type', notice: notices.attachmentType };
}

/**
 * Whether a URL is one Discord serves attachments from: HTTPS on Discord's CDN, or the host (and
 * scheme) of the configured Discord API — a REST proxy, or the local fake in tests. Attachment URLs
 * arrive in Discord's payloads, not from users, but are still checked: the article fetcher's
 * public-address guard is deliberately not used for them, so nothing else may pass.
 */
function isDiscordAttachmentUrl(raw: string, apiUrl: string): boolean {
  let url: URL;
  let api: URL;
  try {
    url = new URL(raw);
    api = new URL(apiUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:' && DISCORD_CDN_HOSTS.includes(url.hostname) && url.port === '') return true;
  return url.protocol === api.protocol && url.host === api.host;
}

/**
 * Downloads an attachment with a hard cap on bytes read (whatever Content-Length or the stated size
 * says) and a timeout, following no redirects.
 */
export async function downloadAttachment(
  attachment: AttachmentInfo,
  options: {
    readonly maxBytes: number;
    readonly timeoutMs: number;
    readonly apiUrl: string;
    readonly signal?: AbortSignal;
  },
): Promise<Result<Uint8Array>> {
  if (!isDiscordAttachmentUrl(attachment.url, options.apiUrl)) {
    return fail('blocked_address', 'Attachments are downloaded from Discord only.', {
      reason: 'not_discord',
    });
  }
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await request(attachment.url, { method: 'GET', signal: AbortSignal.any(signals) });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return fail('fetch_failed', 'Discord did not serve the file.', { status: response.statusCode });
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body.dump();
      return fail('too_large', 'The file is too large.', { bytes: declared, limit: options.maxBytes });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > options.maxBytes) {
        response.body.destroy();
        return fail('too_large', 'The file is too large.', { bytes: total, limit: options.maxBytes });
      }
      chunks.push(chunk);
    }
    // A fresh buffer covering its whole ArrayBuffer, so the worker pool can move it, not copy it.
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    return ok(bytes);
  } catch (err) {
    if ((err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError') {
      return fail('timeout', 'Downloading the file took too long.', {
        step: 'download',
        timeoutMs: options.timeoutMs,
      });
    }
    return fail('fetch_failed', 'The file could not be downloaded.', {
      code: (err as { code?: string }).code ?? null,
    });
  }
}
