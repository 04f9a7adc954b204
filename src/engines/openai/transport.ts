import { addAbortListener } from 'node:events';

/**
 * A `fetch` for the SDK that reads a successful reply's whole body before handing it over. The SDK
 * retries and classifies failures of `fetch` itself, but not of reading the body afterwards, and
 * its per-request timeout stops at the headers: a server that died or stalled mid-reply escaped
 * both (an unclassified `TypeError: terminated`). Here a cut-off body rejects `fetch`, so it is an
 * `APIConnectionError` the SDK retries like any dropped connection, and the timeout covers the body.
 * Error replies are passed on unread (the SDK reads or cancels them). Model replies are small JSON
 * documents; not for streamed replies.
 */
export async function wholeBodyFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!response.ok || response.body === null) return response;
  const body = await response.arrayBuffer();
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** A signal for one model call, and the release that detaches it from the caller's signal. */
export interface CallSignal {
  readonly signal: AbortSignal | undefined;
  release(): void;
}

/**
 * A signal that aborts with `outer` but belongs to one model call. The SDK adds an `abort` listener
 * to the signal it is given for every request and retry and never removes it; handed a long-lived
 * signal (the bot's shutdown signal), those listeners piled up for the life of the process
 * (MaxListenersExceededWarning after 11 model calls). They now pile up on this signal, which is
 * dropped after the call, and `release` removes the one listener this adds to `outer`.
 */
export function callSignal(outer: AbortSignal | undefined): CallSignal {
  if (outer === undefined) return { signal: undefined, release: () => {} };
  const controller = new AbortController();
  if (outer.aborted) {
    controller.abort(outer.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const listener = addAbortListener(outer, () => controller.abort(outer.reason));
  return { signal: controller.signal, release: () => listener[Symbol.dispose]() };
}
