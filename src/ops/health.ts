import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One readiness check: true when the part it checks can serve (the Discord gateway is connected,
 * the store answers). It receives a signal that aborts when its time is up; a check that throws,
 * rejects, returns false or outlives its timeout counts as not ready.
 */
export interface ReadinessCheck {
  /** Key in the `/readyz` body, e.g. `discord` or `store`. */
  readonly name: string;
  readonly check: (signal: AbortSignal) => Promise<boolean> | boolean;
}

/** Anything that renders Prometheus text, such as `createMetrics()`'s result. */
export interface MetricsSource {
  render(): Promise<string>;
}

/** Where the server reports failed checks and its start. A pino `Logger` fits. */
export interface HealthLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

export interface HealthServerOptions {
  /** Interface to listen on; default 127.0.0.1 (only the machine or container itself). */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see `port` on the result). */
  readonly port: number;
  readonly metrics: MetricsSource;
  readonly checks?: readonly ReadinessCheck[];
  /** Milliseconds each readiness check may take; default 2,000. */
  readonly checkTimeoutMs?: number;
  readonly log: HealthLogger;
}

export interface HealthServer {
  readonly host: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** `http://host:port`, IPv6 hosts bracketed. */
  readonly url: string;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/** Body of `/readyz`: `ok` is true when every check passed. */
export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

export const DEFAULT_HEALTH_HOST = '127.0.0.1';
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/** Prometheus text exposition format 0.0.4. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Starts an HTTP server for orchestrators and Prometheus:
 * - `GET /healthz`: liveness, always 200 `ok` while the process can answer HTTP;
 * - `GET /readyz`: runs every check at once (each with its own timeout), 200 or 503 with a
 *   `ReadinessReport` as JSON;
 * - `GET /metrics`: `metrics.render()`.
 *
 * HEAD is answered like GET without a body; any other method gets 405, any other path 404. The
 * endpoints have no authentication: bind them to loopback or a private network only.
 * Resolves once listening; rejects if the port cannot be bound.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const host = options.host ?? DEFAULT_HEALTH_HOST;
  const checks = options.checks ?? [];
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${options.port}`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`checkTimeoutMs must be positive, got ${timeoutMs}`);
  }
  const names = new Set<string>();
  for (const { name } of checks) {
    if (names.has(name)) throw new RangeError(`two readiness checks are named ${name}`);
    names.add(name);
  }

  const routes: Readonly<Record<string, () => Promise<Reply> | Reply>> = {
    '/healthz': () => ({ status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' }),
    '/readyz': async () => {
      const report = await runChecks(checks, timeoutMs, options.log);
      return {
        status: report.ok ? 200 : 503,
        type: 'application/json; charset=utf-8',
        body: `${JSON.stringify(report)}\n`,
      };
    },
    '/metrics': async () => ({
      status: 200,
      type: METRICS_CONTENT_TYPE,
      body: await options.metrics.render(),
    }),
  };

  const server = createServer((req, res) => {
    void respond(req, res, routes).catch((err: unknown) => {
      options.log.warn({ err, path: pathOf(req) }, 'health endpoint failed');
      if (!res.headersSent)
        send(res, req, { status: 500, type: 'text/plain; charset=utf-8', body: 'error\n' });
      else res.destroy();
    });
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => options.log.warn({ err }, 'health server error'));

  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.log.info({ host, port }, 'health server listening');

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Readonly<Record<string, () => Promise<Reply> | Reply>>,
): Promise<void> {
  const route = Object.hasOwn(routes, pathOf(req)) ? routes[pathOf(req)] : undefined;
  if (!route) {
    send(res, req, { status: 404, type: 'text/plain; charset=utf-8', body: 'not found\n' });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, req, {
      status: 405,
      type: 'text/plain; charset=utf-8',
      body: 'method not allowed\n',
      headers: { allow: 'GET, HEAD' },
    });
    return;
  }
  send(res, req, await route());
}

function send(res: ServerResponse, req: IncomingMessage, reply: Reply): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    'content-type': reply.type,
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** Runs the checks concurrently; each one's result is false if it fails, throws or times out. */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number,
  log: HealthLogger,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const outcome = await withTimeout(check, timeoutMs);
      if (outcome.ok !== true) {
        log.warn(
          { check: name, reason: outcome.reason, ...(outcome.err === undefined ? {} : { err: outcome.err }) },
          'readiness check failed',
        );
      }
      return [name, outcome.ok] as const;
    }),
  );
  return { ok: results.every(([, ok]) => ok), checks: Object.fromEntries(results) };
}

type CheckOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'false' | 'threw' | 'timeout'; readonly err?: unknown };

async function withTimeout(check: ReadinessCheck['check'], timeoutMs: number): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`readiness check timed out after ${timeoutMs} ms`));
      resolve({ ok: false, reason: 'timeout' });
    }, timeoutMs);
  });
  const run = (async (): Promise<CheckOutcome> => {
    try {
      return (await check(controller.signal)) === true ? { ok: true } : { ok: false, reason: 'false' };
    } catch (err) {
      return { ok: false, reason: 'threw', err };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
