import { type DomElement, type DomNode, isElement, TEXT_NODE } from './dom.js';

/** Elements whose contents are never article text. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'picture',
  'button',
  'select',
  'input',
  'textarea',
  'head',
  'title',
  'meta',
  'link',
]);

/** Elements that end a line but not a paragraph. */
const LINE_BLOCKS = new Set(['li', 'tr', 'dt', 'dd', 'caption', 'summary', 'option', 'legend']);

/** Elements that stand as their own paragraph (one blank line before and after). */
const PARAGRAPH_BLOCKS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'blockquote',
  'pre',
  'table',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'address',
  'details',
  'fieldset',
  'form',
  'hr',
  'center',
  'body',
]);

const CELLS = new Set(['td', 'th']);

/** A node to visit (`level` -1), or an element whose end is reached (`level`: its break level). */
interface Frame {
  readonly node: DomNode;
  readonly preformatted: boolean;
  readonly level: number;
}

const NONE = 0;
const LINE = 1;
const PARAGRAPH = 2;

/**
 * Plain text of an element the way a reader sees it: one blank line between paragraph-level blocks
 * (p, div, headings, lists, blockquote, pre, tables, two `<br>` in a row), a line break after each list
 * item, table row and single `<br>`, inline whitespace collapsed to one space, `<pre>` kept as is, and
 * no markup. Not yet normalized: `makeArticle` does that.
 */
export function renderText(root: DomElement): string {
  const out: string[] = [];
  let pendingBreak = NONE;
  let pendingSpace = false;
  let textSinceBreak = false;
  let atLineStart = true;

  const breakAt = (level: number): void => {
    if (level > pendingBreak) pendingBreak = level;
    pendingSpace = false;
  };

  const emit = (text: string, preformatted: boolean): void => {
    let piece = text;
    if (!preformatted) {
      piece = piece.replace(/\s+/gu, ' ');
      if (piece === ' ') {
        if (!atLineStart && pendingBreak === NONE) pendingSpace = true;
        return;
      }
    }
    if (piece === '') return;
    if (pendingBreak !== NONE) {
      if (out.length > 0) out.push(pendingBreak === PARAGRAPH ? '\n\n' : '\n');
      pendingBreak = NONE;
      atLineStart = true;
      pendingSpace = false;
    }
    if (!preformatted) {
      if (atLineStart) piece = piece.replace(/^ /u, '');
      else if (pendingSpace && !piece.startsWith(' ')) piece = ` ${piece}`;
      pendingSpace = piece.endsWith(' ');
      if (pendingSpace) piece = piece.slice(0, -1);
    } else if (pendingSpace) {
      piece = ` ${piece}`;
      pendingSpace = false;
    }
    if (piece === '') return;
    out.push(piece);
    atLineStart = false;
    textSinceBreak = true;
  };

  const enter = (element: DomElement): number => {
    const tag = element.localName;
    const level = PARAGRAPH_BLOCKS.has(tag) ? PARAGRAPH : LINE_BLOCKS.has(tag) ? LINE : NONE;
    if (level !== NONE) {
      breakAt(level);
      textSinceBreak = false;
    } else if (CELLS.has(tag) && !atLineStart) {
      pendingSpace = true;
    }
    return level;
  };

  const leave = (element: DomElement, level: number): void => {
    if (level !== NONE) {
      breakAt(level);
      textSinceBreak = false;
    } else if (CELLS.has(element.localName)) {
      pendingSpace = !atLineStart;
    }
  };

  // An explicit stack instead of recursion: hostile pages nest elements tens of thousands deep.
  const stack: Frame[] = [{ node: root, preformatted: false, level: -1 }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { node, preformatted } = frame;
    if (frame.level >= 0) {
      if (isElement(node)) leave(node, frame.level);
      continue;
    }
    if (node.nodeType === TEXT_NODE) {
      emit(node.textContent ?? '', preformatted);
      continue;
    }
    if (!isElement(node) || SKIPPED.has(node.localName)) continue;
    if (node.localName === 'br') {
      breakAt(!textSinceBreak && pendingBreak !== NONE ? PARAGRAPH : LINE);
      textSinceBreak = false;
      continue;
    }
    const level = enter(node);
    stack.push({ node, preformatted, level });
    const pre = preformatted || node.localName === 'pre' || node.localName === 'textarea';
    const children = Array.from(node.childNodes);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) stack.push({ node: child, preformatted: pre, level: -1 });
    }
  }
  return out.join('');
}
