/**
 * A small key-value cache for results that must not be computed twice but can be (summaries, model
 * outputs): it may forget any entry at any time, so nothing a user relies on lives in it (records go
 * in the store's tables). In-memory here; the store backs it persistently (src/store/).
 */
export interface Cache {
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  /** `ttlSeconds` null: keep until evicted. */
  put<T>(namespace: string, key: string, value: T, ttlSeconds?: number | null): Promise<void>;
  /** Removes an entry; false when there was none. */
  delete(namespace: string, key: string): Promise<boolean>;
}

/**
 * The cache key of a result computed from one article's text: the article's content hash, `:`,
 * then a digest of the rest of the request. The store deletes every entry keyed so when it deletes
 * the article (a pasted text whose summary was deleted), so nothing derived from it stays behind.
 */
export function articleResultKey(contentHash: string, digest: string): string {
  return `${contentHash}:${digest}`;
}

/** A bounded in-memory LRU cache. Bound is in entries. */
export class MemoryCache implements Cache {
  readonly #entries = new Map<string, { value: unknown; expiresAt: number | null }>();
  constructor(readonly maxEntries = 500) {}

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const k = `${namespace}\u0000${key}`;
    const entry = this.#entries.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.#entries.delete(k);
      return undefined;
    }
    this.#entries.delete(k);
    this.#entries.set(k, entry);
    return entry.value as T;
  }

  async delete(namespace: string, key: string): Promise<boolean> {
    return this.#entries.delete(`${namespace}\u0000${key}`);
  }

  async put<T>(namespace: string, key: string, value: T, ttlSeconds: number | null = null): Promise<void> {
    const k = `${namespace}\u0000${key}`;
    this.#entries.delete(k);
    this.#entries.set(k, { value, expiresAt: ttlSeconds === null ? null : Date.now() + ttlSeconds * 1000 });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
