import {
  type AnyThreadChannel,
  ApplicationIntegrationType,
  ChannelType,
  type Client,
  type Interaction,
  InteractionContextType,
  type Message,
  PermissionFlagsBits,
} from 'discord.js';
import { notices } from './texts.js';

/**
 * What kind of place a request came from, as far as Verbatim's answers go:
 * - `channel`: a guild text or announcement channel, where a thread can open under a summary;
 * - `thread`: a thread or forum post (a summary stays in it: threads do not nest);
 * - `chat`: another guild channel with a text chat but no threads (voice and stage text chat);
 * - `dm`: the bot's own DM with the user;
 * - `elsewhere`: a place the bot is not in (a group DM, someone else's DM, a server that only the
 *   user installed the app in) or a channel type this version does not know. Only the
 *   interaction's own responses reach it.
 */
export type PlaceKind = 'channel' | 'thread' | 'chat' | 'dm' | 'elsewhere';

/** Why no thread opens under a summary, for the one line that says so. */
export type NoThreadReason =
  | { readonly code: 'missing_permissions'; readonly missing: readonly string[] }
  | { readonly code: 'no_threads_here' }
  | { readonly code: 'not_a_member' };

/**
 * Where a request came from and what the bot may do there as itself (not through an
 * interaction's webhook, which Discord lets post, embed and attach anywhere the command was used).
 */
export interface Place {
  readonly kind: PlaceKind;
  /** The bot can send ordinary messages here. */
  readonly canPost: boolean;
  /** The bot's own messages may carry embeds (Embed Links). */
  readonly canEmbed: boolean;
  /** The bot's own messages may be replies (Read Message History). */
  readonly canReply: boolean;
  /** A public thread can open under a summary posted here, or why not. */
  readonly thread: { readonly ok: true } | ({ readonly ok: false } & NoThreadReason);
  /** Permissions the bot lacks for posting here at all (empty when it can, or is not a member). */
  readonly missingToPost: readonly string[];
  /** Permissions the bot lacks for embeds here. */
  readonly missingToEmbed: readonly string[];
}

/** Discord's names for the permissions Verbatim needs, as its server settings show them. */
const PERMISSION_NAMES: ReadonlyMap<bigint, string> = new Map([
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.ManageThreads, 'Manage Threads'],
]);

/** The facts a place is judged from; gathered by `placeOfInteraction` / `placeOfMessage`. */
export interface PlaceFacts {
  /** Discord's channel type number, or null when the interaction carried no channel. */
  readonly channelType: number | null;
  /** Whether the request came from a guild (a server), whether or not the bot is in it. */
  readonly inGuild: boolean;
  /** Whether the bot user is present where the request came from (a member of the guild, or the DM is with it). */
  readonly botPresent: boolean;
  /** The bot's permissions in the channel (guilds only; null when unknown). */
  readonly permissions: bigint | null;
  /** For threads: locked by a moderator (only Manage Threads may post then). */
  readonly locked?: boolean;
}

const GUILD_WITH_THREADS: ReadonlySet<number> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
]);
const THREADS: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);
const CHATS: ReadonlySet<number> = new Set([ChannelType.GuildVoice, ChannelType.GuildStageVoice]);

const names = (bits: readonly bigint[]): string[] => bits.map((b) => PERMISSION_NAMES.get(b) ?? String(b));

