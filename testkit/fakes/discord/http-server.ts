import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordHttpError, discordErrors } from './errors.js';
import type { GatewayServer } from './gateway.js';
import type { RateLimiter } from './rate-limits.js';
import type { World } from './world.js';

/** A file part of a multipart request (`files[n]`). */
export interface UploadedFile {
  readonly field: string;
  /** The `n` of `files[n]`, which `attachments[].id` in `payload_json` refers to. */
  readonly index: number;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export interface RouteContext {
  readonly method: string;
  /** Path after `/api/v10`, segments decoded. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body, or `payload_json` of a multipart body; `undefined` when there was none. */
  readonly body: unknown;
  readonly files: readonly UploadedFile[];
  /** Runs after the response is written, as Discord's gateway events follow its REST answers. */
  after(fn: () => void): void;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: string;
  /** `/channels/:channel/messages`; a segment starting with `:` is a parameter. */
  readonly pattern: string;
  /** Whether `Authorization: Bot <token>` is required (interaction webhooks and callbacks use none). */
  readonly auth: boolean;
  /** Interaction callbacks have no bucket headers (discord.js sends them through its burst handler). */
  readonly unlimited?: boolean;
  readonly handle: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** One request as the fake saw it. `route` is null for routes the fake does not know. */
export interface RecordedRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly route: string | null;
  readonly status: number;
  /** Discord JSON error code of the answer, when it was an error. */
  readonly code: number | null;
  readonly body: unknown;
  readonly files: readonly { field: string; filename: string; contentType: string; size: number }[];
  /** A 429 the client caused itself (not one armed by `rateLimitNext`). */
  readonly overran: boolean;
}

export interface HttpServerOptions {
  readonly token: string;
  readonly maxUploadBytes: number;
}

const API_PREFIX = '/api/v10';

/**
 * The REST API and the attachment file server on one `node:http` server; WebSocket upgrades are
 * handed to the gateway. Every API request is recorded, answered with Discord's error shapes.
 */
export class FakeHttpServer {
  readonly server: Server;
  readonly requests: RecordedRequest[] = [];
  /** Handler crashes (bugs in the fake or impossible input); tests should assert there are none. */
  readonly internalErrors: Error[] = [];
  /** Answers slowed on purpose, by route key (`'GET /channels/:channel/messages/:message'`), in ms. */
  readonly delays = new Map<string, number>();
  readonly #routes: { route: Route; segments: string[] }[];

