/** Discord's documented limits that the fake enforces (characters unless a unit is named). */
export const LIMITS = {
  messageContent: 2000,
  /** A message's `nonce` (string length; an integer is also accepted). */
  nonce: 25,
  /**
   * Milliseconds a channel message's nonce is remembered for `enforce_nonce` (Discord: "the past few
   * minutes", not documented exactly).
   */
  nonceWindowMs: 5 * 60_000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds. */
  embedTotal: 6000,
  attachmentsPerMessage: 10,
  /** Bytes per uploaded file for a server without boosts. */
  uploadBytes: 10 * 1024 * 1024,
  actionRows: 5,
  componentsPerRow: 5,
  /** Components V2 messages: every component, nested ones included. */
  componentsV2Total: 40,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectPlaceholder: 150,
  threadNameMin: 1,
  threadNameMax: 100,
  autoArchiveDurations: [60, 1440, 4320, 10080],
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  stringOptionMaxLength: 6000,
  chatInputCommands: 100,
  contextMenuCommandsPerType: 5,
  modalTitle: 45,
  textInputValue: 4000,
  /** A modal label component's label, and a text input's own label. */
  modalLabel: 45,
  textInputPlaceholder: 100,
  /** Milliseconds an app has to acknowledge an interaction. */
  ackDeadlineMs: 3000,
  /** Milliseconds an interaction token stays valid for edits and follow-ups. */
  interactionTokenTtlMs: 15 * 60 * 1000,
} as const;

/** Message flags the fake reads (bit values as in Discord's docs). */
export const MessageFlag = {
  Crossposted: 1 << 0,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressEmbeds: 1 << 2,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

/** Gateway intents the fake filters dispatches by. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  MessageContent: 1 << 15,
} as const;

/** Permission bits the fake checks on REST routes. */
export const Permission = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  AddReactions: 1n << 6n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
} as const;

/**
 * What `app_permissions` holds where the app has no bot user present (a server that only a user
 * installed it in): @everyone's permissions limited to those an interaction response can use, with
 * Attach Files and Embed Links always granted (Discord's change log of 2022-06-29, and
 * discord-api-docs#5316).
 */
export const INTERACTION_RESPONSE_PERMISSIONS: bigint =
  Permission.AttachFiles | Permission.EmbedLinks | Permission.MentionEveryone | Permission.UseExternalEmojis;

/** What a bot invited with the usual scopes gets in a test guild. */
export const DEFAULT_BOT_PERMISSIONS: bigint =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads;

/** What an ordinary member has. */
export const DEFAULT_MEMBER_PERMISSIONS: bigint = DEFAULT_BOT_PERMISSIONS | Permission.CreatePrivateThreads;

export const ChannelType = {
  GuildText: 0,
  DM: 1,
  GuildVoice: 2,
  GroupDM: 3,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  AnnouncementThread: 10,
  PublicThread: 11,
  PrivateThread: 12,
  GuildStageVoice: 13,
  GuildForum: 15,
  GuildMedia: 16,
} as const;

export const isThreadType = (type: number): boolean => type === 10 || type === 11 || type === 12;

/**
 * Channel types whose messages can be posted directly: text, DMs, voice and stage text chat,
 * announcement channels and threads. Forum and media channels take posts (threads), not messages;
 * categories take nothing; an unknown type is refused too, as Discord would for a non-text channel.
 */
export const holdsMessages = (type: number): boolean => [0, 1, 2, 3, 5, 10, 11, 12, 13].includes(type);