/** Judges a place from its facts: pure, so every channel kind and permission set is testable. */
export function judgePlace(facts: PlaceFacts): Place {
  const kind = placeKind(facts);
  if (kind === 'elsewhere') {
    return {
      kind,
      canPost: false,
      canEmbed: false,
      canReply: false,
      thread: { ok: false, code: facts.inGuild && !facts.botPresent ? 'not_a_member' : 'no_threads_here' },
      missingToPost: [],
      missingToEmbed: [],
    };
  }
  if (kind === 'dm') {
    return {
      kind,
      canPost: true,
      canEmbed: true,
      canReply: true,
      thread: { ok: false, code: 'no_threads_here' },
      missingToPost: [],
      missingToEmbed: [],
    };
  }
  const has = (bit: bigint): boolean => facts.permissions !== null && (facts.permissions & bit) === bit;
  const lacking = (bits: readonly bigint[]): string[] => names(bits.filter((b) => !has(b)));
  const send =
    kind === 'thread' ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  const locked = kind === 'thread' && facts.locked === true;
  const missingToPost = lacking([
    PermissionFlagsBits.ViewChannel,
    send,
    ...(locked ? [PermissionFlagsBits.ManageThreads] : []),
  ]);
  const missingToEmbed = lacking([PermissionFlagsBits.EmbedLinks]);
  const missingForThread = lacking([
    PermissionFlagsBits.CreatePublicThreads,
    PermissionFlagsBits.SendMessagesInThreads,
  ]);
  return {
    kind,
    canPost: missingToPost.length === 0,
    canEmbed: missingToPost.length === 0 && missingToEmbed.length === 0,
    canReply: missingToPost.length === 0 && has(PermissionFlagsBits.ReadMessageHistory),
    thread:
      kind !== 'channel'
        ? { ok: false, code: 'no_threads_here' }
        : missingForThread.length > 0
          ? { ok: false, code: 'missing_permissions', missing: missingForThread }
          : { ok: true },
    missingToPost,
    missingToEmbed,
  };
}

function placeKind(facts: PlaceFacts): PlaceKind {
  const type = facts.channelType;
  if (!facts.botPresent || type === null) return 'elsewhere';
  if (!facts.inGuild) return type === ChannelType.DM ? 'dm' : 'elsewhere';
  if (GUILD_WITH_THREADS.has(type)) return 'channel';
  if (THREADS.has(type)) return 'thread';
  if (CHATS.has(type)) return 'chat';
  return 'elsewhere';
}

/**
 * Where an interaction came from. The bot is present in a guild when the guild is in its cache
 * (it arrived through the gateway, so the bot user is a member), and in a DM when the DM is with
 * the bot (context BOT_DM; older payloads without a context carry the guild-install key as `"0"`).
 * `app_permissions` is the bot's permissions in the channel, overwrites included.
 */
export function placeOfInteraction(interaction: Interaction): Place {
  const inGuild = interaction.guildId !== null;
  const owners = interaction.authorizingIntegrationOwners;
  const botDm =
    !inGuild &&
    (interaction.context === InteractionContextType.BotDM ||
      (interaction.context === null && owners[ApplicationIntegrationType.GuildInstall] !== undefined));
  const botPresent = inGuild ? interaction.client.guilds.cache.has(interaction.guildId ?? '') : botDm;
  // Without the Direct Messages intent discord.js keeps no DM channels: the context says it is one.
  const channel = interaction.channel;
  return judgePlace({
    channelType: botDm ? ChannelType.DM : (channel?.type ?? null),
    inGuild,
    botPresent,
    permissions: inGuild ? interaction.appPermissions.bitfield : null,
    locked: channel?.isThread() === true && channel.locked === true,
  });
}

/** Where a message (a mention, a question) was sent, with the bot's permissions in its channel. */
export function placeOfMessage(message: Message, client: Client): Place {
  const channel = message.channel;
  const me = client.user;
  const permissions =
    !message.inGuild() || !me ? null : (message.channel.permissionsFor(me)?.bitfield ?? null);
  return judgePlace({
    channelType: channel.type,
    inGuild: message.inGuild(),
    botPresent: true,
    permissions,
    locked: channel.isThread() && channel.locked === true,
  });
}

/**
 * The one plain line shown with a public summary when no thread opens under it where one would be
 * expected; null in threads, forum posts and DMs, where a summary never opens one.
 */
export function noThreadNotice(place: Place): string | null {
  if (place.thread.ok || place.kind === 'thread' || place.kind === 'dm') return null;
  switch (place.thread.code) {
    case 'missing_permissions':
      return notices.noThreadMissing(place.thread.missing);
    case 'not_a_member':
      return notices.noThreadNotMember;
    default:
      return notices.noThreadHere;
  }
}

/** A summary's thread, for posting an answer in it as the bot (Ask a question). */
export function placeOfThread(thread: AnyThreadChannel, client: Client): Place {
  const me = client.user;
  return judgePlace({
    channelType: thread.type,
    inGuild: true,
    botPresent: true,
    permissions: me ? (thread.permissionsFor(me)?.bitfield ?? null) : null,
    locked: thread.locked === true,
  });
}
