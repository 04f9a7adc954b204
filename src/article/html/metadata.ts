import { httpUrl } from './dom.js';
import { findArticleNode, isNode, type JsonLdNode, personNames, stringProp } from './json-ld.js';
import type { PageIndex } from './page-index.js';

/** What the page says about itself; every field null when the page does not say. */
export interface HtmlMetadata {
  readonly title: string | null;
  readonly byline: string | null;
  readonly siteName: string | null;
  /** BCP 47 tag, canonical case (`en-US`, `ru`, `ja`). */
  readonly lang: string | null;
  /** ISO 8601: `YYYY-MM-DD`, or a date-time with the page's own offset (or `Z`) when it gave one. */
  readonly publishedTime: string | null;
  /** Absolute http(s) URL. */
  readonly canonicalUrl: string | null;
  /** The JSON-LD article's `articleBody`, when the page publishes one. */
  readonly jsonLdBody: string | null;
  /** The page's summary (`description`, `og:description`, `twitter:description`, JSON-LD). */
  readonly description: string | null;
}

/**
 * Reads metadata from `<meta>` tags, JSON-LD, `<link rel=canonical>`, `<html lang>` and `<time>`.
 * Must run before anything removes elements from the document. `baseUrl` resolves relative URLs.
 */
export function readMetadata(
  page: PageIndex,
  jsonLd: readonly JsonLdNode[],
  baseUrl: string | null,
): HtmlMetadata {
  const meta = metaMap(page);
  const article = findArticleNode(jsonLd);
  const pick = (...keys: string[]): string | null => {
    for (const key of keys) {
      const value = meta.get(key);
      if (value) return value;
    }
    return null;
  };

  const siteName =
    pick('og:site_name', 'application-name', 'twitter:site:name') ??
    (article && isNode(article.publisher) ? stringProp(article.publisher, 'name') : null) ??
    stringProp(jsonLd.find((node) => node['@type'] === 'WebSite') ?? null, 'name');

  const title = cleanTitle(
    stringProp(article, 'headline') ??
      pick('og:title', 'twitter:title', 'dc.title', 'headline') ??
      collapse(page.title?.textContent) ??
      collapse(page.firstH1?.textContent),
    siteName,
  );

  const authors = article ? personNames(article.author ?? article.creator) : [];
  const metaAuthor = pick(
    'author',
    'article:author',
    'byl',
    'dc.creator',
    'parsely-author',
    'sailthru.author',
  );
  const byline =
    authors.length > 0
      ? authors.join(', ')
      : metaAuthor !== null && !/^https?:\/\//i.test(metaAuthor)
        ? metaAuthor
        : null;

  const lang =
    bcp47(page.lang) ??
    bcp47(pick('og:locale', 'content-language', 'language', 'dc.language')) ??
    bcp47(stringProp(article, 'inLanguage'));

  const publishedTime = firstDate([
    pick('article:published_time', 'og:published_time', 'published_time'),
    stringProp(article, 'datePublished'),
    pick(
      'datepublished',
      'date',
      'pubdate',
      'publishdate',
      'publish-date',
      'parsely-pub-date',
      'sailthru.date',
      'dc.date.issued',
      'dc.date',
      'dcterms.created',
      'article.published',
    ),
    stringProp(article, 'dateCreated'),
    page.times[0]?.getAttribute('datetime') ?? null,
  ]);

  const canonicalUrl =
    httpUrl(page.canonicalLinks[0]?.getAttribute('href'), baseUrl ?? undefined) ??
    httpUrl(pick('og:url'), baseUrl ?? undefined) ??
    httpUrl(stringProp(article, 'url'), baseUrl ?? undefined) ??
    httpUrl(stringProp(article, 'mainEntityOfPage'), baseUrl ?? undefined);

  const body = article?.articleBody;
  return {
    title,
    byline: collapse(byline),
    siteName: collapse(siteName),
    lang,
    publishedTime,
    canonicalUrl,
    jsonLdBody: typeof body === 'string' && body.trim() !== '' ? body : null,
    description:
      pick('description', 'og:description', 'twitter:description') ?? stringProp(article, 'description'),
  };
}

