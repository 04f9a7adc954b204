import { type Article, makeArticle } from '../article/article.js';
import {
  articleFromBytes,
  checkArticle,
  DEFAULT_INGEST_LIMITS,
  type IngestLimits,
} from '../article/ingest.js';
import type { JobRunner } from '../article/worker/index.js';
import type { Result } from '../core/result.js';
import type { LoadedArticle, SourceSpec } from './load-article.js';
import { loadUpload } from './load-upload.js';

/** A source the user handed over whole: pasted text, bytes (a file, an attachment, stdin), a stored article. */
export type GivenSpec = Exclude<SourceSpec, { readonly kind: 'url' }>;

/**
 * A given source → a checked Article, without the fetcher (a command-line run on a local file never
 * loads it). HTML and PDF bytes are parsed in `pool` when there is one, off the event loop and within
 * its time and memory bounds.
 */
export async function loadGiven(
  spec: GivenSpec,
  deps: { readonly limits?: IngestLimits; readonly pool: JobRunner | null; readonly now?: () => number },
): Promise<Result<LoadedArticle>> {
  const now = deps.now ?? Date.now;
  const limits = deps.limits ?? DEFAULT_INGEST_LIMITS;
  if (spec.kind === 'article')
    return { ok: true, value: { article: spec.article, fetchedAt: now(), fromCache: true } };
  let article: Result<Article>;
  if (spec.kind === 'text') {
    const meta = spec.title ? { source: spec.source, title: spec.title } : { source: spec.source };
    article = checkArticle(makeArticle(spec.text, meta), limits);
  } else {
    const input = {
      bytes: spec.bytes,
      filename: spec.filename,
      contentType: spec.contentType,
      meta: { source: spec.source },
    };
    article = deps.pool ? await loadUpload(input, deps.pool, limits) : await articleFromBytes(input, limits);
  }
  return article.ok
    ? { ok: true, value: { article: article.value, fetchedAt: now(), fromCache: false } }
    : article;
}
