import type { APIEmbed, APIEmbedField } from 'discord.js';
import { DISCORD_LIMITS as L } from './limits.js';

/** One claim as drawn: its line in the description and the fields of the quotes it introduces. */
export interface ClaimBlock {
  /** Section heading shown before the first claim of a section in each embed (`Summary`, `Key points`). */
  readonly section: string | null;
  readonly line: string;
  readonly fields: readonly APIEmbedField[];
}

export interface PackInput {
  /** Title, link, author and colour of the first embed. */
  readonly head: Pick<APIEmbed, 'title' | 'url' | 'author'>;
  /** Lines at the top of the first embed's description (byline, reading time, the question). */
  readonly intro: readonly string[];
  readonly blocks: readonly ClaimBlock[];
  /** Footer text of the last embed (grounding, engine). */
  readonly footer: string;
  readonly color: number;
}

interface Draft {
  readonly head: Pick<APIEmbed, 'title' | 'url' | 'author'>;
  readonly lines: string[];
  readonly fields: APIEmbedField[];
  /** The section whose heading this embed last showed. */
  section: string | null;
}

/**
 * Lays claims out over as many embeds as needed, one embed per message, never splitting a line or a
 * field: a claim moves whole to the next embed when it does not fit, and only a claim too big for
 * any embed has its quotes continue in the next one. Every embed obeys the description (4,096),
 * field (25 × 1,024) and total (6,000) limits, with room kept for the footer. Callers guarantee one
 * line ≤ 3,600 and one field ≤ 1,024 + 256, which always fit an empty embed.
 */
export function packEmbeds(input: PackInput): APIEmbed[] {
  const footer = input.footer.slice(0, L.footer);
  const drafts: Draft[] = [];
  let draft: Draft = { head: input.head, lines: [...input.intro], fields: [], section: null };
  const fresh = (): Draft => ({ head: {}, lines: [], fields: [], section: null });
  const flush = (): void => {
    drafts.push(draft);
    draft = fresh();
  };
  const withLine = (d: Draft, block: ClaimBlock): string[] => {
    if (block.section === null || block.section === d.section) return [...d.lines, block.line];
    const continued = drafts.some((p) => p.section === block.section);
    const heading = `**${block.section}**${continued ? ' (continued)' : ''}`;
    return [...d.lines, ...(d.lines.length > 0 ? [''] : []), heading, block.line];
  };
  const fits = (d: Draft, lines: readonly string[], fields: readonly APIEmbedField[]): boolean => {
    const description = lines.join('\n').length;
    const total =
      (d.head.title?.length ?? 0) +
      (d.head.author?.name.length ?? 0) +
      description +
      fields.reduce((n, f) => n + f.name.length + f.value.length, 0) +
      footer.length;
    return description <= L.embedDescription && fields.length <= L.embedFields && total <= L.embedTotal;
  };
  const isEmpty = (d: Draft): boolean => d.fields.length === 0 && d.lines.length === 0 && !d.head.title;

  for (const block of input.blocks) {
    let lines = withLine(draft, block);
    if (!fits(draft, lines, [...draft.fields, ...block.fields]) && !isEmpty(draft)) {
      flush();
      lines = withLine(draft, block);
    }
    if (fits(draft, lines, [...draft.fields, ...block.fields])) {
      draft.lines.splice(0, draft.lines.length, ...lines);
      draft.fields.push(...block.fields);
      draft.section = block.section ?? draft.section;
      continue;
    }
    // A claim with more quotes than one embed holds: its line first, then its quotes as they fit.
    if (!fits(draft, lines, draft.fields)) {
      flush();
      lines = withLine(draft, block);
    }
    draft.lines.splice(0, draft.lines.length, ...lines);
    draft.section = block.section ?? draft.section;
    for (const field of block.fields) {
      if (!fits(draft, draft.lines, [...draft.fields, field])) flush();
      draft.fields.push(field);
    }
  }
  drafts.push(draft);

  const used = drafts.filter((d) => d.lines.length > 0 || d.fields.length > 0 || d.head.title);
  return used.map((d, i) => {
    const embed: APIEmbed = { color: input.color };
    if (d.head.author) embed.author = d.head.author;
    if (d.head.title) embed.title = d.head.title;
    if (d.head.url) embed.url = d.head.url;
    const description = d.lines.join('\n').trim();
    if (description) embed.description = description;
    if (d.fields.length > 0) embed.fields = d.fields;
    if (i === used.length - 1 && footer) embed.footer = { text: footer };
    return embed;
  });
}
