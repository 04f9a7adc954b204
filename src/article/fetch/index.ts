import { performance } from 'node:perf_hooks';
import { Agent, buildConnector, type Dispatcher, errors as undiciErrors } from 'undici';
import { fail, ok, type Result } from '../../core/result.js';
import { looksBinary, startsWithPdf } from '../sniff.js';
import { parseContentEncoding, readBody } from './body.js';
import {
  BlockedAddressError,
  ConnectError,
  type Connector,
  createPinnedConnector,
  ResolveError,
  type Resolver,
  ResolveTimeoutError,
  systemResolver,
} from './connector.js';
import {
  type DocumentKind,
  decodeText,
  isGarbled,
  kindFromContentType,
  parseContentType,
} from './content.js';
import { type AccessPolicy, checkParsedUrl, createAccessPolicy, parseUrl } from './url.js';

export type { AddressRule, AllowList } from './address.js';
export { addressRule, isPublicAddress, parseAllowList } from './address.js';
export { BlockedAddressError, type Connector, type Resolver, systemResolver } from './connector.js';
export type { DocumentKind } from './content.js';
export { checkUrl, normalizeRequestUrl } from './url.js';

/** Sent with every request: names the bot and where to read about it. */
export const DEFAULT_USER_AGENT = 'VerbatimBot/0.1 (+https://github.com/verbatim-bot/verbatim)';
export const DEFAULT_MAX_REDIRECTS = 5;

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,text/plain;q=0.7,*/*;q=0.1';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Bytes of a redirect or error body read (and thrown away) so the connection can be reused. */
const DISCARD_LIMIT = 64 * 1024;

export interface FetchOptions {
  /** Opt-in exceptions to the SSRF guard: host names, `*.suffix`, IPs, CIDR networks. Usually empty. */
  readonly allow: readonly string[];
  /** Ports allowed besides 80 and 443. */
  readonly allowedPorts: readonly number[];
  /** Whole fetch, redirects and body included. Milliseconds. */
  readonly timeoutMs: number;
  /** Name resolution, and separately TCP+TLS connection, per connection. Milliseconds. */
  readonly connectTimeoutMs: number;
  /** Cap on decoded bytes of an HTML or text body (Content-Length checked first). */
  readonly maxHtmlBytes: number;
  /** Cap on decoded bytes of a PDF body. */
  readonly maxPdfBytes: number;
  /** Redirects followed, each checked like the first URL; default 5. */
  readonly maxRedirects?: number;
  /** Defaults to the system resolver. */
  readonly resolver?: Resolver;
  /** Aborting it ends the fetch with `timeout` (details.reason `aborted`). Every timeout has details.step `fetch`. */
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
  /**
   * Transport seam for tests and evaluations (see `Connector`): receives checked IP literals only.
   * Defaults to undici's connector with `connectTimeoutMs`.
   */
  readonly connector?: Connector;
}

export interface FetchedDocument {
  /** The URL fetched first, as parsed (WHATWG-normalized). */
  readonly requestUrl: string;
  /** The URL the document was served from (the last redirect target, or `requestUrl`). */
  readonly finalUrl: string;
  readonly status: number;
  readonly kind: DocumentKind;
  /** The Content-Type header as sent (empty when missing). */
  readonly contentType: string;
  /** Decoded text for `html` and `text`; null for `pdf`. */
  readonly text: string | null;
  /** The encoding `text` was decoded from (`utf-8`, `windows-1251`, …); null for `pdf`. */
  readonly charset: string | null;
  /** The raw body for `pdf` (a fresh buffer, transferable to a worker); null otherwise. */
  readonly bytes: Uint8Array | null;
  /** Each redirect target in order; empty when there was none. */
  readonly redirects: string[];
  /** Wall time of the whole fetch. Milliseconds. */
  readonly fetchMs: number;
}

/**
 * Fetches a link safely: http(s) only, no credentials, allowed ports only, no private or reserved
 * address by name, literal or DNS answer (checked at connect time, on every hop, connection pinned
 * to the checked address), at most `maxRedirects` redirects, a total and a connect timeout, body
 * caps on decoded bytes, and HTML / XHTML / plain text / PDF only. Every expected failure is a
 * value: `invalid_url`, `blocked_address`, `timeout`, `too_large`, `fetch_failed` (details.status
 * for HTTP errors), `unsupported_type` (details.contentType), `unreadable` (details.reason
 * `charset`: text that is not in its declared charset, nor in one it can be recognized as). The body
 * decides over the header: a PDF served as `text/html` is read as a PDF, binary data as none.
 */
