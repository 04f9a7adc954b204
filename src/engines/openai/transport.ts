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
