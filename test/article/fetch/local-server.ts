import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { Connector, FetchOptions, Resolver } from '../../../src/article/fetch/index.js';
import type { Failure, Result } from '../../../src/core/result.js';

/** The failure of a Result that must have failed; details typed loosely for assertions. */
export function expectFailure<T>(result: Result<T>): Failure & { details: Record<string, unknown> } {
  if (result.ok) assert.fail(`expected a failure, got ${JSON.stringify(result.value).slice(0, 300)}`);
  return { ...result.error, details: { ...result.error.details } };
}

/** The value of a Result that must have succeeded. */
export function expectValue<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export interface LocalServer {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>` */
  url(path?: string): string;
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  /** Request lines and headers seen, in order. */
  readonly requests: { url: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 (port 0) that counts connections. */
export async function startServer(handler: Handler, server: Server = createServer()): Promise<LocalServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const requests: LocalServer['requests'] = [];
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = 'setSecureContext' in server ? 'https' : 'http';
  return {
    port,
    url: (path = '/') => `${scheme}://127.0.0.1:${port}${path}`,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The transport every fetch test uses: connects for real only to loopback literals, and records and
 * fails at once any other attempt, so a broken guard can never send a packet off the machine.
 */
export function loopbackOnlyConnector(base: Connector = buildConnector({ timeout: 2000 })): {
  connector: Connector;
  attempts: string[];
} {
  const attempts: string[] = [];
  const connector: Connector = (options, callback) => {
    attempts.push(options.hostname);
    if (options.hostname === '127.0.0.1' || options.hostname === '::1') base(options, callback);
    else callback(new Error(`test transport: refusing to connect to ${options.hostname}`), null);
  };
  return { connector, attempts };
}

/** A resolver answering `addresses` for every name, recording the names asked. */
export function stubResolver(...addresses: string[]): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
  };
  return Object.assign(resolver, { calls });
}

/** Options for fetching from `server` (127.0.0.1 allow-listed, its port allowed) with a loopback-only transport. */
export function optionsFor(server: LocalServer, overrides: Partial<FetchOptions> = {}): FetchOptions {
  return {
    allow: ['127.0.0.1/32'],
    allowedPorts: [server.port],
    timeoutMs: 3000,
    connectTimeoutMs: 1000,
    maxHtmlBytes: 1_000_000,
    maxPdfBytes: 2_000_000,
    connector: loopbackOnlyConnector().connector,
    resolver: stubResolver('127.0.0.1'),
    ...overrides,
  };
}
