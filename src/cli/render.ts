import type { Article } from '../article/article.js';
import type { AnswerResult, Claim, EngineInfo, SummaryResult } from '../engines/engine.js';
import { claimIsQuote, type Quote, withContinuation } from '../grounding/index.js';
import { splitWords } from '../text/index.js';

/**
 * Readable terminal output: claims with `[n]` markers, then the quotes they stand on, each with its
 * paragraph in the article. Plain text (no colours), wrapped to `width` columns.
 */
export function renderSummary(article: Article, result: SummaryResult, width = 88): string {
  const notes = new Footnotes(article.text);
  const out: string[] = [];
  out.push(...header(article, width), '');
  out.push('SUMMARY');
  for (const claim of result.summary) out.push(...wrap(notes.claim(claim), width, '  '));
  if (result.keyPoints.length > 0) {
    out.push('', 'KEY POINTS');
    for (const claim of result.keyPoints) out.push(...wrap(notes.claim(claim), width, '  • ', '    '));
  }
  out.push(...notes.render(width), '', footer(result));
  return `${out.join('\n')}\n`;
}

export function renderAnswer(article: Article, question: string, result: AnswerResult, width = 88): string {
  const notes = new Footnotes(article.text);
  const out = wrap(`Q: ${question}`, width, '', '   ');
  if (!result.answerable && result.nearest.length === 0) {
    out.push("A: The article doesn't say.");
  } else if (!result.answerable) {
    out.push("A: The article doesn't answer this directly.", '   The closest it comes (not an answer):');
    for (const q of result.nearest) {
      out.push(...wrap(notes.claim({ text: q.text, quotes: [q] }), width, '   > ', '     '));
    }
  } else {
    for (const [i, claim] of result.answer.entries()) {
      out.push(...wrap(notes.claim(claim), width, i === 0 ? 'A: ' : '   ', '   '));
    }
  }
  out.push(...notes.render(width), '', footer(result));
  return `${out.join('\n')}\n`;
}

export function renderCheck(
  article: Article,
  check: { claim: string; supported: boolean; reasons: readonly string[]; quotes: readonly Quote[] },
  width = 88,
): string {
  const notes = new Footnotes(article.text);
  const out = wrap(`${check.supported ? '✓ supported' : '✗ not supported'}: ${check.claim}`, width, '', '  ');
  for (const reason of check.reasons) out.push(...wrap(reason, width, '  - ', '    '));
  for (const q of check.quotes)
    out.push(...wrap(notes.claim({ text: q.text, quotes: [q] }), width, '  > ', '    '));
  return out.join('\n');
}

/**
 * `1206` as `1,206`, the way `toLocaleString('en')` writes it, without building an ICU number
 * formatter (its first use is a noticeable part of a short command's run).
 */
function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

function header(article: Article, width: number): string[] {
  const words = splitWords(article.text, article.lang).length;
  const facts = [
    article.siteName,
    article.byline,
    article.publishedTime?.slice(0, 10) ?? null,
    `${withCommas(words)} words`,
    `${Math.max(1, Math.round(words / 230))} min read`,
  ].filter((f): f is string => Boolean(f));
  return [...wrap(article.title ?? article.source, width), ...wrap(facts.join(' · '), width)];
}

function footer(result: EngineInfo): string {
  const g = result.grounding;
  const engine = result.model ? `${result.engine} (${result.model})` : result.engine;
  const fallback = result.fallback
    ? ` · fell back from ${result.fallback.from}: ${result.fallback.code}`
    : '';
  const dropped = g.dropped > 0 ? `, ${g.dropped} dropped` : '';
  const verbatim = g.unsupported > 0 ? ` · ${unsupportedNote(g.unsupported)}` : '';
  return `${g.verified}/${g.proposed} quotes found in the article${dropped}${verbatim} · ${engine}${fallback}`;
}

/** The footer's note on claims shown as their quotes because their wording could not be checked. */
function unsupportedNote(n: number): string {
  return `${n} ${n === 1 ? 'claim' : 'claims'} shown in the article’s own words: the wording did not match the quotes`;
}

/**
 * Numbers quotes in order of first use; a claim that is its own quote is shown as the quote. A
 * quote whose sentence goes on is shown with `…` on that side (`withContinuation`).
 */
class Footnotes {
  readonly #quotes: Quote[] = [];
  readonly #paragraphStarts: number[];
  constructor(readonly text: string) {
    this.#paragraphStarts = [0];
    for (let i = text.indexOf('\n\n'); i !== -1; i = text.indexOf('\n\n', i + 2))
      this.#paragraphStarts.push(i + 2);
  }

  /**
   * A claim that is its own quote (the extractive engine's, which marks a cut sentence with `…`) is
   * shown as the quote, with its place.
   */
  claim(claim: Claim): string {
    const [only] = claim.quotes;
    if (claim.quotes.length === 1 && only && claimIsQuote(claim.text, only)) {
      return `“${this.#quoted(only)}” (¶${this.#paragraph(only.start)})`;
    }
    const marks = claim.quotes.map((q) => `[${this.#number(q)}]`).join('');
    return `${claim.text} ${marks}`;
  }

  render(width: number): string[] {
    if (this.#quotes.length === 0) return [];
    const out = ['', 'QUOTES'];
    for (const [i, q] of this.#quotes.entries()) {
      const label = `[${i + 1}] `;
      out.push(
        ...wrap(
          `“${this.#quoted(q)}” (¶${this.#paragraph(q.start)})`,
          width,
          `  ${label}`,
          ' '.repeat(label.length + 2),
        ),
      );
    }
    return out;
  }

  #quoted(q: Quote): string {
    return withContinuation(this.text, q, squash(q.text));
  }

  #number(q: Quote): number {
    const found = this.#quotes.findIndex((x) => x.start === q.start && x.end === q.end);
    if (found !== -1) return found + 1;
    this.#quotes.push(q);
    return this.#quotes.length;
  }

  #paragraph(offset: number): number {
    let lo = 0;
    let hi = this.#paragraphStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#paragraphStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/** Greedy word wrap; `first` prefixes the first line, `rest` the others. */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
