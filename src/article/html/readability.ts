import { Readability } from '@mozilla/readability';
import type { DomDocument, DomElement } from './dom.js';

/** What Readability found: its article container (still a live element, not HTML) and its metadata. */
export interface ReadabilityResult {
  readonly content: DomElement;
  readonly title: string | null;
  readonly byline: string | null;
  readonly siteName: string | null;
  readonly lang: string | null;
  readonly publishedTime: string | null;
}

/**
 * Runs Mozilla Readability on a linkedom document (which it mutates). Returns null when Readability
 * finds no article or fails on the markup: callers fall back to their own heuristics. The serializer
 * hands back the element itself so the text can be rendered with paragraph structure.
 */
export function runReadability(document: DomDocument, charThreshold = 500): ReadabilityResult | null {
  let parsed: ReturnType<Readability<DomElement>['parse']>;
  try {
    // Readability's typings want the DOM lib's Document; linkedom's document is the same shape.
    const reader = new Readability<DomElement>(document as never, {
      charThreshold,
      serializer: (node) => node as DomElement,
    });
    parsed = reader.parse();
  } catch {
    return null;
  }
  if (!parsed?.content) return null;
  return {
    content: parsed.content,
    title: parsed.title ?? null,
    byline: parsed.byline ?? null,
    siteName: parsed.siteName ?? null,
    lang: parsed.lang ?? null,
    publishedTime: parsed.publishedTime ?? null,
  };
}