export async function fetchDocument(url: string, options: FetchOptions): Promise<Result<FetchedDocument>> {
  const started = performance.now();
  const parsed = parseUrl(url);
  if (!parsed.ok) return parsed;
  const policy = createAccessPolicy(options.allow, options.allowedPorts);
  const first = checkParsedUrl(parsed.value, policy);
  if (!first.ok) return first;
  if (options.signal?.aborted) return aborted();

  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const agent = new Agent({
    connect: createPinnedConnector({
      policy,
      resolver: options.resolver ?? systemResolver,
      resolveTimeoutMs: options.connectTimeoutMs,
      transport: options.connector ?? buildConnector({ timeout: options.connectTimeoutMs }),
    }),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: 4,
  });
  const redirects: string[] = [];
  try {
    const result = await follow(agent, first.value, policy, options, signal, redirects);
    if (!result.ok) return result;
    return ok({ ...result.value, fetchMs: performance.now() - started });
  } catch (error) {
    if (deadline.aborted) {
      return fail('timeout', 'The page took too long to load.', {
        step: 'fetch',
        timeoutMs: options.timeoutMs,
      });
    }
    if (options.signal?.aborted) return aborted();
    const failure = failureFromError(error, options);
    if (failure.ok || redirects.length === 0) return failure;
    return fail(failure.error.code, failure.error.message, {
      ...failure.error.details,
      hop: redirects.length,
    });
  } finally {
    await agent.destroy().catch(() => {});
  }
}

/** Drops a response body without reading it; the error destroying emits is expected and ignored. */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

function aborted(): Result<never> {
  return fail('timeout', 'The fetch was cancelled.', { step: 'fetch', reason: 'aborted' });
}

async function follow(
  agent: Agent,
  start: URL,
  policy: AccessPolicy,
  options: FetchOptions,
  signal: AbortSignal,
  /** Filled in as redirects are followed, so a failure thrown mid-way can name its hop. */
  redirects: string[],
): Promise<Result<Omit<FetchedDocument, 'fetchMs'>>> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let current = start;
  for (;;) {
    const response = await agent.request({
      origin: current.origin,
      path: `${current.pathname}${current.search}`,
      method: 'GET',
      headers: {
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        accept: ACCEPT,
        'accept-encoding': 'gzip, deflate, br',
      },
      signal,
    });
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const status = response.statusCode;

    if (REDIRECT_STATUSES.has(status)) {
      await response.body.dump({ limit: DISCARD_LIMIT });
      const location = header('location');
      if (location === undefined) {
        return fail('fetch_failed', 'The site sent a redirect without a target.', {
          status,
          reason: 'redirect_without_location',
        });
      }
      if (redirects.length >= maxRedirects) {
        return fail('fetch_failed', 'The link redirects too many times.', {
          status,
          reason: 'too_many_redirects',
          limit: maxRedirects,
        });
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return fail('invalid_url', 'The site redirected to something that is not a link.', {
          reason: 'unparsable',
          hop: redirects.length + 1,
        });
      }
      const checked = checkParsedUrl(next, policy);
      if (!checked.ok) {
        return fail(checked.error.code, checked.error.message, {
          ...checked.error.details,
          hop: redirects.length + 1,
        });
      }
      redirects.push(next.href);
      current = next;
      continue;
    }

    if (status < 200 || status > 299) {
      await response.body.dump({ limit: DISCARD_LIMIT });
      return fail('fetch_failed', `The site answered with HTTP ${status}.`, { status });
    }

    const document = await readDocument(response, header, options);
    if (!document.ok) return document;
    return ok({ requestUrl: start.href, finalUrl: current.href, status, redirects, ...document.value });
  }
}

type DocumentBody = Pick<FetchedDocument, 'kind' | 'contentType' | 'text' | 'charset' | 'bytes'>;

