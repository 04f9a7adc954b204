/**
 * A link to one chat message, as Discord's "Copy Message Link" makes it:
 * `https://discord.com/channels/<guild>/<channel>/<message>` (also on the canary and ptb hosts and
 * the older discordapp.com); `@me` in place of the guild for a direct message.
 */
export interface MessageLink {
  /** Null for `@me` (a direct message). */
  readonly guildId: string | null;
  readonly channelId: string;
  readonly messageId: string;
  /** The link in its canonical form, on discord.com: what summaries and quotes point to. */
  readonly url: string;
}

const HOSTS: ReadonlySet<string> = new Set([
  'discord.com',
  'canary.discord.com',
  'ptb.discord.com',
  'discordapp.com',
  'canary.discordapp.com',
  'ptb.discordapp.com',
]);

const SNOWFLAKE = /^\d{15,21}$/u;

/** Whether a URL is on one of Discord's own web hosts (never fetched as a web page). */
export function isDiscordHost(raw: string): boolean {
  try {
    const url = new URL(raw.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && HOSTS.has(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** `raw` read as a message link, or null when it is not one (any other Discord page included). */
export function parseMessageLink(raw: string): MessageLink | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!HOSTS.has(url.hostname.toLowerCase()) || url.port !== '') return null;
  const parts = url.pathname.replace(/\/+$/u, '').split('/');
  if (parts.length !== 5 || parts[1] !== 'channels') return null;
  const [, , guild = '', channelId = '', messageId = ''] = parts;
  if (guild !== '@me' && !SNOWFLAKE.test(guild)) return null;
  if (!SNOWFLAKE.test(channelId) || !SNOWFLAKE.test(messageId)) return null;
  return {
    guildId: guild === '@me' ? null : guild,
    channelId,
    messageId,
    url: `https://discord.com/channels/${guild}/${channelId}/${messageId}`,
  };
}
