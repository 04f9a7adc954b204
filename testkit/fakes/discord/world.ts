import { EventEmitter } from 'node:events';
import { arrayOr, isRecord, type JsonRecord } from './json.js';
import {
  ChannelType,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  Intent,
  isThreadType,
} from './limits.js';
import { applyContentRule, type ContentRuleContext } from './message-content.js';
import {
  type ApiAttachment,
  type ApiChannel,
  type ApiCommand,
  type ApiMessage,
  type ApiUser,
  type MessageOrigin,
  type StoredFile,
  StoredMessage,
} from './model.js';

export interface GuildState {
  readonly id: string;
  name: string;
  readonly ownerId: string;
  locale: string;
  readonly botRoleId: string;
  botPermissions: bigint;
  memberPermissions: bigint;
  /** Members whose permissions differ from `memberPermissions` (as if by their roles). */
  readonly memberPermissionsById: Map<string, bigint>;
  readonly memberIds: Set<string>;
  readonly joinedAt: string;
  /**
   * Whether the bot user is a member. False models a server where only users installed the app:
   * no GUILD_CREATE, its channels answer 50001 Missing Access, only interaction responses work.
   */
  readonly botMember: boolean;
}

export interface ChannelState {
  readonly api: ApiChannel;
  readonly guildId: string | null;
  /** Overrides the guild's bot permissions in this channel (threads inherit their parent's). */
  botPermissions: bigint | null;
  /** Made at runtime (threads, DMs), as opposed to seeded. */
  readonly runtime: boolean;
}

/**
 * How the world hands events to the gateway: only to the sessions of the guild's shard (null: an
 * event without a guild, e.g. in a DM, for shard 0); `build` runs once per session so it can strip content.
 */
export interface Dispatcher {
  dispatch(event: string, guildId: string | null, build: (session: SessionView) => unknown | null): void;
}

/** What a dispatch builder may know about the receiving gateway session. */
export interface SessionView {
  readonly intents: number;
}

export interface WorldOptions {
  readonly now: () => number;
  readonly nextId: () => string;
  readonly baseUrl: () => string;
  readonly messageContentEnabled: boolean;
  readonly applicationId: string;
  readonly applicationName: string;
  readonly botUsername: string;
}

/** Options for making a message: who, where, what, and how it relates to other messages. */
export interface NewMessage {
  readonly channelId: string;
  readonly author: ApiUser;
  readonly origin: MessageOrigin;
  readonly body: JsonRecord;
  readonly attachments: ApiAttachment[];
  readonly type?: number;
  readonly ephemeral?: boolean;
  readonly interactionId?: string | null;
  readonly extra?: Partial<ApiMessage>;
  /** Users' messages always parse mentions; the bot's follow `allowed_mentions`. */
  readonly parseAllMentions?: boolean;
  /** For replies: whether the replied-to author is pinged (defaults as Discord does). */
  readonly pingReply?: boolean;
  readonly referenced?: StoredMessage | null;
  readonly flags?: number;
}

/**
 * Everything the fake Discord knows: users, guilds, channels, messages, commands, files,
 * interactions. REST handlers and the driver change it; every change emits `change` so waiters wake.
 */
export class World {
  readonly application: { id: string; name: string; flags: number };
  readonly bot: ApiUser;
  readonly users = new Map<string, ApiUser>();
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ChannelState>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channelMessages = new Map<string, StoredMessage[]>();
  readonly files = new Map<string, StoredFile>();
  /** Registered commands by scope: `global` or a guild id. */
  readonly commands = new Map<string, ApiCommand[]>();
  readonly threadIds: string[] = [];
  readonly typing: { channelId: string; at: number }[] = [];
  readonly #events = new EventEmitter();
  #dispatcher: Dispatcher | null = null;

  constructor(readonly options: WorldOptions) {
    this.#events.setMaxListeners(0);
    this.application = {
      id: options.applicationId,
      name: options.applicationName,
      // GATEWAY_MESSAGE_CONTENT_LIMITED (1 << 19): the toggle an unverified app flips in the portal.
      flags: options.messageContentEnabled ? 1 << 19 : 0,
    };
    this.bot = {
      id: options.applicationId,
      username: options.botUsername,
      global_name: null,
      discriminator: '0',
      avatar: null,
      bot: true,
      public_flags: 0,
    };
    this.users.set(this.bot.id, this.bot);
  }

