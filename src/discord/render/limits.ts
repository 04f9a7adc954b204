import type { APIEmbed } from 'discord.js';

/**
 * Discord's message limits (characters). Lengths here are measured in UTF-16 code units, which is
 * never less than the code points Discord counts, so staying within them in JavaScript is safe.
 */
export const DISCORD_LIMITS = Object.freeze({
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  /** Over all embeds of one message: title, description, field names and values, footer, author. */
  embedTotal: 6000,
  threadName: 100,
  customId: 100,
  modalTitle: 45,
  buttonLabel: 80,
});

/** The characters of an embed that count toward the 6,000 per message, as Discord counts them. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** How much longer than `max` a text may be and still reach `transform` whole (see fitText). */
const FIT_SLACK = 4;

/**
 * `text` shortened to at most `max` units after `transform`, cut at a word boundary when one is
 * near, ending with `…`. For titles and names only: quotes are never cut. `transform` only ever sees
 * a few times `max` characters (a text longer than FIT_SLACK × `max` is cut first): `inert`'s
 * markdown escaping (discord.js) is quadratic in its input, and a page's title or byline has no
 * bound of its own.
 */
export function fitText(text: string, max: number, transform: (s: string) => string = (s) => s): string {
  if (text.length <= FIT_SLACK * max && transform(text).length <= max) return transform(text);
  const chars = Array.from(text.slice(0, FIT_SLACK * max));
  let keep = Math.min(chars.length, max);
  for (;;) {
    let cut = chars.slice(0, keep).join('');
    const space = cut.lastIndexOf(' ');
    if (space >= cut.length * 0.6) cut = cut.slice(0, space);
    const out = transform(`${cut.trimEnd()}…`);
    if (out.length <= max || keep <= 1) return out.length <= max ? out : '…';
    keep = Math.max(1, keep - Math.max(1, out.length - max));
  }
}
