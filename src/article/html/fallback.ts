import { type DomElement, type DomNode, isElement, TEXT_NODE } from './dom.js';

const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'td',
  'li',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dd',
  'body',
  'form',
  'center',
]);
const IGNORED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'a',
  'button',
  'select',
  'textarea',
]);

/** Text runs shorter than this (characters) are labels or links, not prose. */
const MIN_RUN = 25;

/**
 * The element holding the most prose, for pages where Readability finds nothing: each run of text
 * outside links credits its nearest block ancestor; a block's prose counts fully for its parent and
 * half for its grandparent (as in Readability), and the best-scoring container wins. Returns null
 * when the page has no run of prose at all.
 */
export function densestBlock(body: DomElement): DomElement | null {
  const own = new Map<DomElement, number>();
  const stack: { node: DomNode; block: DomElement }[] = [{ node: body, block: body }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, block } = top;
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      if (child.nodeType === TEXT_NODE) {
        const length = (child.textContent ?? '').replace(/\s+/gu, ' ').trim().length;
        if (length >= MIN_RUN) own.set(block, (own.get(block) ?? 0) + length);
      } else if (isElement(child) && !IGNORED.has(child.localName)) {
        stack.push({ node: child, block: BLOCKS.has(child.localName) ? child : block });
      }
    }
  }

  const scores = new Map<DomElement, number>();
  const credit = (element: DomElement | null, amount: number): void => {
    if (element !== null) scores.set(element, (scores.get(element) ?? 0) + amount);
  };
  for (const [block, length] of own) {
    const isParagraph =
      block.localName === 'p' || block.localName.startsWith('h') || block.localName === 'li';
    const container = isParagraph ? block.parentElement : block;
    credit(container, length);
    credit(container?.parentElement ?? null, length / 2);
  }
  let best: DomElement | null = null;
  let bestScore = 0;
  for (const [element, score] of scores) {
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  return best;
}
