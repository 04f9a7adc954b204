import type { APIEmbed } from 'discord.js';
import { DISCORD_LIMITS as L } from './limits.js';

/**
 * Embeds drawn as ordinary message text, for channels where the bot may post but not embed (no
 * Embed Links): the title (linked), author, description, fields and footer of every embed, in
 * order, split over as many messages as needed, each within Discord's 2,000 characters. Lines are
 * kept whole when they fit; a longer line (a long quote) continues in the next message, split
 * between words, so nothing of it is lost.
 */
export function embedsAsText(embeds: readonly APIEmbed[]): string[] {
  const lines = embeds.flatMap(embedLines);
  const out: string[] = [];
  let current = '';
  const push = (): void => {
    if (current.trim() !== '') out.push(current.replace(/\n+$/u, ''));
    current = '';
  };
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= L.content) {
      current = next;
      continue;
    }
    push();
    for (const piece of splitLine(line, L.content)) {
      if (current !== '') push();
      current = piece;
    }
  }
  push();
  return out;
}

function embedLines(embed: APIEmbed): string[] {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(`-# ${embed.author.name}`);
  if (embed.title) lines.push(embed.url ? `## [${embed.title}](<${embed.url}>)` : `## ${embed.title}`);
  if (embed.description) lines.push(...embed.description.split('\n'));
  for (const field of embed.fields ?? []) lines.push(`**${field.name}**`, ...field.value.split('\n'));
  if (embed.footer?.text) lines.push(`-# ${embed.footer.text}`);
  return lines;
}

/** A line cut into pieces of at most `max` characters, at spaces where there are any. */
function splitLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const high = rest.charCodeAt(max - 1);
    const hard = high >= 0xd800 && high <= 0xdbff ? max - 1 : max;
    const cut = space > max / 2 ? space : hard;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /u, '');
  }
  pieces.push(rest);
  return pieces;
}
