/**
 * Expected failures are values, not exceptions (STYLE.md). Every failure carries a stable reason
 * code that adapters (CLI, Discord) turn into a user-facing message in one place.
 */

/** Every reason code a core function may return. Stable: they appear in JSON output and logs. */
export const REASON_CODES = [
  // input
  'empty_input',
  'too_large',
  'unsupported_type',
  'not_an_article',
  'unreadable',
  'bad_usage',
  // links
  'invalid_url',
  'blocked_address',
  'timeout',
  'fetch_failed',
  // engines
  'unsupported_option',
  'engine_unavailable',
  'rate_limited',
  'auth_failed',
  'context_too_long',
  'refused',
  'engine_failed',
  // budgets, bot
  'budget_exhausted',
  'busy',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * What a `timeout` failure was waiting for, in its `details.step`: the message a user sees depends
 * on it (a file someone uploaded has no site that could be slow). `fetch`: a web page; `download`:
 * a file from Discord; `read`: a local file or standard input; `parse`: turning a page or PDF into
 * text; `engine`: summarizing or answering. A timeout without a step is described as neither.
 */
export type TimeoutStep = 'fetch' | 'download' | 'read' | 'parse' | 'engine';

/** `result`, with `details.step` set when it is a timeout that does not name its step yet. */
export function timeoutDuring<T>(result: Result<T>, step: TimeoutStep): Result<T> {
  if (result.ok || result.error.code !== 'timeout' || result.error.details?.step !== undefined) return result;
  return fail('timeout', result.error.message, { ...result.error.details, step });
}

export interface Failure {
  readonly code: ReasonCode;
  /** One sentence a user can act on. Never contains a stack trace or raw upstream error text. */
  readonly message: string;
  /** Machine-readable context (HTTP status, sizes, limits). Never secrets, never article bodies. */
  readonly details: Readonly<Record<string, unknown>> | null;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: ReasonCode,
  message: string,
  details: Record<string, unknown> | null = null,
): Result<T> {
  return { ok: false, error: { code, message, details } };
}

/** Which kind of failure a code is, for exit codes and for choosing who is to blame. */
export function failureKind(code: ReasonCode): 'usage' | 'input' | 'upstream' {
  switch (code) {
    case 'bad_usage':
    case 'unsupported_option':
    case 'engine_unavailable':
      return 'usage';
    case 'timeout':
    case 'fetch_failed':
    case 'rate_limited':
    case 'auth_failed':
    case 'context_too_long':
    case 'refused':
    case 'engine_failed':
    case 'busy':
    case 'budget_exhausted':
      return 'upstream';
    default:
      return 'input';
  }
}
