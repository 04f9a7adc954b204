import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

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
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      base: { app: 'verbatim' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin: requestIdMixin,
    },
    destination,
  );
}

export type { Logger };
