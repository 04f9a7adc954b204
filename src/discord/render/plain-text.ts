import type { APIEmbed } from 'discord.js';
import { DISCORD_LIMITS as L } from './limits.js';

/**
 * Embeds drawn as ordinary message text, for channels where the bot may post but not embed (no
 * Embed Links): the title (linked), author, description, fields and footer of every embed, in
 * order, split over as many messages as needed, each within Discord's 2,000 characters. Lines are
 * kept whole when they fit, and a field's name stays with its value (a footnote's "[3] · ¶3" with
 * its quote) when both fit in one message; a longer line (a long quote) continues in the next
 * message, split between words, so nothing of it is lost. `after` (a note: why this is plain text)
 * ends the last message when it fits there, else comes as one more.
 */
export function embedsAsText(embeds: readonly APIEmbed[], after?: string): string[] {
  const blocks = embeds.flatMap(embedBlocks);
  if (after) blocks.push(after.split('\n'));
  const out: string[] = [];
  let current = '';
  const push = (): void => {
    if (current.trim() !== '') out.push(current.replace(/(?<!\n)\n+$/u, ''));
    current = '';
  };
  const fits = (a: string, b: string): boolean => (a === '' ? b : `${a}\n${b}`).length <= L.content;
  for (const block of blocks) {
    const whole = block.join('\n');
    if (block.length > 1 && whole.length <= L.content) {
      if (!fits(current, whole)) push();
      current = current === '' ? whole : `${current}\n${whole}`;
      continue;
    }
    for (const line of block) {
      if (fits(current, line)) {
        current = current === '' ? line : `${current}\n${line}`;
        continue;
      }
      push();
      for (const piece of splitLine(line, L.content)) {
        if (current !== '') push();
        current = piece;
      }
    }
  }
  push();
  return out;
}

/** An embed's lines, grouped into what should not be split: each field is one group. */
function embedBlocks(embed: APIEmbed): string[][] {
  const blocks: string[][] = [];
  if (embed.author?.name) blocks.push([`-# ${embed.author.name}`]);
  if (embed.title) blocks.push([embed.url ? `## [${embed.title}](<${embed.url}>)` : `## ${embed.title}`]);
  if (embed.description) blocks.push(...embed.description.split('\n').map((line) => [line]));
  for (const field of embed.fields ?? []) blocks.push([`**${field.name}**`, ...field.value.split('\n')]);
  if (embed.footer?.text) blocks.push([`-# ${embed.footer.text}`]);
  return blocks;
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