  get now(): number {
    return this.options.now();
  }

  nextId(): string {
    return this.options.nextId();
  }

  isoNow(): string {
    return new Date(this.options.now()).toISOString();
  }

  setDispatcher(dispatcher: Dispatcher): void {
    this.#dispatcher = dispatcher;
  }

  dispatch(event: string, guildId: string | null, build: (session: SessionView) => unknown | null): void {
    this.#dispatcher?.dispatch(event, guildId, build);
  }

  changed(): void {
    this.#events.emit('change');
  }

  /** Resolves once `check` returns a value other than undefined; rejects after `timeoutMs` naming `what`. */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== undefined) {
        resolve(first);
        return;
      }
      const onChange = (): void => {
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#events.off('change', onChange);
      };
      this.#events.on('change', onChange);
    });
  }

  // ---- users, guilds, channels -------------------------------------------------------------

  addUser(seed: { id?: string; username: string; globalName?: string | null; bot?: boolean }): ApiUser {
    const user: ApiUser = {
      id: seed.id ?? this.nextId(),
      username: seed.username,
      global_name: seed.globalName ?? null,
      discriminator: '0',
      avatar: null,
      public_flags: 0,
      ...(seed.bot ? { bot: true } : {}),
    };
    this.users.set(user.id, user);
    for (const guild of this.guilds.values()) guild.memberIds.add(user.id);
    this.changed();
    return user;
  }

  addGuild(seed: {
    id?: string;
    name?: string;
    locale?: string;
    botPermissions?: bigint;
    memberPermissions?: bigint;
    botMember?: boolean;
    /** Default: every user. */
    memberIds?: readonly string[];
  }): GuildState {
    const id = seed.id ?? this.nextId();
    const guild: GuildState = {
      id,
      name: seed.name ?? 'Verbatim Test Guild',
      ownerId: [...this.users.values()].find((u) => !u.bot)?.id ?? this.bot.id,
      locale: seed.locale ?? 'en-US',
      botRoleId: this.nextId(),
      botPermissions: seed.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      memberPermissions: seed.memberPermissions ?? DEFAULT_MEMBER_PERMISSIONS,
      memberPermissionsById: new Map(),
      memberIds: new Set(seed.memberIds ?? this.users.keys()),
      joinedAt: this.isoNow(),
      botMember: seed.botMember ?? true,
    };
    this.guilds.set(id, guild);
    return guild;
  }

  /** A guild channel: text unless `type` says otherwise (announcement, voice, forum, or any number). */
  addTextChannel(
    guildId: string,
    seed: { id?: string; name: string; botPermissions?: bigint; type?: number },
  ): ChannelState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: no guild ${guildId}`);
    const position = [...this.channels.values()].filter(
      (c) => c.guildId === guildId && !isThreadType(c.api.type),
    ).length;
    const api: ApiChannel = {
      id: seed.id ?? this.nextId(),
      type: seed.type ?? ChannelType.GuildText,
      guild_id: guildId,
      name: seed.name,
      position,
      parent_id: null,
      topic: null,
      nsfw: false,
      permission_overwrites:
        seed.botPermissions === undefined ? [] : [botOverwrite(guild, seed.botPermissions)],
      rate_limit_per_user: 0,
      last_message_id: null,
      flags: 0,
    };
    const state: ChannelState = { api, guildId, botPermissions: seed.botPermissions ?? null, runtime: false };
    this.channels.set(api.id, state);
    this.channelMessages.set(api.id, []);
    return state;
  }

  addDmChannel(userId: string): ChannelState {
    const existing = [...this.channels.values()].find(
      (c) => c.api.type === ChannelType.DM && c.api.recipients?.some((u) => u.id === userId),
    );
    if (existing) return existing;
    const user = this.requireUser(userId);
    const api: ApiChannel = {
      id: this.nextId(),
      type: ChannelType.DM,
      last_message_id: null,
      recipients: [user],
      flags: 0,
    };
    const state: ChannelState = { api, guildId: null, botPermissions: null, runtime: true };
    this.channels.set(api.id, state);
    this.channelMessages.set(api.id, []);
    return state;
  }

  addThread(args: {
    id: string;
    parentId: string;
    name: string;
    type: number;
    ownerId: string;
    autoArchiveDuration: number;
    rateLimitPerUser: number;
  }): ChannelState {
    const parent = this.requireChannel(args.parentId);
    const api: ApiChannel = {
      id: args.id,
      type: args.type,
      ...(parent.guildId ? { guild_id: parent.guildId } : {}),
      name: args.name,
      parent_id: parent.api.id,
      owner_id: args.ownerId,
      last_message_id: null,
      rate_limit_per_user: args.rateLimitPerUser,
      flags: 0,
      member_count: 1,
      message_count: 0,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: args.autoArchiveDuration,
        archive_timestamp: this.isoNow(),
        locked: false,
        create_timestamp: this.isoNow(),
        ...(args.type === ChannelType.PrivateThread ? { invitable: true } : {}),
      },
    };
    const state: ChannelState = { api, guildId: parent.guildId, botPermissions: null, runtime: true };
    this.channels.set(api.id, state);
    this.channelMessages.set(api.id, []);
    this.threadIds.push(api.id);
    return state;
  }

  requireUser(id: string): ApiUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake Discord: no user ${id}`);
    return user;
  }

  requireChannel(id: string): ChannelState {
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`fake Discord: no channel ${id}`);
    return channel;
  }

  isDm(channelId: string): boolean {
    return this.channels.get(channelId)?.api.type === ChannelType.DM;
  }

  /** The bot's permissions in a channel: the channel's override, a thread's parent's, else the guild's. */
  botPermissionsIn(channelId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel) return 0n;
    if (channel.guildId === null) return DEFAULT_BOT_PERMISSIONS;
    if (!this.guilds.has(channel.guildId)) return 0n;
    if (channel.botPermissions !== null) return channel.botPermissions;
    if (isThreadType(channel.api.type) && channel.api.parent_id)
      return this.botPermissionsIn(channel.api.parent_id);
    return this.guilds.get(channel.guildId)?.botPermissions ?? 0n;
  }

  /** A member's guild permissions: their own when set (`setMemberPermissions`), else every member's. */
  memberPermissions(guildId: string, userId?: string): bigint {
    const guild = this.guilds.get(guildId);
    return (
      (userId === undefined ? undefined : guild?.memberPermissionsById.get(userId)) ??
      guild?.memberPermissions ??
      0n
    );
  }

  /** A guild member object; `withUser` false gives the shape nested in MESSAGE_CREATE. */
  member(guildId: string, userId: string, withUser = true): JsonRecord {
    const guild = this.guilds.get(guildId);
    const user = this.requireUser(userId);
    const member: JsonRecord = {
      roles: userId === this.bot.id && guild ? [guild.botRoleId] : [],
      nick: null,
      avatar: null,
      joined_at: guild?.joinedAt ?? this.isoNow(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
    if (withUser) member.user = user;
    return member;
  }

  guildRoles(guild: GuildState): JsonRecord[] {
    const role = (
      id: string,
      name: string,
      permissions: bigint,
      position: number,
      managed: boolean,
    ): JsonRecord => ({
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: permissions.toString(),
      managed,
      mentionable: false,
      flags: 0,
      ...(managed ? { tags: { bot_id: this.bot.id } } : {}),
    });
    return [
      role(guild.id, '@everyone', guild.memberPermissions, 0, false),
      role(guild.botRoleId, this.bot.username, guild.botPermissions, 1, true),
    ];
  }

  /** The GUILD_CREATE payload: the guild with its roles, members, channels and active threads. */
  guildCreatePayload(guild: GuildState): JsonRecord {
    const channels = [...this.channels.values()].filter((c) => c.guildId === guild.id);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.guildRoles(guild),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.locale,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.memberIds.size,
      members: [this.member(guild.id, this.bot.id)],
      channels: channels.filter((c) => !isThreadType(c.api.type)).map((c) => c.api),
      threads: channels
        .filter((c) => isThreadType(c.api.type) && !c.api.thread_metadata?.archived)
        .map((c) => c.api),
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** The guild object REST answers with (`GET /guilds/{id}`): GUILD_CREATE without runtime state. */
  guildRestPayload(guild: GuildState): JsonRecord {
    const {
      joined_at: _j,
      large: _l,
      unavailable: _u,
      member_count: _m,
      members: _ms,
      channels: _c,
      threads: _t,
      presences: _p,
      voice_states: _v,
      stage_instances: _s,
      guild_scheduled_events: _g,
      soundboard_sounds: _sb,
      ...rest
    } = this.guildCreatePayload(guild);
    return rest;
  }

  // ---- messages ----------------------------------------------------------------------------

  /** Stores a new message (and indexes it by channel unless ephemeral) and returns it. */
  createMessage(args: NewMessage): StoredMessage {
    const channel = this.requireChannel(args.channelId);
    const body = args.body;
    const referenced = args.referenced ?? null;
    const content = typeof body.content === 'string' ? body.content : '';
    const api: ApiMessage = {
      id: this.nextId(),
      type: args.type ?? (referenced ? 19 : 0),
      channel_id: channel.api.id,
      author: args.author,
      content,
      timestamp: this.isoNow(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: this.#mentions(content, body, referenced, args),
      mention_roles: [],
      attachments: args.attachments,
      embeds: arrayOr(body.embeds),
      components: arrayOr(body.components),
      pinned: false,
      flags: args.flags ?? (typeof body.flags === 'number' ? body.flags : 0),
      ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
      ...(body.poll !== undefined ? { poll: body.poll } : {}),
      ...args.extra,
    };
    if (referenced) {
      api.message_reference = {
        type: 0,
        message_id: referenced.id,
        channel_id: referenced.channelId,
        ...(referenced.guildId ? { guild_id: referenced.guildId } : {}),
      };
      api.referenced_message = referenced.api;
    }
    if (channel.api.thread_metadata) {
      api.position = channel.api.total_message_sent ?? 0;
      channel.api.message_count = (channel.api.message_count ?? 0) + 1;
      channel.api.total_message_sent = (channel.api.total_message_sent ?? 0) + 1;
    }
    const message = new StoredMessage(
      api,
      channel.guildId,
      args.origin,
      args.ephemeral ?? false,
      args.interactionId ?? null,
    );
    this.messages.set(api.id, message);
    if (!message.ephemeral) {
      this.channelMessages.get(channel.api.id)?.push(message);
      channel.api.last_message_id = api.id;
    }
    this.changed();
    return message;
  }

  #mentions(
    content: string,
    body: JsonRecord,
    referenced: StoredMessage | null,
    args: NewMessage,
  ): ApiUser[] {
    const allowed = isRecord(body.allowed_mentions) ? body.allowed_mentions : null;
    const parse = allowed ? arrayOr(allowed.parse) : ['users'];
    const listed = allowed ? arrayOr(allowed.users).map(String) : [];
    const out = new Map<string, ApiUser>();
    for (const match of content.matchAll(/<@!?(\d{17,20})>/g)) {
      const id = match[1] ?? '';
      const user = this.users.get(id);
      if (!user) continue;
      if (args.parseAllMentions || parse.includes('users') || listed.includes(id)) out.set(id, user);
    }
    if (referenced) {
      const ping = args.pingReply ?? (allowed ? allowed.replied_user === true : true);
      const author = this.users.get(referenced.authorId);
      if (ping && author) out.set(author.id, author);
    }
    return [...out.values()];
  }

  /** Applies an edit body to a message: only the fields it sends change, as with Discord's PATCH. */
  editMessage(message: StoredMessage, body: JsonRecord, newAttachments: ApiAttachment[]): void {
    const api = message.api;
    if ('content' in body) api.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) api.embeds = arrayOr(body.embeds);
    if ('components' in body) api.components = arrayOr(body.components);
    if ('flags' in body && typeof body.flags === 'number') {
      // Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 may change on edit; ephemeral and loading stay.
      const changeable = (1 << 2) | (1 << 15);
      api.flags = (api.flags & ~changeable) | (body.flags & changeable);
    }
    if ('attachments' in body) {
      const keep = new Set(
        arrayOr(body.attachments)
          .filter(isRecord)
          .map((a) => String(a.id)),
      );
      api.attachments = api.attachments.filter((a) => keep.has(a.id));
    }
    api.attachments = [...api.attachments, ...newAttachments];
    if ('content' in body || 'embeds' in body || 'allowed_mentions' in body) {
      api.mentions = this.#mentions(api.content, body, null, {
        channelId: api.channel_id,
        author: api.author,
        origin: message.origin,
        body,
        attachments: [],
      });
    }
    api.edited_timestamp = this.isoNow();
    this.changed();
  }

  deleteMessage(message: StoredMessage): void {
    message.deleted = true;
    this.changed();
  }

  // ---- gateway views -----------------------------------------------------------------------

  /** A reader's view of a message under the Message Content rule. */
  contentRule(privileged: boolean): ContentRuleContext {
    return {
      botId: this.bot.id,
      privileged,
      isDm: (id) => this.isDm(id),
      lookup: (id) => this.messages.get(id),
    };
  }

  /** MESSAGE_CREATE / MESSAGE_UPDATE payload for one session, filtered by its intents. */
  messageDispatch(message: StoredMessage, session: SessionView): JsonRecord | null {
    const dm = this.isDm(message.channelId);
    const needed = dm ? Intent.DirectMessages : Intent.GuildMessages;
    if ((session.intents & needed) === 0) return null;
    const privileged = this.options.messageContentEnabled && (session.intents & Intent.MessageContent) !== 0;
    const view: JsonRecord = { ...applyContentRule(message.api, this.contentRule(privileged)) };
    if (message.guildId) {
      view.guild_id = message.guildId;
      if (!message.api.webhook_id || message.api.author.id === this.bot.id) {
        view.member = this.member(message.guildId, message.authorId, false);
      }
    }
    return view;
  }

  dispatchMessageCreate(message: StoredMessage): void {
    if (message.ephemeral) return;
    this.dispatch('MESSAGE_CREATE', message.guildId, (session) => this.messageDispatch(message, session));
  }

  dispatchMessageUpdate(message: StoredMessage): void {
    if (message.ephemeral) return;
    this.dispatch('MESSAGE_UPDATE', message.guildId, (session) => this.messageDispatch(message, session));
  }

  dispatchMessageDelete(message: StoredMessage): void {
    if (message.ephemeral) return;
    const dm = this.isDm(message.channelId);
    this.dispatch('MESSAGE_DELETE', message.guildId, (session) =>
      (session.intents & (dm ? Intent.DirectMessages : Intent.GuildMessages)) === 0
        ? null
        : {
            id: message.id,
            channel_id: message.channelId,
            ...(message.guildId ? { guild_id: message.guildId } : {}),
          },
    );
  }

  /** REST readers see content when the app's toggle is on, whatever the gateway asked for. */
  restView(message: StoredMessage): ApiMessage {
    return applyContentRule(message.api, this.contentRule(this.options.messageContentEnabled));
  }

  // ---- files -------------------------------------------------------------------------------

  /** Stores bytes on the file server and returns the attachment object pointing at them. */
  storeFile(filename: string, contentType: string, bytes: Uint8Array, description?: string): ApiAttachment {
    const id = this.nextId();
    this.files.set(id, { id, filename, contentType, bytes });
    const url = `${this.options.baseUrl()}/attachments/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: bytes.byteLength,
      url,
      proxy_url: url,
      content_type: contentType,
      ...(description !== undefined ? { description } : {}),
    };
  }
}

/**
 * The channel overwrite on the bot's role that makes a client compute what the fake enforces in
 * that channel: it denies what @everyone and the role would otherwise give, and allows the rest.
 */
function botOverwrite(guild: GuildState, permissions: bigint): JsonRecord {
  return {
    id: guild.botRoleId,
    type: 0,
    allow: (permissions & ~guild.botPermissions).toString(),
    deny: ((guild.botPermissions | guild.memberPermissions) & ~permissions).toString(),
  };
}
