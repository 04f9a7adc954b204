import { type Article, makeArticle } from '../article/article.js';
import { checkUrl, type FetchOptions, fetchDocument, normalizeRequestUrl } from '../article/fetch/index.js';
import { checkArticle, DEFAULT_INGEST_LIMITS, type IngestLimits, pdfLimits } from '../article/ingest.js';
import type { JobRunner } from '../article/worker/index.js';
import { fail, type Result, timeoutDuring } from '../core/result.js';
import type { Store } from '../store/store.js';
import { loadGiven } from './load-given.js';
import { isDiscordHost } from './message-link.js';

/**
 * What a user handed us: a link, pasted text, or bytes (a file, an attachment, stdin); or an article
 * loaded before and kept in the store (a request run again after a restart).
 */
export type SourceSpec =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'article'; readonly article: Article }
  /** `title`: given apart from the text (the paste form's title box), so it is not a paragraph. */
  | { readonly kind: 'text'; readonly text: string; readonly source: string; readonly title?: string }
  | {
      readonly kind: 'bytes';
      readonly bytes: Uint8Array;
      readonly filename: string | null;
      readonly contentType: string | null;
      readonly source: string;
    };

export interface LoadedArticle {
  readonly article: Article;
  /** When the article was fetched (ms since epoch): now for a fresh fetch, earlier from the store. */
  readonly fetchedAt: number;
  readonly fromCache: boolean;
}

export interface LoadDeps {
  readonly fetch: Omit<FetchOptions, 'signal'>;
  readonly limits?: IngestLimits;
  /** Fetched articles are kept here by request and canonical URL; null keeps nothing. */
  readonly store: Store | null;
  /** Seconds a stored article is reused before it is fetched again. */
  readonly cacheTtlSeconds: number;
  /** HTML and PDF parsing run here, off the event loop; null parses in-process (the CLI). */
  readonly pool: JobRunner | null;
  readonly now?: () => number;
  /**
   * Runs the lookup-and-fetch of one URL after any other process's for the same URL ended, so that
   * workers sharing the store fetch a page once and the others read it from the store
   * (`SharedInFlight.oneAtATime`); absent: one process, nothing to share.
   */
  readonly oneAtATime?: <T>(key: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * Any source → a checked Article. Links are checked before anything else (no lookup for a refused
 * URL; Discord's own pages are refused), then served from the store when fresh, else fetched safely, parsed off the event loop, and
 * stored under both the request URL and the page's canonical URL.
 */
export async function loadArticle(
  spec: SourceSpec,
  deps: LoadDeps,
  options: { readonly noCache?: boolean; readonly signal?: AbortSignal } = {},
): Promise<Result<LoadedArticle>> {
  if (spec.kind !== 'url') return loadGiven(spec, deps);
  // Discord's own pages are never fetched as web pages: a message is read through Discord's API,
  // with the requester's permissions checked (the adapter's message links), or not at all.
  if (isDiscordHost(spec.url)) {
    return fail('bad_usage', 'Discord messages are not fetched as web pages.', { reason: 'discord_link' });
  }
  const checked = checkUrl(spec.url, deps.fetch);
  if (!checked.ok) return checked;
  const requestUrl = normalizeRequestUrl(checked.value.href);
  const load = () => lookUpOrFetch(spec.url, checked.value, requestUrl, deps, options);
  return deps.oneAtATime && deps.store && !options.noCache
    ? deps.oneAtATime(fetchKey(requestUrl), load)
    : load();
}

/** The key under which workers take turns to look up or fetch one normalized request URL. */
export function fetchKey(requestUrl: string): string {
  return `url|${requestUrl}`;
}

/** The stored copy of a checked URL when fresh, else the page fetched, parsed, checked and stored. */
async function lookUpOrFetch(
  source: string,
  url: URL,
  requestUrl: string,
  deps: LoadDeps,
  options: { readonly noCache?: boolean; readonly signal?: AbortSignal },
): Promise<Result<LoadedArticle>> {
  const now = deps.now ?? Date.now;
  const limits = deps.limits ?? DEFAULT_INGEST_LIMITS;
  if (deps.store && !options.noCache) {
    const hit = await deps.store.getArticleByUrl(requestUrl, deps.cacheTtlSeconds);
    if (hit) return { ok: true, value: { article: hit.article, fetchedAt: hit.fetchedAt, fromCache: true } };
  }

  const fetched = await fetchDocument(url.href, {
    ...deps.fetch,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!fetched.ok) return fetched;
  const doc = fetched.value;
  const meta = { source, url: doc.finalUrl };
  let article: Result<Article>;
  if (doc.kind === 'pdf') {
    const pdf = deps.pool
      ? await deps.pool.run('pdfToText', [doc.bytes ?? new Uint8Array(), pdfLimits(limits)])
      : await (await import('../article/pdf.js')).pdfToText(doc.bytes ?? new Uint8Array(), pdfLimits(limits));
    article = pdf.ok
      ? { ok: true, value: makeArticle(pdf.value.text, { ...meta, title: pdf.value.title }) }
      : pdf;
  } else if (doc.kind === 'html') {
    const html = doc.text ?? '';
    article = deps.pool
      ? await deps.pool.run('extractHtml', [html, { source, url: doc.finalUrl }])
      : (await import('../article/html/index.js')).extractArticleFromHtml(html, {
          source,
          url: doc.finalUrl,
        });
  } else {
    article = { ok: true, value: makeArticle(doc.text ?? '', meta) };
  }
  if (!article.ok) return timeoutDuring(article, 'parse');
  const valid = checkArticle(article.value, limits);
  if (!valid.ok) return valid;
  const fetchedAt = now();
  if (deps.store) {
    const canonical = valid.value.canonicalUrl ? normalizeRequestUrl(valid.value.canonicalUrl) : null;
    await deps.store.putArticle(valid.value, { requestUrl, canonicalUrl: canonical, fetchedAt });
  }
  return { ok: true, value: { article: valid.value, fetchedAt, fromCache: false } };
}
