import type { FetchOptions } from '../article/fetch/index.js';
import { parseAllowList } from '../article/fetch/index.js';
import { type Config, ConfigError } from '../config.js';

/** Fetch settings from config; a malformed FETCH_ALLOW entry stops start-up, not the first fetch. */
export function fetchOptionsFrom(config: Config): Omit<FetchOptions, 'signal'> {
  try {
    parseAllowList(config.FETCH_ALLOW);
  } catch (err) {
    throw new ConfigError(
      `FETCH_ALLOW is invalid (${(err as Error).message}): list host names or CIDR networks, comma-separated.`,
    );
  }
  return {
    allow: config.FETCH_ALLOW,
    allowedPorts: config.FETCH_ALLOWED_PORTS,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    connectTimeoutMs: config.FETCH_CONNECT_TIMEOUT_MS,
    maxHtmlBytes: config.FETCH_MAX_HTML_BYTES,
    maxPdfBytes: config.FETCH_MAX_PDF_BYTES,
  };
}
