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

/**
 * Makes a logger writing JSON lines to stderr (stdout belongs to the CLI's output). One per process;
 * use `.child({ requestId, … })` per request.
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    { level, base: { app: 'verbatim' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}

export type { Logger };
