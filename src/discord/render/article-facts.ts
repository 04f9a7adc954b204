import type { Article } from '../../article/article.js';
import { splitWords } from '../../text/index.js';

/** Words per minute assumed for reading time. */
const WORDS_PER_MINUTE = 230;

/** Minutes to read the article (at least 1). */
export function readingMinutes(article: Article): number {
  return Math.max(1, Math.round(splitWords(article.text, article.lang).length / WORDS_PER_MINUTE));
}

/**
 * Paragraph numbers (¶n, from 1) of offsets in an article's text, where paragraphs are separated by
 * one blank line (the normalized form every Article has).
 */
export class ParagraphIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n\n'); i !== -1; i = text.indexOf('\n\n', i + 2)) this.#starts.push(i + 2);
  }

  /** The paragraph holding `offset`. */
  of(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** The article's web address when it has one (http or https), else null. */
export function webUrl(article: Article): string | null {
  const url = article.url ?? (/^https?:\/\//i.test(article.source) ? article.source : null);
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
