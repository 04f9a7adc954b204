import { type DomElement, type DomNode, isElement, TEXT_NODE } from './dom.js';

/** Tags that never hold article prose. */
const NEVER_CONTENT = new Set([
  'nav',
  'dialog',
  'button',
  'select',
  'input',
  'textarea',
  'iframe',
  'svg',
  'noscript',
  'template',
  'menu',
  'figcaption',
]);

const CLUTTER_ROLES = new Set([
  'navigation',
  'menu',
  'menubar',
  'dialog',
  'alertdialog',
  'banner',
  'contentinfo',
  'complementary',
  'search',
]);

/**
 * Class/id words that mark page furniture around an article. Matched against the words of the
 * class and id (split on `-`, `_`, spaces and camelCase), so `comment` matches `article-comments`
 * but not `commentary`.
 */
const CLUTTER_WORDS = new Set([
  'share',
  'sharing',
  'shares',
  'sharebar',
  'sharetools',
  'social',
  'socials',
  'related',
  'recommended',
  'recommendations',
  'newsletter',
  'newsletters',
  'subscribe',
  'subscription',
  'signup',
  'promo',
  'promotion',
  'caption',
  'captions',
  'figcaption',
  'credit',
  'credits',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'comment',
  'comments',
  'disqus',
  'tags',
  'tag',
  'taglist',
  'breadcrumb',
  'breadcrumbs',
  'sidebar',
  'advert',
  'advertisement',
  'ad',
  'ads',
  'adslot',
  'adunit',
  'sponsored',
  'sponsor',
  'outbrain',
  'taboola',
  'popular',
  'trending',
  'mostread',
  'bio',
  'byline',
  'toolbar',
  'modal',
  'popup',
  'paywall',
  'pagination',
  'pager',
  'nav',
  'navbar',
  'navigation',
  'menu',
  'gallery',
  'slideshow',
  'carousel',
  'lightbox',
  'slider',
  'tooltip',
  'popover',
  'hovercard',
  'btn',
  'button',
  'buttons',
]);

/** Words that mark furniture even on inline elements (a hover card inside a sentence). */
const INLINE_CLUTTER_WORDS = new Set(['tooltip', 'popover', 'hovercard', 'popup', 'modal']);

/**
 * Links and text formatting inside sentences: class words alone do not remove them (a keyword link
 * styled `textTag` is still part of its sentence). Spans are not in this list: captions and share
 * counters are often spans.
 */
const INLINE = new Set(['a', 'strong', 'em', 'b', 'i', 'u', 'abbr', 'mark', 'time', 'code', 'cite', 'q']);

/** Multi-word furniture names that the word split would break apart. */
const CLUTTER_PHRASES =
  /most[-_]?(?:read|popular|viewed)|read[-_]?(?:more|also)|see[-_]?also|author[-_]?(?:bio|info|box|card)|about[-_]the[-_]author|you[-_]may[-_](?:also[-_])?like|more[-_]stories|further[-_]reading|jump[-_]link/i;

/** Never removed whatever their class says: the document and the usual article containers. */
const PROTECTED = new Set(['html', 'body', 'main', 'article']);

/**
 * Removes page furniture from a whole document before Readability runs: navigation, hidden
 * elements, and elements whose class, id or role names furniture (share, related, newsletter,
 * caption, comments, …). An element is only removed when it holds little of the page's prose, so a
 * class like `post-with-share-bar` on the article's own wrapper does not take the article with it.
 */
export function removeClutter(body: DomElement): void {
  const totalProse = proseLength(body);
  const limit = Math.min(totalProse * 0.5, Math.max(400, totalProse * 0.2));
  const doomed: DomElement[] = [];
  const stack: DomElement[] = [body];
  for (let element = stack.pop(); element !== undefined; element = stack.pop()) {
    if (isClutter(element) && proseLength(element) <= limit) {
      doomed.push(element);
      continue;
    }
    for (let child = element.lastElementChild; child !== null; child = child.previousElementSibling) {
      stack.push(child);
    }
  }
  for (const element of doomed) element.remove();
}

function isClutter(element: DomElement): boolean {
  const tag = element.localName;
  if (PROTECTED.has(tag)) return false;
  if (NEVER_CONTENT.has(tag)) return true;
  if (isHidden(element)) return true;
  const role = element.getAttribute('role');
  if (role !== null && CLUTTER_ROLES.has(role.trim().toLowerCase())) return true;
  const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
  if (names.trim() === '') return false;
  if (CLUTTER_PHRASES.test(names)) return true;
  const words = INLINE.has(tag) ? INLINE_CLUTTER_WORDS : CLUTTER_WORDS;
  for (const word of nameWords(names)) if (words.has(word)) return true;
  return false;
}

function isHidden(element: DomElement): boolean {
  if (element.hasAttribute('hidden')) return true;
  if (element.getAttribute('aria-hidden') === 'true') return true;
  const style = element.getAttribute('style');
  return style !== null && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/** `shareBar article-comments` → share, bar, article, comments (lower case). */
export function nameWords(names: string): string[] {
  return names
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Characters of prose under an element: text runs of 30 characters or more outside links, scripts
 * and styles. Used to judge whether removing an element would take article text with it; works the
 * same for `<p>` articles and for text laid out in `<div>`s and `<br>`s.
 */
export function proseLength(root: DomElement): number {
  let total = 0;
  const stack: DomNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) {
        const length = (child.textContent ?? '').trim().length;
        if (length >= 30) total += length;
      } else if (isElement(child) && !NOT_PROSE.has(child.localName)) {
        stack.push(child);
      }
    }
  }
  return total;
}

const NOT_PROSE = new Set([
  'a',
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'button',
  'select',
  'textarea',
]);

export function textLength(element: DomNode): number {
  return (element.textContent ?? '').replace(/\s+/gu, ' ').trim().length;
}

export function linkTextLength(element: DomElement): number {
  let total = 0;
  for (const a of Array.from(element.getElementsByTagName('a'))) total += textLength(a);
  return total;
}

/**
 * Removes the standfirst (dek): an element whose text is the page's meta description and that is
 * a heading or directly follows the `<h1>`. The same sentence as the body's first paragraph is
 * left alone: many sites use their opening paragraph as the description, and a summary box in the
 * story column (`article__summary`) is read as part of the story.
 */
export function removeDek(body: DomElement, description: string | null): void {
  const key = description === null ? '' : textKey(description);
  if (key.length < 20) return;
  const candidates = Array.from(body.querySelectorAll('h2, h3, h4, h5, h6'));
  const afterTitle = body.getElementsByTagName('h1')[0]?.nextElementSibling;
  if (afterTitle) candidates.push(afterTitle);
  for (const element of candidates) {
    const text = element.textContent ?? '';
    if (text.length >= key.length && text.length <= key.length * 3 && textKey(text) === key) element.remove();
  }
}

function textKey(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}
