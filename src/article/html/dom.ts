import { parseHTML } from 'linkedom';

/*
 * The project compiles without the DOM lib (it runs on Node), and linkedom's own typings lean on the
 * DOM lib's `Window`, so they collapse to `any`. These structural types name the small part of the
 * DOM this folder uses; linkedom's objects satisfy them, and `parseDocument` is the one place that
 * casts.
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly parentNode: DomNode | null;
  readonly parentElement: DomElement | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly firstChild: DomNode | null;
  readonly lastChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly previousSibling: DomNode | null;
  textContent: string | null;
  remove(): void;
}

export interface DomElement extends DomNode {
  /** Lower-case tag name (`localName`), also for HTML elements whose `tagName` is upper case. */
  readonly localName: string;
  readonly tagName: string;
  readonly children: ArrayLike<DomElement>;
  readonly firstElementChild: DomElement | null;
  readonly lastElementChild: DomElement | null;
  readonly nextElementSibling: DomElement | null;
  readonly previousElementSibling: DomElement | null;
  readonly attributes: ArrayLike<{ readonly name: string; readonly value: string }>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  removeAttribute(name: string): void;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getElementsByTagName(name: string): ArrayLike<DomElement>;
  closest(selectors: string): DomElement | null;
  contains(node: DomNode | null): boolean;
  appendChild(node: DomNode): DomNode;
  insertBefore(node: DomNode, reference: DomNode | null): DomNode;
  replaceWith(...nodes: DomNode[]): void;
}

export interface DomDocument {
  readonly documentElement: DomElement;
  readonly head: DomElement | null;
  readonly body: DomElement | null;
  createElement(tagName: string): DomElement;
  createTextNode(text: string): DomNode;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  getElementsByTagName(name: string): ArrayLike<DomElement>;
}

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/**
 * Parses an HTML string with linkedom. When `pageUrl` is an http(s) URL, a `<base href>` is put in
 * the head (resolved against any `<base>` the page already has) because linkedom leaves `baseURI`
 * null and Readability resolves links against it.
 */
export function parseDocument(html: string, pageUrl: string | null): DomDocument {
  const { document } = parseHTML(withDocumentShape(html)) as { document: DomDocument };
  const base = effectiveBaseUrl(document, pageUrl);
  if (base !== null) {
    let head = document.head;
    if (head === null) {
      head = document.createElement('head');
      document.documentElement.insertBefore(head, document.documentElement.firstChild);
    }
    for (const old of Array.from(head.querySelectorAll('base'))) old.remove();
    const baseElement = document.createElement('base');
    baseElement.setAttribute('href', base);
    head.insertBefore(baseElement, head.firstChild);
  }
  return document;
}

/**
 * linkedom builds no implied `<html>`/`<body>` the way a browser does: a fragment becomes the document
 * element itself and body-less content sits outside `document.body` (where Readability looks). Adding
 * the missing tags first gives every input the usual shape.
 */
function withDocumentShape(html: string): string {
  let out = html;
  if (!/<body[\s>]/i.test(out)) {
    const after = /<\/head\s*>/i.exec(out) ?? /<html[^>]*>/i.exec(out);
    const start = after ? after.index + after[0].length : 0;
    const close = /<\/html\s*>/i.exec(out);
    const end = close && close.index >= start ? close.index : out.length;
    out = `${out.slice(0, start)}<body>${out.slice(start, end)}</body>${out.slice(end)}`;
  }
  if (!/<html[\s>]/i.test(out)) out = `<html>${out}</html>`;
  return out;
}

/** The URL relative links on the page resolve against: the page's own `<base href>` if any, else the page URL. */
export function effectiveBaseUrl(document: DomDocument, pageUrl: string | null): string | null {
  const page = httpUrl(pageUrl);
  const declared = document.head?.querySelector('base[href]')?.getAttribute('href')?.trim();
  if (declared) {
    const resolved = httpUrl(declared, page ?? undefined);
    if (resolved !== null) return resolved;
  }
  return page;
}

/** `value` resolved against `base` when it is an absolute http(s) URL afterwards, else null. */
export function httpUrl(value: string | null | undefined, base?: string): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * Whether the element tree under `root` is deeper than `limit` levels. Iterative and stops at the
 * first element past the limit, so it is cheap on any input.
 */
export function deeperThan(root: DomElement, limit: number): boolean {
  const stack: { element: DomElement; depth: number }[] = [{ element: root, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > limit) return true;
    for (let child = top.element.firstElementChild; child !== null; child = child.nextElementSibling) {
      stack.push({ element: child, depth: top.depth + 1 });
    }
  }
  return false;
}
