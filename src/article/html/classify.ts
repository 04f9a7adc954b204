import { linkTextLength, textLength } from './clutter.js';
import { type DomDocument, type DomElement, type DomNode, isElement, TEXT_NODE } from './dom.js';
import { isNode, type JsonLdNode, types } from './json-ld.js';
import type { PageIndex } from './page-index.js';
import { countWords } from './words.js';

/** Why a page is not an article, as reported in `not_an_article` details. */
export type NotArticleReason = 'listing' | 'video' | 'login_wall' | 'paywall' | 'no_prose';

/** What the page looked like before any cleaning: read once, right after parsing. */
export interface PageSignals {
  /** og:type `video.*`, or a JSON-LD VideoObject and no article node. */
  readonly video: boolean;
  /** A password field, or "log in to continue"-style wording, on the page. */
  readonly login: boolean;
  /** JSON-LD `isAccessibleForFree: false`, or "subscribe to continue reading"-style wording. */
  readonly paywall: boolean;
  /** og:type `article`, an article node in JSON-LD, or an `article:published_time`. */
  readonly declaresArticle: boolean;
  /** Share of the body's text that is link text, 0–1. */
  readonly linkDensity: number;
  readonly links: number;
}

/** What the chosen article container looked like before its own clean-up. */
export interface ContentSignals {
  /** Share of the container's text that is link text, 0–1. */
  readonly linkDensity: number;
  /** Headings that are one link to elsewhere: story teasers. */
  readonly linkedHeadings: number;
  /** Words of the container's text outside links: a list of long linked headlines has almost none. */
  readonly unlinkedWords: number;
}

/*
 * Thresholds, calibrated on corpus/extraction (91 news and blog pages, none rejected; the shortest
 * is a 65-word paywalled WSJ teaser whose gold text is that teaser, so a paywall stub here means
 * fewer than 50 words).
 */
const PAYWALL_MAX_WORDS = 50;
const LOGIN_MAX_WORDS = 100;
const VIDEO_MAX_PROSE_WORDS = 100;
const LISTING_MAX_PROSE_WORDS = 150;
/** Fewer prose words than this per linked headline: headlines with blurbs, not an article. */
const TEASER_WORDS = 50;
/** Words in a line for it to count as prose rather than a headline, label or link. */
const PROSE_LINE_WORDS = 8;

const LOGIN_WORDING =
  /\b(?:log ?in|sign ?in) (?:to (?:continue|read|view|see|access)|required)|please (?:log ?in|sign ?in)|you must be (?:logged|signed) in|create (?:a free|an) account to (?:continue|read)/i;

const PAYWALL_WORDING =
  /\b(?:subscribe|subscription|membership|subscriber) (?:to|is required to) (?:continue|read|keep reading|unlock)|to continue reading|continue reading (?:your article )?with (?:a|an) .{1,40} (?:subscription|membership)|(?:already a|for) subscribers? only|this (?:article|content|story) is (?:only )?(?:available|for) (?:to )?(?:subscribers|members|premium)|become a (?:member|subscriber) to (?:read|continue)|subscribe now to read/i;

/** Reads the signals from the untouched document (clutter removal would delete the evidence). */
export function readPageSignals(
  document: DomDocument,
  page: PageIndex,
  jsonLd: readonly JsonLdNode[],
): PageSignals {
  const body = document.body;
  const meta = (property: string): string =>
    page.metas.find((m) => m.getAttribute('property')?.toLowerCase() === property)?.getAttribute('content') ??
    '';
  const stats = body === null ? { text: '', linkChars: 0, links: 0 } : visibleText(body);
  const ogType = meta('og:type').trim().toLowerCase();
  const nodeTypes = jsonLd.flatMap(types);
  const hasArticleNode = nodeTypes.some((t) => /Article|Posting|Report/.test(t));
  const video = ogType.startsWith('video') || (nodeTypes.includes('VideoObject') && !hasArticleNode);
  const declaresArticle = ogType === 'article' || hasArticleNode || meta('article:published_time') !== '';
  const notFree = jsonLd.some((node) => isFalse(node.isAccessibleForFree) || hasLockedPart(node));
  return {
    video,
    declaresArticle,
    login: page.hasPasswordInput || LOGIN_WORDING.test(stats.text),
    paywall: notFree || PAYWALL_WORDING.test(stats.text),
    linkDensity: stats.text.length === 0 ? 0 : stats.linkChars / stats.text.length,
    links: stats.links,
  };
}