/** `<meta>` content by lower-cased `property`, `name`, `itemprop` or `http-equiv`; the first wins. */
function metaMap(page: PageIndex): Map<string, string> {
  const map = new Map<string, string>();
  for (const element of page.metas) {
    const content = collapse(element.getAttribute('content') ?? element.getAttribute('datetime'));
    if (content === null) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const keys = element.getAttribute(attr);
      if (!keys) continue;
      for (const key of keys.toLowerCase().split(/\s+/)) {
        if (key !== '' && !map.has(key)) map.set(key, content);
      }
    }
  }
  for (const element of page.datePublished) {
    const value = collapse(element.getAttribute('datetime') ?? element.getAttribute('content'));
    if (value !== null && !map.has('datepublished')) map.set('datepublished', value);
  }
  return map;
}

function collapse(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.replace(/\s+/gu, ' ').trim();
  return text === '' ? null : text;
}

const TITLE_SEPARATORS = [' | ', ' - ', ' – ', ' — ', ' :: ', ' « ', ' » ', ' / ', ' · '];

/** Drops a ` | Site Name` style suffix or prefix when it names the site. */
function cleanTitle(raw: string | null, siteName: string | null): string | null {
  const title = collapse(raw);
  if (title === null || siteName === null) return title;
  const site = siteName.toLowerCase();
  for (const separator of TITLE_SEPARATORS) {
    const at = title.lastIndexOf(separator);
    if (at > 0 && title.slice(at + separator.length).toLowerCase() === site) return title.slice(0, at).trim();
    const first = title.indexOf(separator);
    if (first > 0 && title.slice(0, first).toLowerCase() === site) {
      return title.slice(first + separator.length).trim();
    }
  }
  return title;
}

/** A BCP 47 tag in canonical form (`en_us` → `en-US`), or null when the value is not one. */
export function bcp47(value: string | null | undefined): string | null {
  const raw = value?.split(',')[0]?.trim().replace(/_/g, '-');
  if (!raw || !/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(raw)) return null;
  try {
    return Intl.getCanonicalLocales(raw)[0] ?? null;
  } catch {
    return null;
  }
}

function firstDate(candidates: readonly (string | null)[]): string | null {
  for (const candidate of candidates) {
    const date = isoDate(candidate);
    if (date !== null) return date;
  }
  return null;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const HAS_ZONE = /(?:\b(?:GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\s*$)/i;

/**
 * ISO 8601 form of a date the page published, or null. ISO input keeps its own offset (a pure
 * function must not depend on the machine's time zone, so a date-time without offset stays without
 * one); other formats (RFC 2822, `November 19, 2019`) are read only when they carry a zone or are a
 * plain date.
 */
export function isoDate(value: string | null | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  const m = ISO.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    if (!validParts(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0))) {
      return null;
    }
    const date = `${y}-${mo}-${d}`;
    if (h === undefined) return date;
    const offset =
      zone === undefined
        ? ''
        : zone.toUpperCase() === 'Z'
          ? 'Z'
          : zone.length === 3
            ? `${zone}:00`
            : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    return `${date}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${offset}`;
  }
  if (/^\d{10,13}$/.test(text)) {
    const n = Number(text);
    const ms = text.length === 13 ? n : n * 1000;
    return inRange(ms) ? new Date(ms).toISOString() : null;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !inRange(ms)) return null;
  if (HAS_ZONE.test(text)) return new Date(ms).toISOString();
  if (!/\d{1,2}:\d{2}/.test(text)) {
    const local = new Date(ms);
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
  }
  return null;
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCMonth() === mo - 1 && inRange(probe.getTime());
}

function inRange(ms: number): boolean {
  return ms >= Date.UTC(1990, 0, 1) && ms <= Date.UTC(2100, 0, 1);
}
