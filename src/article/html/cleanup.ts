import { linkTextLength, textLength } from './clutter.js';
import type { DomElement } from './dom.js';

/** Blocks judged one at a time by the link rules. */
const BLOCK_SELECTOR = 'p, li, h1, h2, h3, h4, h5, h6, dt, dd, blockquote, div';

/**
 * "Related: …", "Read more: …" and their translations: a teaser for another article, not part of
 * this one.
 */
const TEASER_MARKER =
  /^[([]?\s*(?:related(?: stories| articles| content| coverage)?|read more|read also|also read|more|see more|see also|also|don'?t miss|recommended|watch|listen|trending|leggi anche(?: su)?|lesen sie auch|lire aussi|à lire aussi|lea también|leia também|читайте также|смотрите также|читайте|関連記事|あわせて読みたい|相关阅读|延伸阅读|관련기사)\s*[:：|»>-]/iu;

/** Calls to action that live in links: app downloads, channel subscriptions, newsletter sign-ups. */
const PROMO_LINK =
  /\b(?:subscribe|newsletter|youtube channel|click here|clicking here|learn more|get the .{1,30} app|download (?:the|our) .{1,30} app|follow us)\b/i;

/**
 * Removes what Readability leaves inside the article container: teaser links ("Related: …",
 * all-caps headline links), calls to action, lists of teaser cards, and link-only blocks trailing
 * after the last paragraph of prose. Each rule needs a block to be nearly all link text, so prose
 * that merely contains links is never touched.
 */
export function cleanContent(root: DomElement): void {
  removeTeaserCards(root);
  removeInlineCards(root);
  for (const block of Array.from(root.querySelectorAll(BLOCK_SELECTOR))) {
    if (block.parentNode === null || hasBlockChildren(block)) continue;
    const text = collapsedText(block);
    if (text === '') continue;
    const links = linkTextLength(block);
    if (links === 0) continue;
    const marker = TEASER_MARKER.exec(text)?.[0].length ?? 0;
    const afterMarker = text.length - marker;
    if (marker > 0 && links >= afterMarker * 0.75) block.remove();
    else if (links >= text.length * 0.75 && PROMO_LINK.test(text)) block.remove();
    else if (links >= text.length * 0.9 && isShouting(text)) block.remove();
    else if (links >= text.length * 0.8 && isHeadlineList(block)) block.remove();
  }
  removeTrailingLinkBlocks(root);
}

/**
 * Several headline links stacked with `<br>` in one paragraph ("China furious at Macron [INSIGHT]
 * <br> Hong Kong protests: …"): a related-stories list in paragraph form.
 */
function isHeadlineList(block: DomElement): boolean {
  const anchors = Array.from(block.getElementsByTagName('a'));
  if (anchors.length < 2 || block.getElementsByTagName('br').length === 0) return false;
  return anchors.every((a) => collapsedText(a).split(' ').length >= 3);
}

/**
 * Hover cards inside sentences: a small inline span (no blocks inside, at most 600 characters)
 * holding a picture and three or more links (a politician's photo and latest headlines popping up
 * over their name). The innermost such span
 * goes; the name it hangs from stays in the sentence.
 */
function removeInlineCards(root: DomElement): void {
  const cards = Array.from(root.getElementsByTagName('span')).filter(
    (span) =>
      span.getElementsByTagName('img').length > 0 &&
      span.getElementsByTagName('a').length >= 3 &&
      span.closest('p') !== null &&
      span.querySelector('p, div, li, table') === null &&
      textLength(span) <= 600,
  );
  for (const card of cards) {
    const holdsAnother = cards.some((other) => other !== card && card.contains(other));
    if (!holdsAnother) card.remove();
  }
}

/** Whether a block has block-level children, in which case its children are judged instead. */
function hasBlockChildren(element: DomElement): boolean {
  for (const child of Array.from(element.children)) {
    if (/^(?:p|div|ul|ol|li|h[1-6]|blockquote|table|section|article|figure|dl|pre)$/.test(child.localName)) {
      return true;
    }
  }
  return false;
}

function collapsedText(element: DomElement): string {
  return (element.textContent ?? '').replace(/\s+/gu, ' ').trim();
}

/** An all-caps headline of three words or more: how several sites style links to other stories. */
function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < 12 || text.split(' ').length < 3) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, '').length;
  const lower = letters.replace(/[^\p{Ll}]/gu, '').length;
  return upper + lower > letters.length * 0.8 && upper >= letters.length * 0.8;
}

/**
 * Teaser cards: a heading that is one link to another page, in a small container (under 500
 * characters), repeated at least twice under one parent — the "more stories" grids sites append.
 */
function removeTeaserCards(root: DomElement): void {
  const cardsByParent = new Map<DomElement, DomElement[]>();
  for (const heading of Array.from(root.querySelectorAll('h2, h3, h4, h5'))) {
    const text = collapsedText(heading);
    if (text === '' || linkTextLength(heading) < text.length * 0.9) continue;
    const href = heading.querySelector('a[href]')?.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    let card: DomElement = heading;
    for (let up = 0; up < 3; up++) {
      const parent = card.parentElement;
      if (parent === null || parent === root || textLength(parent) >= 500) break;
      card = parent;
    }
    if (card === heading) continue;
    const parent = card.parentElement;
    if (parent === null) continue;
    const list = cardsByParent.get(parent) ?? [];
    if (!list.includes(card)) list.push(card);
    cardsByParent.set(parent, list);
  }
  for (const cards of cardsByParent.values()) {
    if (cards.length >= 2) for (const card of cards) card.remove();
  }
}

/** Link-only blocks after the last prose, unless the links are bare URLs (a list of sources). */
function removeTrailingLinkBlocks(root: DomElement): void {
  for (;;) {
    const last = lastTextBlock(root);
    if (last === null || last === root) return;
    const text = collapsedText(last);
    if (text.length > 300 || linkTextLength(last) < text.length * 0.9) return;
    if (/^(?:https?:\/\/|www\.)\S+$/i.test(text)) return;
    last.remove();
  }
}

/** The deepest last element holding text, climbing to its list when it is a list item. */
function lastTextBlock(root: DomElement): DomElement | null {
  let current: DomElement = root;
  for (;;) {
    const children = Array.from(current.children).filter((c) => collapsedText(c) !== '');
    const last = children[children.length - 1];
    if (last === undefined || !hasBlockChildren(current)) break;
    current = last;
  }
  if (current === root) return null;
  const parent = current.parentElement;
  if (current.localName === 'li' && parent !== null && parent !== root) {
    const items = Array.from(parent.children).filter((c) => c.localName === 'li');
    if (items.every((li) => linkTextLength(li) >= collapsedText(li).length * 0.9)) return parent;
  }
  return current;
}
