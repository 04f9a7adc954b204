import {
  ChannelType,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
  type Message,
  PermissionFlagsBits,
} from 'discord.js';
import type { MessageLink } from '../app/message-link.js';
import { isDiscordHost } from '../app/message-link.js';
import type { SourceInput } from '../app/source-input.js';
import { findHeadline } from '../text/index.js';
import { checkAttachment } from './attachments.js';
import { attachmentInfo, firstLink } from './message-content.js';
import type { SummaryInput } from './requests/summary-request.js';
import { labels, notices } from './texts.js';

/** What reading a message needs, for the requester and for the bot alike. */
const READ = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;

/** Words a message's own text needs (links aside) to be summarized as the article itself. */
const MIN_TEXT_WORDS = 40;

/**
 * The facts a message link is judged from: gathered by `openMessageLink`, judged by
 * `judgeMessageLink` (pure, so every case is testable without Discord).
 */
export interface MessageLinkFacts {
  /** The link's guild, or null for a direct message (`@me`). */
  readonly linkGuildId: string | null;
  /** The guild the command was used in, or null outside a guild. */
  readonly hereGuildId: string | null;
  /** Whether only the requester will see the summary (private, or in their DM with the bot). */
  readonly seenOnlyByRequester: boolean;
  /** The channel is in the link's guild, and the bot knows it. */
  readonly channelFound: boolean;
  /** The requester's permissions in that channel (null: not a member of the guild). */
  readonly requesterPermissions: bigint | null;
  /** For a private thread: whether the requester may see it (a member, or Manage Threads). */
  readonly requesterInPrivateThread: boolean | null;
  /** The bot's own permissions in that channel (null: unknown). */
  readonly botPermissions: bigint | null;
}

/**
 * Whether Verbatim may open a linked message for a requester: a message in a guild (never a DM),
 * the guild the command is used in unless only the requester will see the summary, a channel the
 * bot knows, where the requester AND the bot have View Channel and Read Message History (and, in a
 * private thread, the requester is in it). Whatever fails, the requester hears the same sentence.
 */
export function judgeMessageLink(facts: MessageLinkFacts): boolean {
  if (facts.linkGuildId === null) return false;
  if (facts.linkGuildId !== facts.hereGuildId && !facts.seenOnlyByRequester) return false;
  if (!facts.channelFound) return false;
  const can = (p: bigint | null): boolean => p !== null && (p & READ) === READ;
  if (!can(facts.requesterPermissions) || !can(facts.botPermissions)) return false;
  return facts.requesterInPrivateThread !== false;
}

/**
 * A `/summarize url:` that is a message link → what to summarize in that message, or the refusal:
 * "I can't open that message", the same whether the message, its channel or its guild exist, are
 * hidden from the requester or from the bot. The message is read through Discord's API as the bot,
 * only after the requester's own permissions in its channel (their roles and the channel's
 * overwrites, as discord.js computes them) allow it. Called once the request has passed its rate
 * limit and been acknowledged (the summary request's late check): these reads may be slow.
 */
export async function openMessageLink(
  interaction: ChatInputCommandInteraction,
  link: MessageLink,
  seenOnlyByRequester: boolean,
): Promise<SummaryInput> {
  const refused: SummaryInput = { refusal: notices.cannotOpenMessage, code: 'blocked_address' };
  if (link.guildId === null) return refused;
  const guild = interaction.client.guilds.cache.get(link.guildId);
  const me = interaction.client.user;
  if (!guild) return refused;
  const channel: GuildBasedChannel | null =
    guild.channels.cache.get(link.channelId) ??
    (await guild.channels.fetch(link.channelId).catch(() => null)) ??
    null;
  const member = await guild.members.fetch({ user: interaction.user.id, force: false }).catch(() => null);
  const requesterPermissions = channel && member ? (channel.permissionsFor(member)?.bitfield ?? null) : null;
  let requesterInPrivateThread: boolean | null = null;
  if (channel?.type === ChannelType.PrivateThread && member) {
    requesterInPrivateThread =
      (requesterPermissions !== null && (requesterPermissions & PermissionFlagsBits.ManageThreads) !== 0n) ||
      (await channel.members.fetch({ member: member.id }).then(
        () => true,
        () => false,
      ));
  }
  const allowed = judgeMessageLink({
    linkGuildId: link.guildId,
    hereGuildId: interaction.guildId,
    seenOnlyByRequester,
    channelFound: channel !== null && channel.guildId === link.guildId,
    requesterPermissions,
    requesterInPrivateThread,
    botPermissions: channel && me ? (channel.permissionsFor(me)?.bitfield ?? null) : null,
  });
  if (!allowed || !channel?.isTextBased()) return refused;
  // Always from Discord, never the cache: a cached copy came through the gateway, where message
  // contents may be withheld (no Message Content intent), and may have been deleted since.
  const message = await channel.messages.fetch({ message: link.messageId, force: true }).catch(() => null);
  if (!message) return refused;
  return sourceInLinkedMessage(message, link) ?? { refusal: notices.linkedMessageEmpty, code: 'empty_input' };
}

/**
 * What to summarize in a linked message: its own text when it is prose (at least
 * `MIN_TEXT_WORDS` words besides links), else its first text, PDF or HTML attachment, else its
 * first link that is not Discord's. Its text and files point to the message (its link is their
 * source); a link is summarized as that page.
 */
export function sourceInLinkedMessage(message: Message, link: MessageLink): SourceInput | null {
  const content = message.content ?? '';
  const prose = content.replace(/<?https?:\/\/[^\s<>|"`]+>?/giu, ' ').trim();
  if (prose.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length >= MIN_TEXT_WORDS) {
    // Titled by its own headline when it opens with one, else by whose message it is and where.
    const text = content.trim();
    if (findHeadline(text)) return { kind: 'text', text, source: link.url };
    const author = message.member?.displayName ?? message.author.displayName;
    const channel = 'name' in message.channel && message.channel.name ? message.channel.name : 'a chat';
    return { kind: 'text', text, source: link.url, title: labels.linkedMessage(author, channel) };
  }
  const attachment = [...message.attachments.values()]
    .map(attachmentInfo)
    .find((a) => checkAttachment(a, Number.POSITIVE_INFINITY) === null);
  if (attachment) return { kind: 'attachment', attachment, source: link.url };
  const web = content
    .split(/\s+/u)
    .map(firstLink)
    .find((url) => url !== null && !isDiscordHost(url));
  return web ? { kind: 'url', url: web } : null;
}
