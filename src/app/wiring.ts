import type { FetchOptions } from '../article/fetch/index.js';
import { parseAllowList } from '../article/fetch/index.js';
import { type Config, ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import { openStore, type Store } from '../store/store.js';

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

/**
 * The configured store: PostgreSQL when DATABASE_URL is set, else SQLite at DATABASE_PATH.
 * `maxCacheEntries` bounds the cache and the unreferenced articles (default 5,000; tests shrink it).
 */
export function openConfiguredStore(
  config: Config,
  log: Logger,
  options: { readonly maxCacheEntries?: number } = {},
): Promise<Store> {
  return openStore({
    path: config.DATABASE_PATH,
    url: config.DATABASE_URL,
    logger: log.child({ component: 'store' }),
    ...(options.maxCacheEntries === undefined ? {} : { maxCacheEntries: options.maxCacheEntries }),
  });
}
