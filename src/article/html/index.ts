import { fail, ok, type Result } from '../../core/result.js';
import { type Article, makeArticle } from '../article.js';
import { boundHtml } from './bound.js';
import {
  type ContentSignals,
  type NotArticleReason,
  notArticleReason,
  readContentSignals,
  readPageSignals,
} from './classify.js';
import { cleanContent } from './cleanup.js';
import { removeClutter, removeDek } from './clutter.js';
import { type DomDocument, deeperThan, effectiveBaseUrl, parseDocument } from './dom.js';
import { trimEdges } from './edges.js';
import { densestBlock } from './fallback.js';
import { readJsonLd } from './json-ld.js';
import { jsonLdBodyText, preferJsonLdBody } from './json-ld-body.js';
import { type HtmlMetadata, isoDate, readMetadata } from './metadata.js';
import { indexPage } from './page-index.js';
import { type ReadabilityResult, runReadability } from './readability.js';
import { renderText } from './text.js';
import { countWords } from './words.js';

export interface HtmlExtractOptions {
  /** Where the user said the article came from (URL, file path, `discord:…`); copied to the Article. */
  readonly source: string;
  /** The page URL: base for relative links and the canonical URL. Null for uploaded files. */
  readonly url: string | null;
}

/**
 * HTML string → Article (text normalized via makeArticle) with metadata. Nesting and element count
 * are bounded before parsing (`boundHtml`), so no shape of page costs more than a large ordinary one.
 * Fails with `not_an_article`
 * (details: { title, words, reason }) for home pages and link listings, video pages, login walls
 * and paywalled stubs, and with `empty_input` when the page has no text. Pure and synchronous: it
 * runs in a worker thread.
 *
 * The text is the article body only: the title lives in `title` and is not prepended (quotes must
 * come from the body, and a repeated headline at the top is removed as clutter).
 */
export function extractArticleFromHtml(page: string, options: HtmlExtractOptions): Result<Article> {
  if (page.trim() === '') return fail('empty_input', 'The page is empty: there is no text to read.');
  const { html } = boundHtml(page);
  const document = parseDocument(html, options.url);
  const index = indexPage(document);
  const jsonLd = readJsonLd(index.jsonLdScripts);
  const meta = readMetadata(index, jsonLd, effectiveBaseUrl(document, options.url));
  const signals = readPageSignals(document, index, jsonLd);
  const body = extractBody(document, html, options.url, meta);

  const article = makeArticle(body.text, {
    source: options.source,
    url: options.url,
    canonicalUrl: meta.canonicalUrl,
    title: body.title,
    byline: meta.byline ?? body.readability?.byline ?? null,
    siteName: meta.siteName ?? body.readability?.siteName ?? null,
    lang: meta.lang,
    publishedTime: meta.publishedTime ?? isoDate(body.readability?.publishedTime),
  });
  const reason = notArticleReason(article.text, body.container, signals);
  if (reason !== null && !(article.text === '' && reason === 'no_prose')) {
    return fail('not_an_article', NOT_ARTICLE_MESSAGES[reason], {
      title: body.title,
      words: countWords(article.text),
      reason,
    });
  }
  if (article.text === '') {
    return fail(
      'empty_input',
      'The page has no readable text. Paste the article text or upload the file instead.',
    );
  }
  return ok(article);
}

interface ExtractedBody {
  /** Rendered, trimmed article text; not yet normalized. */
  readonly text: string;
  readonly title: string | null;
  /** The chosen container as it was before clean-up; null when no container was found. */
  readonly container: ContentSignals | null;
  readonly readability: ReadabilityResult | null;
}

/**
 * The article text: clutter removed from the page, Readability's container (or the densest block
 * when Readability finds nothing or the page is too deep for it), cleaned, rendered, trimmed at the
 * edges, and checked against the JSON-LD body. Mutates `document`.
 */
function extractBody(
  document: DomDocument,
  html: string,
  url: string | null,
  meta: HtmlMetadata,
): ExtractedBody {
  if (document.body !== null) {
    removeDek(document.body, meta.description);
    removeClutter(document.body);
  }
  const tooDeep = document.body !== null && deeperThan(document.body, MAX_READABILITY_DEPTH);
  const readability = tooDeep ? null : runReadability(document);
  let content = readability?.content ?? null;
  if (content === null || renderText(content).trim() === '') {
    const fallbackDocument = tooDeep ? document : cleanedDocument(html, url, meta.description);
    content = fallbackDocument.body === null ? null : densestBlock(fallbackDocument.body);
  }
  const title = meta.title ?? readability?.title ?? null;
  const container = content === null ? null : readContentSignals(content);
  if (content !== null) cleanContent(content);
  let text = content === null ? '' : trimEdges(renderText(content), title);
  if (meta.jsonLdBody !== null) text = preferJsonLdBody(text, jsonLdBodyText(meta.jsonLdBody));
  return { text, title, container, readability };
}

const NOT_ARTICLE_MESSAGES: Readonly<Record<NotArticleReason, string>> = {
  listing:
    'This page looks like a home page or a list of links, not an article. Link the article itself, paste its text or upload the file.',
  video: 'This page is a video, not an article. Paste the article text or upload the file instead.',
  login_wall:
    'This page asks to log in before showing the article. Paste the article text or upload the file instead.',
  paywall:
    'This page shows only the start of a paywalled article. Paste the article text or upload the file instead.',
  no_prose: 'This page has no article text to read. Paste the article text or upload the file instead.',
};

/**
 * Readability's time grows with the square of the nesting depth (0.4 s at 100 levels, 3.5 s at 500);
 * the corpus pages nest 10–27 levels, so deeper documents go straight to the linear fallback.
 */
const MAX_READABILITY_DEPTH = 100;

/** A fresh parse with clutter removed, for the fallback (Readability rewrites the document it reads). */
function cleanedDocument(html: string, url: string | null, description: string | null): DomDocument {
  const document = parseDocument(html, url);
  if (document.body !== null) {
    removeDek(document.body, description);
    removeClutter(document.body);
  }
  return document;
}
