import type { DomDocument, DomElement } from './dom.js';

/**
 * The elements metadata and page checks read, gathered in one walk over the document: on a 500 KB
 * page each selector query is a full traversal (several milliseconds), and a dozen of them cost
 * more than the rest of the extraction besides Readability.
 */
export interface PageIndex {
  readonly lang: string | null;
  readonly metas: readonly DomElement[];
  /** `<link rel=canonical href>` elements. */
  readonly canonicalLinks: readonly DomElement[];
  /** `<time datetime>` elements, those inside an `<article>` or marked `pubdate` first. */
  readonly times: readonly DomElement[];
  /** Non-meta elements with `itemprop~=datePublished`. */
  readonly datePublished: readonly DomElement[];
  readonly title: DomElement | null;
  readonly firstH1: DomElement | null;
  /** `<script type=application/ld+json>` elements. */
  readonly jsonLdScripts: readonly DomElement[];
  readonly hasPasswordInput: boolean;
}

export function indexPage(document: DomDocument): PageIndex {
  const root = document.documentElement;
  const metas: DomElement[] = [];
  const canonicalLinks: DomElement[] = [];
  const preferredTimes: DomElement[] = [];
  const otherTimes: DomElement[] = [];
  const datePublished: DomElement[] = [];
  const jsonLdScripts: DomElement[] = [];
  let title: DomElement | null = null;
  let firstH1: DomElement | null = null;
  let hasPasswordInput = false;

  const stack: { element: DomElement; inArticle: boolean }[] = [{ element: root, inArticle: false }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { element, inArticle } = top;
    const tag = element.localName;
    switch (tag) {
      case 'meta':
        metas.push(element);
        break;
      case 'link':
        if (
          /(?:^|\s)canonical(?:\s|$)/i.test(element.getAttribute('rel') ?? '') &&
          element.hasAttribute('href')
        ) {
          canonicalLinks.push(element);
        }
        break;
      case 'time':
        if (element.hasAttribute('datetime')) {
          (inArticle || element.hasAttribute('pubdate') ? preferredTimes : otherTimes).push(element);
        }
        break;
      case 'title':
        title ??= element;
        break;
      case 'h1':
        firstH1 ??= element;
        break;
      case 'script':
        if (element.getAttribute('type')?.trim().toLowerCase() === 'application/ld+json')
          jsonLdScripts.push(element);
        break;
      case 'input':
        if (element.getAttribute('type')?.trim().toLowerCase() === 'password') hasPasswordInput = true;
        break;
    }
    if (tag !== 'meta' && /(?:^|\s)datePublished(?:\s|$)/.test(element.getAttribute('itemprop') ?? '')) {
      datePublished.push(element);
    }
    const childInArticle = inArticle || tag === 'article';
    for (let child = element.lastElementChild; child !== null; child = child.previousElementSibling) {
      stack.push({ element: child, inArticle: childInArticle });
    }
  }
  return {
    lang: root.getAttribute('lang') ?? root.getAttribute('xml:lang'),
    metas,
    canonicalLinks,
    times: [...preferredTimes, ...otherTimes],
    datePublished,
    title,
    firstH1,
    jsonLdScripts,
    hasPasswordInput,
  };
}
