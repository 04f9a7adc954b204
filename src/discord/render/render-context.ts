import type { APIEmbed } from 'discord.js';
import { parseMessageLink } from '../../app/message-link.js';
import type { Article } from '../../article/article.js';
import type { SpanSurroundings } from '../../text/index.js';
import { labels } from '../texts.js';
import { webUrl } from './article-facts.js';
import { inert } from './escape.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { EMBED_COLOR } from './render-summary.js';
import { textFragmentUrl } from './text-fragment.js';

/** Characters (before escaping) kept of the paragraphs before and after, and of the quote's own paragraph on each side of it. */
const NEIGHBOUR_CHARS = 900;
const AROUND_QUOTE_CHARS = 900;
/** Longest link drawn; a longer page URL with its fragment is left out (the title still says where). */
const MAX_LINK_CHARS = 1500;

/** `text` cut to its last `max` characters, at a word, starting with `…`. */
function keepEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(text.length - max);
  const space = cut.indexOf(' ');
  return `…${space !== -1 && space < cut.length * 0.3 ? cut.slice(space + 1) : cut}`;
}

/** `text` cut to its first `max` characters, at a word, ending with `…`. */
function keepStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > cut.length * 0.7 ? cut.slice(0, space) : cut}…`;
}

/**
 * A quote in its surroundings, privately: the paragraph before, the quote's paragraph with the
 * quote in bold, and the paragraph after, all made inert (article text never becomes markdown,
 * links or pings), long paragraphs trimmed around the quote so the description stays within
 * 4,096 characters; the title links to the page at the quote (a text fragment), or to the message
 * for a Discord message, and the same link is spelled out last.
 */
export function renderQuoteContext(article: Article, around: SpanSurroundings, label: string): APIEmbed {
  const quote = around.paragraph.slice(around.spanStart, around.spanEnd);
  const page = webUrl(article);
  const isMessage = page !== null && parseMessageLink(page) !== null;
  const link = page ? (isMessage ? page : textFragmentUrl(page, quote)) : null;
  const linkLine =
    link && link.length <= MAX_LINK_CHARS
      ? `[${isMessage ? labels.contextOpenMessage : labels.contextOpen}](${link})`
      : null;
  for (let scale = 1; ; scale /= 2) {
    const neighbour = Math.floor(NEIGHBOUR_CHARS * scale);
    const aroundQuote = Math.floor(AROUND_QUOTE_CHARS * scale);
    const before = around.paragraph.slice(0, around.spanStart);
    const after = around.paragraph.slice(around.spanEnd);
    // Each piece is made inert on its own, so no markdown reaches across the bold quote's edges.
    const lead = inert(keepEnd(before, aroundQuote));
    const tail = inert(keepStart(after, aroundQuote));
    const joined = [
      lead,
      lead && /\s$/u.test(before) ? ' ' : '',
      `**${inert(quote)}**`,
      tail && /^\s/u.test(after) ? ' ' : '',
      tail,
    ].join('');
    const parts = [
      ...(around.before ? [inert(keepEnd(around.before, neighbour))] : []),
      `> ${joined}`,
      ...(around.after ? [inert(keepStart(around.after, neighbour))] : []),
      ...(linkLine ? [linkLine] : []),
    ];
    const description = parts.join('\n\n');
    if (description.length <= L.embedDescription || scale < 0.01) {
      return {
        color: EMBED_COLOR,
        title: labels.contextHeading(label).slice(0, L.embedTitle),
        ...(link && link.length <= 2048 ? { url: link } : {}),
        description: description.slice(0, L.embedDescription),
      };
    }
  }
}
