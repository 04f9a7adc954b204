import type { APIEmbedField } from 'discord.js';
import { parseMessageLink } from '../../app/message-link.js';
import type { Claim } from '../../engines/engine.js';
import { claimIsQuote, type Quote, withContinuation } from '../../grounding/index.js';
import { labels } from '../texts.js';
import { ParagraphIndex } from './article-facts.js';
import { inert } from './escape.js';
import { DISCORD_LIMITS as L } from './limits.js';
import type { ClaimBlock } from './pack.js';
import { textFragmentUrl } from './text-fragment.js';

/** Claim text (not a quote) longer than this is shortened: a model's claims are a sentence or two. */
const MAX_CLAIM_CHARS = 1500;
/** Longest "open at the quote" link included; a longer page URL gets the ¶ number only. */
const MAX_LINK_CHARS = 600;

/** A quote as drawn, for the "Show context" menu: how it is labelled where it was shown (`[2] · ¶4`, `¶4`). */
export interface ShownQuote {
  readonly label: string;
  readonly quote: Quote;
}

/**
 * Turns claims into drawn blocks with footnotes numbered in order of first use. A claim that is its
 * own quote (the offline engine's) is drawn as the quote itself with its place; other claims carry
 * `[n]` markers and introduce each new quote as a field `[n] · ¶p` holding the whole quote and, for
 * web pages, a link that opens the page at it. A quote whose sentence goes on shows `…` there.
 */
export class Footnotes {
  readonly #text: string;
  readonly #paragraphs: ParagraphIndex;
  readonly #pageUrl: string | null;
  readonly #numbered: Quote[] = [];
  readonly #shown: ShownQuote[] = [];

  constructor(articleText: string, pageUrl: string | null) {
    this.#text = articleText;
    this.#paragraphs = new ParagraphIndex(articleText);
    this.#pageUrl = pageUrl;
  }

  block(claim: Claim, section: string | null, bullet = ''): ClaimBlock {
    const [only] = claim.quotes;
    if (claim.quotes.length === 1 && only && claimIsQuote(claim.text, only)) {
      const link = this.#link(only);
      this.#shown.push({ label: `¶${this.#paragraphs.of(only.start)}`, quote: only });
      const line = `${bullet}“${this.#quoted(only)}” ¶${this.#paragraphs.of(only.start)}${link ? ` [${labels.openAtQuote}](${link})` : ''}`;
      return { section, line, fields: [] };
    }
    const text =
      claim.text.length > MAX_CLAIM_CHARS ? `${claim.text.slice(0, MAX_CLAIM_CHARS)}…` : claim.text;
    const fields: APIEmbedField[] = [];
    const markers = claim.quotes.map((q) => {
      const known = this.#numbered.findIndex((x) => x.start === q.start && x.end === q.end);
      if (known !== -1) return `[${known + 1}]`;
      this.#numbered.push(q);
      this.#shown.push({ label: `[${this.#numbered.length}] · ¶${this.#paragraphs.of(q.start)}`, quote: q });
      fields.push(this.#field(this.#numbered.length, q));
      return `[${this.#numbered.length}]`;
    });
    return {
      section,
      line: `${bullet}${inert(text)}${markers.length > 0 ? ` ${markers.join('')}` : ''}`,
      fields,
    };
  }

  /** Every quote drawn so far, once each, in the order first drawn. */
  get shown(): readonly ShownQuote[] {
    return this.#shown;
  }

  #field(n: number, q: Quote): APIEmbedField {
    const quoted = `“${this.#quoted(q)}”`;
    const link = this.#link(q);
    const linked = link ? `${quoted} [${labels.openAtQuote}](${link})` : quoted;
    return {
      name: `[${n}] · ¶${this.#paragraphs.of(q.start)}`,
      value: linked.length <= L.fieldValue ? linked : quoted,
    };
  }

  /** The quote made inert, with `…` where its sentence goes on (not part of the quote). */
  #quoted(q: Quote): string {
    return withContinuation(this.#text, q, inert(q.text));
  }

  #link(q: Quote): string | null {
    if (!this.#pageUrl) return null;
    // A Discord message link opens the message itself; a text fragment there would only break it.
    if (parseMessageLink(this.#pageUrl)) return this.#pageUrl;
    const url = textFragmentUrl(this.#pageUrl, q.text);
    return url && url.length <= MAX_LINK_CHARS ? url : null;
  }
}
