import type { DomElement } from './dom.js';

/** One JSON-LD node (an object with string keys), as published by the page; nothing is validated. */
export type JsonLdNode = Readonly<Record<string, unknown>>;

const ARTICLE_TYPES =
  /^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|Review|CreativeWork)$/;

const MAX_NODES = 500;

/**
 * Every object found in the given `application/ld+json` scripts, flattened through arrays and
 * `@graph`, in document order. Broken JSON (common: trailing commas, HTML comments, raw newlines in
 * strings) is repaired where cheap and otherwise skipped. At most 500 nodes, so a hostile page cannot
 * make this slow.
 */
export function readJsonLd(scripts: readonly DomElement[]): JsonLdNode[] {
  const nodes: JsonLdNode[] = [];
  for (const script of scripts) {
    const parsed = parseLenient(script.textContent ?? '');
    if (parsed !== undefined) collect(parsed, nodes, 0);
    if (nodes.length >= MAX_NODES) break;
  }
  return nodes;
}

/** The first node whose `@type` names an article kind (NewsArticle, BlogPosting, Report, …). */
export function findArticleNode(nodes: readonly JsonLdNode[]): JsonLdNode | null {
  return nodes.find((node) => types(node).some((t) => ARTICLE_TYPES.test(t))) ?? null;
}

/** The `@type` of a node as a list of bare names (`http://schema.org/NewsArticle` → `NewsArticle`). */
export function types(node: JsonLdNode): string[] {
  const raw = node['@type'];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^.*[/#]/, ''));
}

/** A string property, or the `name`/`@id`/`url` of an object property; the first usable of an array. */
export function stringProp(node: JsonLdNode | null, key: string): string | null {
  if (node === null) return null;
  return asString(node[key]);
}

function asString(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = asString(item);
      if (s !== null) return s;
    }
    return null;
  }
  if (isNode(value)) {
    return asString(value.name) ?? asString(value['@id']) ?? asString(value.url);
  }
  return null;
}

/** Names of the people in an `author`/`creator` property, which may be a string, object or array. */
export function personNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of list) {
    const name = typeof item === 'string' ? item.trim() : isNode(item) ? asString(item.name) : null;
    if (name && !/^https?:\/\//i.test(name) && !names.includes(name)) names.push(name);
  }
  return names;
}

export function isNode(value: unknown): value is JsonLdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collect(value: unknown, into: JsonLdNode[], depth: number): void {
  if (depth > 4 || into.length >= MAX_NODES) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into, depth + 1);
    return;
  }
  if (!isNode(value)) return;
  into.push(value);
  if (Array.isArray(value['@graph'])) collect(value['@graph'], into, depth + 1);
}

function parseLenient(source: string): unknown {
  const text = source
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(text.replace(/,\s*([}\]])/g, '$1').replace(/[\n\r\t]/g, ' '));
    } catch {
      return undefined;
    }
  }
}
