import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for tests: `POST /v1/chat/completions` and `GET /v1/models` on
 * 127.0.0.1, recording every request, answering each call as the test's handler says. The real
 * `openai` SDK talks to it over HTTP, so retries, timeouts and error classes are the SDK's own.
 */

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly response_format?: {
    readonly type: string;
    readonly json_schema?: { readonly name: string; readonly strict?: boolean; readonly schema: unknown };
  };
  readonly [key: string]: unknown;
}

export interface FakeRequest {
  /** 0-based position among all chat completion calls this server received. */
  readonly index: number;
  readonly body: ChatRequestBody;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
}

/** What the server does with one call. */
export type FakeReply =
  /** A completion whose message content is `JSON.stringify(content)`. */
  | {
      readonly kind: 'json';
      readonly content: unknown;
      readonly usage?: FakeUsage;
      readonly finishReason?: string;
    }
  /** A completion whose message content is this raw text (invalid JSON, prose…). */
  | { readonly kind: 'text'; readonly content: string; readonly usage?: FakeUsage }
  /** A completion where the model refused (`message.refusal`). */
  | { readonly kind: 'refusal'; readonly refusal: string }
  /** An HTTP error with an OpenAI-style error body. */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly message?: string;
      readonly code?: string | null;
      readonly param?: string | null;
      readonly type?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { readonly kind: 'hang' }
  /**
   * A server that dies mid-reply: the 200 headers (with the full `content-length`) and the first
   * `bodyBytes` bytes of a realistic completion of `content`, then the socket is destroyed.
   */
  | { readonly kind: 'cutOff'; readonly content: unknown; readonly bodyBytes: number }
  /** Like `cutOff`, but the socket stays open, silent, until the client gives up or the server closes. */
  | { readonly kind: 'stall'; readonly content: unknown; readonly bodyBytes: number };

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAIOptions {
  readonly handler: FakeHandler;
  /** Answer 400 to `response_format: json_schema`, like servers that only know JSON mode. */
  readonly rejectJsonSchema?: boolean;
  /** Models listed by `GET /v1/models`. */
  readonly models?: readonly string[];
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`, for the SDK's `baseURL`. */
  readonly baseURL: string;
  /** Every chat completion request body, in arrival order (including rejected ones). */
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

export const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 100, completion_tokens: 20 };

export const reply = {
  json: (content: unknown, usage: FakeUsage = DEFAULT_USAGE): FakeReply => ({ kind: 'json', content, usage }),
  text: (content: string, usage: FakeUsage = DEFAULT_USAGE): FakeReply => ({ kind: 'text', content, usage }),
  refusal: (refusal = "I'm sorry, I can't help with that."): FakeReply => ({ kind: 'refusal', refusal }),
  rateLimited: (retryAfterSeconds: number): FakeReply => ({
    kind: 'error',
    status: 429,
    message: 'Rate limit reached for requests',
    code: 'rate_limit_exceeded',
    type: 'requests',
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (status = 500): FakeReply => ({
    kind: 'error',
    status,
    message: 'The server had an error',
    type: 'server_error',
  }),
  unauthorized: (): FakeReply => ({
    kind: 'error',
    status: 401,
    message: 'Incorrect API key provided.',
    code: 'invalid_api_key',
    type: 'invalid_request_error',
  }),
  contextTooLong: (): FakeReply => ({
    kind: 'error',
    status: 400,
    message:
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
    code: 'context_length_exceeded',
    param: 'messages',
    type: 'invalid_request_error',
  }),
  hang: (): FakeReply => ({ kind: 'hang' }),
  cutOff: (content: unknown = {}, bodyBytes = 40): FakeReply => ({ kind: 'cutOff', content, bodyBytes }),
  stall: (content: unknown = {}, bodyBytes = 40): FakeReply => ({ kind: 'stall', content, bodyBytes }),
};

export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/v1/models') {
        const data = (options.models ?? ['fake-model']).map((id) => ({
          id,
          object: 'model',
          created: 0,
          owned_by: 'fake',
        }));
        sendJson(res, 200, { object: 'list', data });
        return;
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        sendJson(res, 404, {
          error: { message: 'not found', type: 'invalid_request_error', code: null, param: null },
        });
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        sendJson(res, 400, {
          error: { message: 'invalid JSON body', type: 'invalid_request_error', code: null, param: null },
        });
        return;
      }
      const request: FakeRequest = { index: requests.length, body, headers: req.headers };
      requests.push(request);
      if (options.rejectJsonSchema && body.response_format?.type === 'json_schema') {
        sendJson(res, 400, {
          error: {
            message:
              "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
            type: 'invalid_request_error',
            param: 'response_format',
            code: null,
          },
        });
        return;
      }
      Promise.resolve()
        .then(() => options.handler(request))
        .then(
          (r) => answer(res, body, r, hanging),
          (err: unknown) =>
            sendJson(res, 500, {
              error: { message: String(err), type: 'server_error', code: null, param: null },
            }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(
  res: ServerResponse,
  body: ChatRequestBody,
  r: FakeReply,
  hanging: Set<ServerResponse>,
): void {
  switch (r.kind) {
    case 'hang':
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    case 'cutOff':
    case 'stall': {
      const whole = Buffer.from(
        JSON.stringify(
          completion(
            body,
            { role: 'assistant', content: JSON.stringify(r.content), refusal: null },
            'stop',
            DEFAULT_USAGE,
          ),
        ),
      );
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': whole.length });
      const part = whole.subarray(0, Math.min(r.bodyBytes, whole.length - 1));
      if (r.kind === 'cutOff') {
        res.write(part, () => res.destroy());
        return;
      }
      res.write(part);
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    case 'error':
      sendJson(
        res,
        r.status,
        {
          error: {
            message: r.message ?? 'error',
            type: r.type ?? 'invalid_request_error',
            param: r.param ?? null,
            code: r.code ?? null,
          },
        },
        r.headers,
      );
      return;
    case 'refusal':
      sendJson(
        res,
        200,
        completion(body, { role: 'assistant', content: null, refusal: r.refusal }, 'stop', DEFAULT_USAGE),
      );
      return;
    case 'text':
      sendJson(
        res,
        200,
        completion(
          body,
          { role: 'assistant', content: r.content, refusal: null },
          'stop',
          r.usage ?? DEFAULT_USAGE,
        ),
      );
      return;
    case 'json':
      sendJson(
        res,
        200,
        completion(
          body,
          { role: 'assistant', content: JSON.stringify(r.content), refusal: null },
          r.finishReason ?? 'stop',
          r.usage ?? DEFAULT_USAGE,
        ),
      );
      return;
  }
}

function completion(
  body: ChatRequestBody,
  message: Record<string, unknown>,
  finishReason: string,
  usage: FakeUsage,
): unknown {
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