  constructor(
    readonly world: World,
    readonly gateway: GatewayServer,
    readonly rateLimiter: RateLimiter,
    routes: readonly Route[],
    readonly options: HttpServerOptions,
  ) {
    this.#routes = routes.map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }));
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.internalErrors.push(error instanceof Error ? error : new Error(String(error)));
        if (!res.headersSent) sendJson(res, 500, { message: '500: Internal Server Error', code: 0 });
        else res.end();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path === '/' || path === '') this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/attachments/')) {
      await drain(req);
      this.#serveFile(url.pathname, method, res);
      return;
    }
    const raw = await readBody(req);
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      this.#answerError(res, method, url.pathname, null, discordErrors.notFound(), undefined, []);
      return;
    }
    const path = url.pathname.slice(API_PREFIX.length);
    const segments = path.split('/').filter(Boolean).map(safeDecode);
    const decodedPath = `/${segments.join('/')}`;
    const match = this.#match(method, segments);
    if (!match) {
      this.#answerError(res, method, decodedPath, null, discordErrors.notFound(), undefined, []);
      return;
    }
    const { route, params } = match;
    const routeKey = `${method} ${route.pattern}`;

    let body: unknown;
    let files: UploadedFile[] = [];
    try {
      ({ body, files } = await parseBody(raw, req.headers['content-type']));
    } catch (error) {
      const err =
        error instanceof DiscordHttpError
          ? error
          : new DiscordHttpError(400, 50109, 'The request body contains invalid JSON.');
      this.#answerError(res, method, decodedPath, routeKey, err, undefined, []);
      return;
    }
    if (files.some((f) => f.bytes.byteLength > this.options.maxUploadBytes)) {
      this.#answerError(res, method, decodedPath, routeKey, discordErrors.requestTooLarge(), body, files);
      return;
    }
    if (route.auth && req.headers.authorization !== `Bot ${this.options.token}`) {
      this.#answerError(res, method, decodedPath, routeKey, discordErrors.unauthorized(), body, files);
      return;
    }

    const decision = this.rateLimiter.take(
      method,
      decodedPath,
      routeKey,
      majorParameter(route.pattern, params),
      route.unlimited ?? false,
    );
    const rateHeaders = decision.headers;
    if (decision.limited) {
      const { retryAfterSec, forced, global } = decision.limited;
      this.#record(method, decodedPath, routeKey, 429, 0, body, files, !forced);
      sendJson(
        res,
        429,
        {
          message: 'You are being rate limited.',
          retry_after: retryAfterSec,
          global,
          ...(global ? {} : { code: 0 }),
        },
        rateHeaders,
      );
      return;
    }

    const after: (() => void)[] = [];
    const ctx: RouteContext = {
      method,
      path: decodedPath,
      params,
      query: url.searchParams,
      body,
      files,
      after: (fn) => {
        after.push(fn);
      },
    };
    const delayMs = this.delays.get(routeKey) ?? 0;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    let result: RouteResult;
    try {
      result = await route.handle(ctx);
    } catch (error) {
      if (!(error instanceof DiscordHttpError)) throw error;
      this.#answerError(res, method, decodedPath, routeKey, error, body, files, rateHeaders);
      return;
    }
    this.#record(method, decodedPath, routeKey, result.status, null, body, files, false);
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, rateHeaders);
      res.end();
    } else {
      sendJson(res, result.status, result.body, rateHeaders);
    }
    if (after.length > 0) {
      setImmediate(() => {
        for (const fn of after) fn();
        this.world.changed();
      });
    } else {
      this.world.changed();
    }
  }

  #match(method: string, segments: string[]): { route: Route; params: Record<string, string> } | null {
    for (const { route, segments: pattern } of this.#routes) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < pattern.length; i += 1) {
        const p = pattern[i] ?? '';
        const s = segments[i] ?? '';
        if (p.startsWith(':')) params[p.slice(1)] = s;
        else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (ok) return { route, params };
    }
    return null;
  }

  #answerError(
    res: ServerResponse,
    method: string,
    path: string,
    routeKey: string | null,
    error: DiscordHttpError,
    body: unknown,
    files: readonly UploadedFile[],
    headers: Record<string, string> = {},
  ): void {
    this.#record(method, path, routeKey, error.status, error.code, body, files, false);
    sendJson(res, error.status, error.body(), { ...headers, ...error.headers });
    this.world.changed();
  }

  #record(
    method: string,
    path: string,
    route: string | null,
    status: number,
    code: number | null,
    body: unknown,
    files: readonly UploadedFile[],
    overran: boolean,
  ): void {
    this.requests.push({
      at: this.world.now,
      method,
      path,
      route,
      status,
      code,
      body,
      files: files.map((f) => ({
        field: f.field,
        filename: f.filename,
        contentType: f.contentType,
        size: f.bytes.byteLength,
      })),
      overran,
    });
  }

  #serveFile(pathname: string, method: string, res: ServerResponse): void {
    const [, , id] = pathname.split('/');
    const file = id ? this.world.files.get(id) : undefined;
    if (!file || (method !== 'GET' && method !== 'HEAD')) {
      sendJson(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
    res.end(method === 'HEAD' ? undefined : Buffer.from(file.bytes));
  }
}

/** The parameter Discord (and @discordjs/rest) keys buckets by: channel, guild or webhook id+token. */
function majorParameter(pattern: string, params: Record<string, string>): string {
  if (pattern.startsWith('/channels/')) return params.channel ?? 'global';
  if (pattern.startsWith('/guilds/')) return params.guild ?? 'global';
  if (pattern.startsWith('/webhooks/')) return `${params.application ?? ''}/${params.token ?? ''}`;
  return 'global';
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(json)),
  });
  res.end(json);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

/** JSON bodies as they are; multipart bodies (discord.js uploads) as `payload_json` plus `files[n]`. */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.byteLength === 0) return { body: undefined, files: [] };
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    let body: unknown;
    const files: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
        continue;
      }
      const index = Number(/^files\[(\d+)\]$/.exec(field)?.[1] ?? files.length);
      files.push({
        field,
        index,
        filename: value.name,
        contentType: value.type || 'application/octet-stream',
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
}