const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

/** Body text as displayed (scripts and styles left out) and its link share; whitespace not collapsed. */
function visibleText(body: DomElement): { text: string; linkChars: number; links: number } {
  const parts: string[] = [];
  let linkChars = 0;
  let links = 0;
  const nodes: DomNode[] = [body];
  const inLinks: boolean[] = [false];
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const inLink = inLinks.pop() ?? false;
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? '';
      if (!NON_BLANK.test(text)) continue;
      parts.push(text);
      if (inLink) linkChars += text.length;
      continue;
    }
    if (!isElement(node) || INVISIBLE.has(node.localName)) continue;
    const isLink = node.localName === 'a';
    if (isLink) links++;
    for (let child = node.lastChild; child !== null; child = child.previousSibling) {
      nodes.push(child);
      inLinks.push(inLink || isLink);
    }
  }
  return { text: parts.join(' '), linkChars, links };
}

const NON_BLANK = /\S/;

function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

function hasLockedPart(node: JsonLdNode): boolean {
  const parts = Array.isArray(node.hasPart) ? node.hasPart : [node.hasPart];
  return parts.some((part) => isNode(part) && isFalse(part.isAccessibleForFree));
}

/** Measures the article container Readability (or the fallback) chose, before clean-up. */
export function readContentSignals(content: DomElement): ContentSignals {
  let linkedHeadings = 0;
  for (const heading of Array.from(content.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
    const length = textLength(heading);
    if (length > 0 && linkTextLength(heading) >= length * 0.9) linkedHeadings++;
  }
  const total = textLength(content);
  let linkedWords = 0;
  for (const link of Array.from(content.querySelectorAll('a'))) {
    if (!link.parentElement?.closest('a')) linkedWords += countWords(link.textContent ?? '');
  }
  return {
    linkDensity: total === 0 ? 0 : linkTextLength(content) / total,
    linkedHeadings,
    unlinkedWords: Math.max(0, countWords(content.textContent ?? '') - linkedWords),
  };
}

/**
 * Decides whether extracted text is an article; returns the reason it is not, or null. A listing
 * (home page, section front) is little prose in a container made of links or linked headlines,
 * or, on a page that does not declare itself an article, little prose on a page made of links.
 * Prose counts only words outside links: 60 linked headlines of 8+ words are a listing, not 480
 * words of prose.
 */
export function notArticleReason(
  text: string,
  content: ContentSignals | null,
  page: PageSignals,
): NotArticleReason | null {
  const words = countWords(text);
  const prose = proseWords(text);
  // Long headlines read as prose lines; text that is all inside links is not prose.
  const ownProse = content === null ? prose : Math.min(prose, content.unlinkedWords);
  if (page.video && prose < VIDEO_MAX_PROSE_WORDS) return 'video';
  if (page.login && words < LOGIN_MAX_WORDS) return 'login_wall';
  if (page.paywall && words < PAYWALL_MAX_WORDS) return 'paywall';
  if (ownProse < LISTING_MAX_PROSE_WORDS) {
    if (content !== null && (content.linkDensity >= 0.5 || content.linkedHeadings >= 3)) return 'listing';
    if (!page.declaresArticle && page.linkDensity >= 0.5 && page.links >= 30) return 'listing';
  }
  if (content !== null && content.linkedHeadings >= 5 && prose < content.linkedHeadings * TEASER_WORDS) {
    return 'listing';
  }
  if (prose === 0 && words < 20) return 'no_prose';
  return null;
}

/** Words in lines long enough to be sentences rather than headlines, labels or links. */
export function proseWords(text: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const words = countWords(line);
    if (words >= PROSE_LINE_WORDS) total += words;
  }
  return total;
}
