import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type pino from 'pino';
import type { Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'token',
  'apiKey',
  'authorization',
  'password',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.password',
  'headers.authorization',
  'config.OPENAI_API_KEY',
  'config.DISCORD_TOKEN',
  'config.DATABASE_URL',
];

/** The request being handled in the current async context (see `runWithRequestId`). */
const currentRequest = new AsyncLocalStorage<{ readonly requestId: string }>();

/**
 * Runs `work` as part of one request: every line logged until it settles, by any logger this
 * module made (the service's, the engine's, the store's, the fetcher's, created once per process),
 * carries `requestId`, so that one grep finds everything a request did.
 */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return currentRequest.run({ requestId }, work);
}

/** Adds the current request's id to a line whose logger does not already carry one. */
function requestIdMixin(_fields: object, _level: number, logger: Logger): object {
  const request = currentRequest.getStore();
  if (!request || 'requestId' in logger.bindings()) return {};
  return request;
}

/**
 * Makes a logger writing JSON lines to stderr (stdout belongs to the CLI's output). One per process;
 * use `.child({ requestId, … })` per request, and `runWithRequestId` around its work.
 *
 * pino itself loads on the first line written at an enabled level (or the first use of anything
 * else on the logger): a `verbatim` run that logs nothing never loads it, which is ~a third of a
 * bare `node` start (`npm run bench:cli`). Children made before then wait the same way.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return deferredLogger(level, () => {
    const create = loadPino();
    return create(
      {
        level,
        base: { app: 'verbatim' },
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        mixin: requestIdMixin,
      },
      destination ?? create.destination(2),
    );
  });
}

/** pino is CommonJS: loaded synchronously, from node_modules, when a logger first needs it. */
function loadPino(): typeof pino {
  return createRequire(import.meta.url)('pino') as typeof pino;
}

/** pino's level values; `silent` (or any other name) enables none of them. */
const LEVEL_VALUES: ReadonlyMap<string | symbol, number> = new Map([
  ['trace', 10],
  ['debug', 20],
  ['info', 30],
  ['warn', 40],
  ['error', 50],
  ['fatal', 60],
]);

function ignore(): void {}

/**
 * A Logger that makes the real one with `make` when first needed: calls at a level below `level`
 * are dropped and `child` returns another deferred logger until then; anything else makes it.
 */
function deferredLogger(level: string, make: () => Logger): Logger {
  let real: Logger | null = null;
  const load = (): Logger => {
    real ??= make();
    return real;
  };
  const threshold = LEVEL_VALUES.get(level) ?? Number.POSITIVE_INFINITY;
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (real === null) {
        if (prop === 'child') {
          return (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) =>
            deferredLogger(options?.level ?? level, () => load().child(bindings, options));
        }
        if ((LEVEL_VALUES.get(prop) ?? threshold) < threshold) return ignore;
      }
      const logger = load();
      const value: unknown = Reflect.get(logger, prop, logger);
      return typeof value === 'function' ? value.bind(logger) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(load(), prop, value);
    },
  });
}

export type { Logger };
