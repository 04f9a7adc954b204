import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import type { Failure, ReasonCode } from '../../core/result.js';

/**
 * Turns what the SDK throws into a Failure with a stable code, branching on the SDK's error classes
 * (never on message text, except the context-length case below), and on fetch's own errors for a
 * reply body that could not be read to its end. Returns null for anything else: that is a bug and
 * must stay an exception.
 */
export function failureFromSdkError(err: unknown): Failure | null {
  if (err instanceof OpenAI.APIUserAbortError) {
    return failure('timeout', 'The request to the model was cancelled.', { aborted: true });
  }
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return failure('timeout', 'The model server took too long to answer; try again later.', null);
  }
  if (err instanceof OpenAI.APIConnectionError) {
    return failure('engine_failed', 'The connection to the model server failed.', {
      connection: true,
      cause: networkErrorCode(err.cause),
    });
  }
  if (err instanceof OpenAI.RateLimitError) {
    const retryAfter = Number(err.headers?.get('retry-after'));
    return failure(
      'rate_limited',
      'The model server is limiting requests right now; try again in a minute.',
      {
        status: 429,
        retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
      },
    );
  }
  if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
    return failure('auth_failed', 'The model server rejected the API key; check OPENAI_API_KEY.', {
      status: err.status,
    });
  }
  if (err instanceof OpenAI.BadRequestError && isContextLengthError(err)) {
    return failure('context_too_long', 'The article is too long for the model in one request.', {
      status: 400,
    });
  }
  if (err instanceof ContentFilterFinishReasonError) {
    return failure('refused', 'The model declined to process this article.', { contentFilter: true });
  }
  if (err instanceof LengthFinishReasonError) {
    return failure('engine_failed', "The model's reply was cut off before it was complete.", {
      length: true,
    });
  }
  if (err instanceof OpenAI.APIError) {
    return failure('engine_failed', 'The model server answered with an error.', {
      status: err.status ?? null,
      code: typeof err.code === 'string' ? err.code : null,
    });
  }
  return bodyReadFailure(err);
}

/**
 * A reply whose body could not be read to its end (the server died after the headers). Node's
 * fetch (undici) rejects the read with a `TypeError` whose `cause` is undici's `SocketError`
 * (`UND_ERR_SOCKET`, "other side closed"), another undici error or a system error (`ECONNRESET`);
 * an aborted read rejects with a DOMException `AbortError`. Node's bundled undici does not export
 * its classes, so the cause is recognized by its stable `code`. The SDK's `fetch` reads the body
 * itself (see `wholeBodyFetch`), so these normally arrive as `APIConnectionError` and are retried;
 * this keeps a body read anywhere else an upstream failure rather than a crash.
 */
function bodyReadFailure(err: unknown): Failure | null {
  if (err instanceof DOMException && err.name === 'AbortError') {
    return failure('timeout', 'The request to the model was cancelled.', { aborted: true });
  }
  const code = err instanceof TypeError ? networkErrorCode(err.cause) : null;
  if (code === null) return null;
  if (TIMEOUT_CODES.has(code)) {
    return failure('timeout', 'The model server took too long to answer; try again later.', { cause: code });
  }
  return failure('engine_failed', "The model server's reply broke off before it was complete.", {
    connection: true,
    cutOff: true,
    cause: code,
  });
}

/** System error codes of a connection that failed or was dropped. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_BODY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ETIMEDOUT']);

/**
 * The code of a network error (undici's `UND_ERR_*`, or a system error's), looking through fetch's
 * `TypeError` wrapper to its cause; null for anything else.
 */
function networkErrorCode(err: unknown, depth = 0): string | null {
  if (!(err instanceof Error) || depth > 3) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('UND_ERR_') || NETWORK_CODES.has(code))) return code;
  return networkErrorCode(err.cause, depth + 1);
}

/**
 * OpenAI says `code: context_length_exceeded`; compatible servers (vLLM, llama.cpp, Ollama…) often
 * only say so in the message, so the message is read too for this one case.
 */
export function isContextLengthError(err: InstanceType<typeof OpenAI.BadRequestError>): boolean {
  if (err.code === 'context_length_exceeded') return true;
  return /context[ _]length|maximum context|context window|too many tokens|prompt is too long|exceeds? the (?:model'?s? )?(?:context|max)/iu.test(
    err.message,
  );
}

/**
 * True when a 400 says the server does not support `response_format: json_schema` (older or
 * partial OpenAI-compatible servers), so the caller should retry in JSON mode.
 */
export function isResponseFormatError(err: unknown): boolean {
  if (!(err instanceof OpenAI.BadRequestError) || isContextLengthError(err)) return false;
  return err.param === 'response_format' || /response_format|json_schema/iu.test(err.message);
}

function failure(code: ReasonCode, message: string, details: Record<string, unknown> | null): Failure {
  return { code, message, details };
}