/** Classifies, size-checks, reads and decodes a 2xx response body. */
async function readDocument(
  response: Dispatcher.ResponseData,
  header: (name: string) => string | undefined,
  options: FetchOptions,
): Promise<Result<DocumentBody>> {
  const contentTypeHeader = header('content-type');
  const contentType = parseContentType(contentTypeHeader);
  const initialKind = kindFromContentType(contentType.essence);
  if (initialKind === null) {
    discard(response.body);
    return fail('unsupported_type', 'That link is not a web page, a text file or a PDF.', {
      contentType: (contentType.essence ?? contentTypeHeader ?? '').slice(0, 100),
    });
  }
  const encoding = parseContentEncoding(header('content-encoding'));
  if ('unsupported' in encoding) {
    discard(response.body);
    return fail('unsupported_type', 'The site sent the page in an encoding Verbatim cannot read.', {
      contentType: contentType.essence,
      contentEncoding: encoding.unsupported,
    });
  }
  const capFor = (kind: DocumentKind | 'sniff') =>
    kind === 'pdf'
      ? options.maxPdfBytes
      : kind === 'sniff'
        ? Math.max(options.maxPdfBytes, options.maxHtmlBytes)
        : options.maxHtmlBytes;
  const declaredLength = Number(header('content-length') ?? Number.NaN);
  if (Number.isFinite(declaredLength) && declaredLength > capFor(initialKind)) {
    discard(response.body);
    return tooLarge(capFor(initialKind), initialKind, declaredLength);
  }

  const body = await readBody(response.body, encoding.layers, initialKind, capFor);
  if (!body.ok) {
    if (body.reason === 'too_large') return tooLarge(body.limit, body.kind, null);
    return fail('unsupported_type', 'That link is not a web page, a text file or a PDF.', {
      contentType: contentType.essence ?? '',
    });
  }
  const kind = startsWithPdf(body.bytes) ? 'pdf' : body.kind;
  const common = { kind, contentType: contentTypeHeader ?? '' };
  if (kind === 'pdf') {
    if (body.bytes.byteLength > options.maxPdfBytes) return tooLarge(options.maxPdfBytes, kind, null);
    return ok({ ...common, text: null, charset: null, bytes: body.bytes });
  }
  if (!/^utf-?16/i.test(contentType.charset ?? '') && looksBinary(body.bytes)) {
    return fail('unsupported_type', 'That link is not a web page, a text file or a PDF.', {
      contentType: contentType.essence ?? '',
      reason: 'binary',
    });
  }
  const decoded = decodeText(body.bytes, kind, contentType.charset);
  if (isGarbled(decoded)) {
    return fail(
      'unreadable',
      `The page says its text is in ${decoded.charset}, but it is not, and its real encoding could not be recognized.`,
      { reason: 'charset', charset: decoded.charset, declaredBy: decoded.source, replaced: decoded.replaced },
    );
  }
  return ok({ ...common, text: decoded.text, charset: decoded.charset, bytes: null });
}

function tooLarge(limit: number, kind: DocumentKind | 'sniff', declared: number | null): Result<never> {
  const size = limit >= 1e6 ? `${Math.round(limit / 1e6)} MB` : `${Math.ceil(limit / 1e3)} KB`;
  return fail('too_large', `That document is larger than ${size}.`, {
    limit,
    kind,
    ...(declared === null ? {} : { contentLength: declared }),
  });
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/;

/**
 * Turns an error thrown while fetching into a failure value. Errors from the guard, resolution,
 * sockets, TLS, HTTP parsing and decompression are expected; anything else is a bug and rethrown.
 */
function failureFromError(error: unknown, options: FetchOptions): Result<never> {
  const cause = findCause(error);
  if (cause instanceof BlockedAddressError) {
    return fail(
      'blocked_address',
      cause.rule === 'local_name' || cause.rule === 'single_label'
        ? 'That link points at a local or internal host name.'
        : 'That link points at a private or reserved address.',
      {
        rule: cause.rule,
        host: cause.host.slice(0, 253),
        ...(cause.address === null ? {} : { address: cause.address }),
      },
    );
  }
  if (cause instanceof ResolveTimeoutError || cause instanceof undiciErrors.ConnectTimeoutError) {
    return fail('timeout', 'The site took too long to answer.', {
      step: 'fetch',
      phase: 'connect',
      timeoutMs: options.connectTimeoutMs,
    });
  }
  if (cause instanceof undiciErrors.HeadersTimeoutError || cause instanceof undiciErrors.BodyTimeoutError) {
    return fail('timeout', 'The page took too long to load.', {
      step: 'fetch',
      timeoutMs: options.timeoutMs,
    });
  }
  if (cause instanceof ResolveError) {
    return fail('fetch_failed', 'That site could not be found.', { reason: 'dns', code: cause.code });
  }
  const code = errorCode(cause);
  if (code !== null && TLS_CODE.test(code)) {
    return fail('fetch_failed', 'The site’s secure connection could not be verified.', {
      reason: 'tls',
      code,
    });
  }
  if (code?.startsWith('Z_')) {
    return fail('fetch_failed', 'The site sent a corrupt compressed page.', { reason: 'bad_encoding', code });
  }
  if (
    cause instanceof undiciErrors.UndiciError ||
    (code !== null && /^(E[A-Z]+|UND_ERR_[A-Z_]+|HPE_[A-Z_]+)$/.test(code))
  ) {
    return fail('fetch_failed', 'The site could not be reached.', {
      reason: 'network',
      code: code ?? 'unknown',
    });
  }
  if (cause instanceof ConnectError) {
    return fail('fetch_failed', 'The site could not be reached.', { reason: 'network', code: 'ECONNECT' });
  }
  throw error;
}

/** The most specific error in a `cause` chain that is one of ours, else the first with a code. */
function findCause(error: unknown): unknown {
  let current = error;
  let withCode: unknown = null;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (
      current instanceof BlockedAddressError ||
      current instanceof ResolveError ||
      current instanceof ResolveTimeoutError
    ) {
      return current;
    }
    if (withCode === null && errorCode(current) !== null) withCode = current;
    if (
      current instanceof ConnectError &&
      !(current.cause instanceof Error && errorCode(current.cause) !== null)
    ) {
      return withCode ?? current;
    }
    current = current.cause;
  }
  return withCode ?? error;
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}
