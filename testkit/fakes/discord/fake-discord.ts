import { randomBytes } from 'node:crypto';
import { GatewayServer, type GatewayStats, receives, type ShardId } from './gateway.js';
import { FakeHttpServer, type RecordedRequest } from './http-server.js';
import {
  buildCommandOptions,
  buildModalSubmitComponents,
  checkMemberPermissions,
  findComponent,
  type InteractionOrigin,
  interactionBase,
  newInteractionToken,
  type OptionValue,
} from './interaction-payloads.js';
import { InteractionHandle } from './interaction-record.js';
import { arrayOr, charLength, type JsonRecord } from './json.js';
import { ChannelType, holdsMessages, Intent, LIMITS, MessageFlag, Permission } from './limits.js';
import { mentionsUserInContent } from './message-content.js';
import type {
  ApiAttachment,
  ApiChannel,
  ApiCommand,
  ApiUser,
  RecordedPayload,
  StoredMessage,
} from './model.js';
import { type BucketLimit, RateLimiter } from './rate-limits.js';
import { appRoutes, type CommandRegistration } from './routes-app.js';
import { channelRoutes } from './routes-channels.js';
import { interactionRoutes } from './routes-interactions.js';
import { createSnowflakeGenerator, guildIdOnShard, shardOf } from './snowflake.js';
import { type GuildState, World } from './world.js';

export interface ChannelSeed {
  readonly id?: string;
  readonly name: string;
  /** Overrides the guild's bot permissions in this channel. */
  readonly botPermissions?: bigint;
  /**
   * Discord's channel type (`ChannelType` in limits.ts): text by default; announcement (5), voice
   * with its text chat (2), forum (15), or any number, e.g. a type this client does not know.
   */
  readonly type?: number;
  /** Threads already there: forum posts, or threads of a text channel (active, archived, locked). */
  readonly threads?: readonly ThreadSeed[];
  /**
   * Usernames or ids of members this channel is hidden from: a member overwrite denying them View
   * Channel, as a moderator sets one. Clients compute it from the channel's `permission_overwrites`.
   */
  readonly hiddenFrom?: readonly string[];
}

/** A thread that exists before the bot connects (archived ones are not in GUILD_CREATE, as in Discord). */
export interface ThreadSeed {
  readonly id?: string;
  readonly name: string;
  readonly archived?: boolean;
  /** Locked by a moderator: only members with Manage Threads may post or unarchive it. */
  readonly locked?: boolean;
}

export interface GuildSeed {
  readonly id?: string;
  /**
   * The shard (of `FakeDiscordOptions.shards`) whose sessions receive this guild's events; the fake
   * picks an id that lands there (`guildIdOnShard`). Default: wherever `id` (or a fresh id) lands.
   */
  readonly shard?: number;
  readonly name?: string;
  readonly locale?: string;
  readonly botPermissions?: bigint;
  readonly memberPermissions?: bigint;
  /** Text channels; default one named `general`. */
  readonly channels?: readonly ChannelSeed[];
  /**
   * False: the bot user is not a member (the app is only installed by users there). The guild is
   * not sent to the gateway, its channels refuse the bot (50001), and interactions from it carry
   * `authorizing_integration_owners` without the guild key. Default true.
   */
  readonly botMember?: boolean;
  /**
   * Usernames or ids of the seeded users who are members (only members can use commands, post or
   * start threads there). Default: every user; `addUser` adds a new user to every guild.
   */
  readonly members?: readonly string[];
}

export interface UserSeed {
  readonly id?: string;
  readonly username: string;
  readonly globalName?: string;
  /** A bot account (another app's bot user), whose messages and reactions carry `bot: true`. */
  readonly bot?: boolean;
}

/** A user's reaction (see `FakeDiscord.addUserReaction`). */
export interface UserReactionInput {
  readonly messageId: string;
  /** A Unicode emoji (`{ name: '📰' }`) or a custom one (`{ id, name, animated? }`). */
  readonly emoji: { readonly name: string; readonly id?: string; readonly animated?: boolean };
  readonly user?: string | { readonly id: string };
}

export interface FakeDiscordOptions {
  /** Bot token the client must present (REST `Authorization: Bot …`, gateway IDENTIFY). Default: a generated one. */
  readonly token?: string;
  readonly applicationId?: string;
  readonly botUsername?: string;
  /** HELLO's heartbeat interval in ms (Discord: ~41,250). Use a short one to see heartbeats in a test. */
  readonly heartbeatIntervalMs?: number;
  /** Whether the Message Content privileged intent is enabled for the app. Default false. */
  readonly messageContentEnabled?: boolean;
  /** Other privileged intents enabled for the app; requesting a disabled one closes the gateway with 4014. */
  readonly privilegedIntents?: { readonly guildMembers?: boolean; readonly guildPresences?: boolean };
  /** Acknowledgement deadline in ms (Discord: 3,000). */
  readonly ackDeadlineMs?: number;
  /** Interaction token lifetime in ms (Discord: 15 minutes). */
  readonly interactionTokenTtlMs?: number;
  /** Bytes per uploaded file (Discord: 10 MiB without boosts). */
  readonly maxUploadBytes?: number;
  /** Per-route bucket overrides keyed `'POST /channels/:channel/messages'`, or false for no buckets. */
  readonly rateLimits?: Readonly<Record<string, BucketLimit>> | false;
  /** Refuse to send commands that the bot has not registered, and check options against definitions. Default true. */
  readonly requireRegisteredCommands?: boolean;
  /** Default: one guild with `#general`. */
  readonly guilds?: readonly GuildSeed[];
  /** Default: alice and bob. */
  readonly users?: readonly UserSeed[];
  /** Clock for Discord-side time (deadlines, token expiry, timestamps). Default Date.now; see also `advanceTime`. */
  readonly now?: () => number;
  /**
   * The shard count `GET /gateway/bot` recommends (default 1). Sessions may identify with any
   * `[shard_id, num_shards]`: each gets READY, GUILD_CREATE and every dispatch of the guilds with
   * `(guild_id >> 22) % num_shards === shard_id`, and events without a guild (DMs) go to shard 0.
   */
  readonly shards?: number;
  /** `session_start_limit.max_concurrency` (default 1: discord.js then waits 5 s between identifies of one client). */
  readonly maxConcurrency?: number;
}

export interface SlashCommandInput extends InteractionOrigin {
  readonly name: string;
  readonly options?: Readonly<Record<string, OptionValue>>;
  /** Attachment options by option name (same as passing them in `options`). */
  readonly attachments?: Readonly<Record<string, ApiAttachment>>;
  readonly subcommand?: string;
  readonly subcommandGroup?: string;
}

export interface MessageContextMenuInput extends InteractionOrigin {
  readonly name: string;
  readonly targetMessageId: string;
}

export interface ButtonInput extends InteractionOrigin {
  readonly customId: string;
  readonly messageId: string;
}

export interface SelectInput extends InteractionOrigin {
  readonly customId: string;
  readonly messageId: string;
  /** The chosen options' values (each must be one of the menu's). */
  readonly values: readonly string[];
}

export interface ModalSubmitInput extends InteractionOrigin {
  readonly customId: string;
  readonly fields: Readonly<Record<string, string>>;
  /** The interaction that showed the modal; default: the latest one that showed a modal with this custom id. */
  readonly fromInteraction?: InteractionHandle;
}

export interface UserMessageInput {
  readonly channelId?: string;
  readonly content: string;
  readonly user?: string | { readonly id: string };
  /** Adds `<@bot>` to the content when it is not there yet. */
  readonly mentionsBot?: boolean;
  readonly replyToMessageId?: string;
  /** For replies: whether the reply pings the replied-to author. Default true, as in Discord's client. */
  readonly pingReply?: boolean;
  readonly attachments?: readonly ApiAttachment[];
  readonly embeds?: readonly unknown[];
  /** The author has Manage Threads: may post in a locked thread (which unarchives it). */
  readonly moderator?: boolean;
}

/**
 * A fake Discord on 127.0.0.1 for the real discord.js client: REST at `apiUrl`, the gateway, a file
 * server, and a driver for tests. Create with `startFakeDiscord()`; `close()` after destroying clients.
 */
export class FakeDiscord {
  readonly world: World;
  readonly token: string;
  /** Base URL for `new Client({ rest: { api } })` and `new REST({ api })` (`…/api`; discord.js adds `/v10`). */
  apiUrl = '';
  /** `http://127.0.0.1:PORT`: the file server and the gateway's host. */
  baseUrl = '';
  gatewayUrl = '';
  readonly commandRegistrations: CommandRegistration[] = [];
  readonly #interactions = new Map<string, InteractionHandle>();
  readonly #byToken = new Map<string, InteractionHandle>();
  /** `message|emoji|user` of every reaction added through the driver. */
  readonly #reactions = new Set<string>();
  readonly #gateway: GatewayServer;
  readonly #http: FakeHttpServer;
  readonly #rateLimiter: RateLimiter;
  readonly #options: FakeDiscordOptions;
  /** The shard count `GET /gateway/bot` recommends. */
  readonly shardCount: number;
  #clockOffset = 0;
  #ackDeadlineMs: number;
  #tokenTtlMs: number;

  constructor(options: FakeDiscordOptions = {}) {
    this.#options = options;
    const baseNow = options.now ?? Date.now;
    const now = (): number => baseNow() + this.#clockOffset;
    const nextId = createSnowflakeGenerator(now);
    const applicationId = options.applicationId ?? nextId();
    this.token =
      options.token ??
      `${Buffer.from(applicationId).toString('base64url')}.ZmFrZQ.${randomBytes(20).toString('base64url')}`;
    this.#ackDeadlineMs = options.ackDeadlineMs ?? LIMITS.ackDeadlineMs;
    this.#tokenTtlMs = options.interactionTokenTtlMs ?? LIMITS.interactionTokenTtlMs;
    this.world = new World({
      now,
      nextId,
      baseUrl: () => this.baseUrl,
      messageContentEnabled: options.messageContentEnabled ?? false,
      applicationId,
      applicationName: options.botUsername ?? 'Verbatim',
      botUsername: options.botUsername ?? 'Verbatim',
    });
    for (const seed of options.users ?? [{ username: 'alice' }, { username: 'bob' }])
      this.world.addUser(seed);
    const shardCount = options.shards ?? 1;
    if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error('fake Discord: shards must be ≥ 1');
    this.shardCount = shardCount;
    const seededOnShard = new Map<number, number>();
    for (const seed of options.guilds ?? [{}]) {
      let id = seed.id;
      if (seed.shard !== undefined) {
        const seq = seededOnShard.get(seed.shard) ?? 0;
        seededOnShard.set(seed.shard, seq + 1);
        id ??= guildIdOnShard(seed.shard, shardCount, seq);
        if (shardOf(id, shardCount) !== seed.shard) {
          throw new Error(
            `fake Discord: guild id ${id} is on shard ${shardOf(id, shardCount)}, not ${seed.shard}`,
          );
        }
      }
      const guild = this.world.addGuild({
        ...seed,
        ...(id === undefined ? {} : { id }),
        ...(seed.members === undefined
          ? {}
          : { memberIds: seed.members.map((m) => (this.world.users.get(m) ?? this.userByName(m)).id) }),
      });
      for (const channel of seed.channels ?? [{ name: 'general' }]) {
        const state = this.world.addTextChannel(guild.id, channel);
        for (const who of channel.hiddenFrom ?? []) {
          const user = this.world.users.get(who) ?? this.userByName(who);
          state.api.permission_overwrites = [
            ...(state.api.permission_overwrites ?? []),
            { id: user.id, type: 1, allow: '0', deny: Permission.ViewChannel.toString() },
          ];
        }
        for (const thread of channel.threads ?? []) this.#seedThread(state.api.id, thread);
      }
    }

    const privileged =
      (options.messageContentEnabled ? Intent.MessageContent : 0) |
      (options.privilegedIntents?.guildMembers ? Intent.GuildMembers : 0) |
      (options.privilegedIntents?.guildPresences ? Intent.GuildPresences : 0);
    this.#gateway = new GatewayServer({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      enabledPrivilegedIntents: privileged,
      url: () => this.gatewayUrl,
      onChange: () => this.world.changed(),
      ready: (sessionId, shard) => ({
        ready: {
          v: 10,
          user: this.world.bot,
          guilds: this.#memberGuilds(shard).map((g) => ({ id: g.id, unavailable: true })),
          session_id: sessionId,
          session_type: 'normal',
          resume_gateway_url: this.gatewayUrl,
          shard,
          application: { id: this.world.application.id, flags: this.world.application.flags },
          user_settings: {},
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
          auth: {},
        },
        guilds: this.#memberGuilds(shard).map((g) => this.world.guildCreatePayload(g)),
      }),
    });
    this.world.setDispatcher(this.#gateway);
    this.#rateLimiter = new RateLimiter(options.rateLimits ?? {});
    const routes = [
      ...appRoutes({
        world: this.world,
        gatewayUrl: () => this.gatewayUrl,
        registrations: this.commandRegistrations,
        shards: shardCount,
        maxConcurrency: options.maxConcurrency ?? 1,
      }),
      ...channelRoutes(this.world),
      ...interactionRoutes({
        world: this.world,
        byId: this.#interactions,
        byToken: this.#byToken,
        ackDeadlineMs: () => this.#ackDeadlineMs,
        tokenTtlMs: () => this.#tokenTtlMs,
      }),
    ];
    this.#http = new FakeHttpServer(this.world, this.#gateway, this.#rateLimiter, routes, {
      token: this.token,
      maxUploadBytes: options.maxUploadBytes ?? LIMITS.uploadBytes,
    });
  }

  async listen(): Promise<void> {
    const port = await this.#http.listen();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
  }

  /** Stops the gateway and the HTTP server. Destroy discord.js clients first. */
  async close(): Promise<void> {
    await this.#gateway.close();
    await this.#http.close();
  }

  // ---- ids and seeds -----------------------------------------------------------------------

  get applicationId(): string {
    return this.world.application.id;
  }
  get botUser(): ApiUser {
    return this.world.bot;
  }
  /** The first seeded guild the bot is a member of. */
  get guildId(): string {
    const [guild] = this.#memberGuilds();
    if (!guild) throw new Error('fake Discord: no guild');
    return guild.id;
  }
  /** The first seeded text channel of a guild the bot is a member of. */
  get channelId(): string {
    const channel = [...this.world.channels.values()].find(
      (c) =>
        c.api.type === ChannelType.GuildText &&
        c.guildId !== null &&
        this.world.guilds.get(c.guildId)?.botMember === true,
    );
    if (!channel) throw new Error('fake Discord: no text channel');
    return channel.api.id;
  }
  /** The first seeded (human) user. */
  get user(): ApiUser {
    const user = [...this.world.users.values()].find((u) => !u.bot);
    if (!user) throw new Error('fake Discord: no user');
    return user;
  }
  userByName(username: string): ApiUser {
    const user = [...this.world.users.values()].find((u) => u.username === username);
    if (!user) throw new Error(`fake Discord: no user named ${username}`);
    return user;
  }
  channelByName(name: string, guildId = this.guildId): ApiChannel {
    const channel = [...this.world.channels.values()].find(
      (c) => c.guildId === guildId && c.api.name === name,
    );
    if (!channel) throw new Error(`fake Discord: no channel #${name}`);
    return channel.api;
  }
  addUser(seed: UserSeed): ApiUser {
    return this.world.addUser(seed);
  }
  /**
   * Gives one member their own guild permissions (as their roles would), e.g. `Permission.ManageGuild`
   * for an admin; they gate commands with `default_member_permissions` and appear in `member.permissions`.
   */
  setMemberPermissions(userId: string, permissions: bigint, guildId: string = this.guildId): void {
    const guild = this.world.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: no guild ${guildId}`);
    this.world.requireUser(userId);
    guild.memberPermissionsById.set(userId, permissions);
  }
  /** A DM channel between the bot and a user (for the DM exemption of the Message Content rule). */
  openDm(userId: string = this.user.id): ApiChannel {
    return this.world.addDmChannel(userId).api;
  }
  /** The current state of a channel or thread. */
  channel(id: string): ApiChannel {
    return this.world.requireChannel(id).api;
  }

  /** A seeded thread under a channel: a forum post, or a text channel's thread, maybe archived or locked. */
  #seedThread(parentId: string, seed: ThreadSeed): void {
    const parent = this.world.requireChannel(parentId);
    const thread = this.world.addThread({
      id: seed.id ?? this.world.nextId(),
      parentId,
      name: seed.name,
      type:
        parent.api.type === ChannelType.GuildAnnouncement
          ? ChannelType.AnnouncementThread
          : ChannelType.PublicThread,
      ownerId: this.user.id,
      autoArchiveDuration: 1440,
      rateLimitPerUser: 0,
    });
    const meta = thread.api.thread_metadata;
    if (meta) {
      meta.archived = seed.archived ?? false;
      meta.locked = seed.locked ?? false;
    }
    // `threads()` lists the threads made while the test runs, not the seeded ones.
    this.world.threadIds.splice(this.world.threadIds.indexOf(thread.api.id), 1);
  }

  /** Guilds the bot is in, all or those a session of `shard` receives. */
  #memberGuilds(shard?: ShardId): GuildState[] {
    return [...this.world.guilds.values()].filter(
      (g) => g.botMember && (shard === undefined || receives(shard, g.id)),
    );
  }

  // ---- clock -------------------------------------------------------------------------------

  /** The fake's clock (ms). */
  now(): number {
    return this.world.now;
  }
  /** Moves Discord-side time forward, e.g. past the 15-minute token lifetime, without waiting. */
  advanceTime(ms: number): void {
    this.#clockOffset += ms;
    this.world.changed();
  }
  setAckDeadline(ms: number): void {
    this.#ackDeadlineMs = ms;
  }

  // ---- interactions ------------------------------------------------------------------------

  sendSlashCommand(input: SlashCommandInput): InteractionHandle {
    const { channelId, guildId, userId } = this.#origin(input);
    if (this.world.requireChannel(channelId).api.thread_metadata?.archived) {
      throw new Error('fake Discord: application commands cannot be used in archived threads');
    }
    const command = this.#command(1, input.name, guildId);
    checkMemberPermissions(this.world, command, guildId, userId);
    const path = [input.subcommandGroup, input.subcommand].filter((p): p is string => p !== undefined);
    const values = { ...input.options, ...input.attachments };
    const { options, resolved } = buildCommandOptions(this.world, command, path, values, guildId);
    const data: JsonRecord = {
      id: command?.id ?? this.world.nextId(),
      name: input.name,
      type: 1,
      ...(options.length > 0 ? { options } : {}),
      ...(resolved ? { resolved } : {}),
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
    return this.#dispatchInteraction(
      'slash',
      2,
      input.name,
      { channelId, guildId, userId },
      input.locale,
      data,
      null,
      {},
    );
  }

  sendMessageContextMenu(input: MessageContextMenuInput): InteractionHandle {
    const target = this.world.messages.get(input.targetMessageId);
    if (!target || target.deleted || target.ephemeral) {
      throw new Error(`fake Discord: no message ${input.targetMessageId} to open a context menu on`);
    }
    const { guildId, userId } = this.#origin({ ...input, channelId: input.channelId ?? target.channelId });
    const command = this.#command(3, input.name, guildId);
    checkMemberPermissions(this.world, command, guildId, userId);
    // The target arrives in full: this is one of the Message Content intent's exemptions.
    const full: JsonRecord = { ...target.api, ...(target.guildId ? { guild_id: target.guildId } : {}) };
    const data: JsonRecord = {
      id: command?.id ?? this.world.nextId(),
      name: input.name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: full } },
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    };
    return this.#dispatchInteraction(
      'message-context',
      2,
      input.name,
      { channelId: target.channelId, guildId, userId },
      input.locale,
      data,
      null,
      {},
    );
  }

  sendButton(input: ButtonInput): InteractionHandle {
    const { message, component } = this.#componentOn(input.messageId, input.customId, 2, 'button');
    if (component.disabled === true) throw new Error(`fake Discord: button "${input.customId}" is disabled`);
    return this.#dispatchComponent('button', input, message, {
      custom_id: input.customId,
      component_type: 2,
    });
  }

  /** A user picks options in a string select menu on a message (ephemeral ones included). */
  sendSelect(input: SelectInput): InteractionHandle {
    const { message, component } = this.#componentOn(input.messageId, input.customId, 3, 'select menu');
    const offered = new Set(arrayOr(component.options).map((o) => (o as JsonRecord).value));
    const min = typeof component.min_values === 'number' ? component.min_values : 1;
    const max = typeof component.max_values === 'number' ? component.max_values : 1;
    if (input.values.length < min || input.values.length > max || input.values.some((v) => !offered.has(v))) {
      throw new Error(
        `fake Discord: values ${JSON.stringify(input.values)} are not choices of "${input.customId}"`,
      );
    }
    return this.#dispatchComponent('select', input, message, {
      custom_id: input.customId,
      component_type: 3,
      values: [...input.values],
    });
  }

  /** The message `messageId` and its component `customId` of `type` (2 button, 3 select menu). */
  #componentOn(messageId: string, customId: string, type: number, what: string) {
    const message = this.world.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`fake Discord: no message ${messageId}`);
    const component = findComponent(message, customId);
    if (component?.type !== type) {
      throw new Error(`fake Discord: message ${messageId} has no ${what} "${customId}"`);
    }
    return { message, component };
  }

  /** A component interaction (type 3) on `message`, by the input's user. */
  #dispatchComponent(
    kind: 'button' | 'select',
    input: ButtonInput | SelectInput,
    message: StoredMessage,
    data: JsonRecord,
  ): InteractionHandle {
    const { guildId, userId } = this.#origin({ ...input, channelId: message.channelId });
    return this.#dispatchInteraction(
      kind,
      3,
      input.customId,
      { channelId: message.channelId, guildId, userId },
      input.locale,
      data,
      message.id,
      { message: { ...message.api } },
    );
  }

  sendModalSubmit(input: ModalSubmitInput): InteractionHandle {
    const shownBy =
      input.fromInteraction ??
      [...this.#interactions.values()]
        .reverse()
        .find((h) => h.modal !== null && h.modal.custom_id === input.customId);
    const modal = shownBy?.modal;
    if (!shownBy || !modal || modal.custom_id !== input.customId) {
      throw new Error(`fake Discord: no modal "${input.customId}" was shown`);
    }
    if (shownBy.modalSubmitted)
      throw new Error(`fake Discord: modal "${input.customId}" was already submitted`);
    const components = buildModalSubmitComponents(modal, input.fields);
    shownBy.modalSubmitted = true;
    const { guildId, userId } = this.#origin({
      ...input,
      channelId: shownBy.channelId,
      user: input.user ?? shownBy.userId,
    });
    const source = shownBy.sourceMessageId ? this.world.messages.get(shownBy.sourceMessageId) : undefined;
    const data: JsonRecord = { custom_id: input.customId, components };
    return this.#dispatchInteraction(
      'modal-submit',
      5,
      input.customId,
      { channelId: shownBy.channelId, guildId, userId },
      input.locale,
      data,
      source?.id ?? null,
      source ? { message: { ...source.api } } : {},
    );
  }

  /** Every interaction sent so far, oldest first. */
  interactions(): InteractionHandle[] {
    return [...this.#interactions.values()];
  }

  #origin(input: InteractionOrigin): { channelId: string; guildId: string | null; userId: string } {
    const channelId = input.channelId ?? this.channelId;
    const channel = this.world.requireChannel(channelId);
    const guildId = channel.guildId;
    if (guildId !== null && !this.world.guilds.has(guildId)) {
      throw new Error(`fake Discord: the bot is no longer in guild ${guildId}`);
    }
    if (input.guildId !== undefined && input.guildId !== guildId) {
      throw new Error(`fake Discord: channel ${channelId} is not in guild ${input.guildId}`);
    }
    const userId =
      input.user === undefined ? this.user.id : typeof input.user === 'string' ? input.user : input.user.id;
    this.world.requireUser(userId);
    if (guildId !== null && this.world.guilds.get(guildId)?.memberIds.has(userId) === false) {
      throw new Error(`fake Discord: user ${userId} is not a member of guild ${guildId}`);
    }
    return { channelId, guildId, userId };
  }

  #command(type: number, name: string, guildId: string | null): ApiCommand | null {
    const scopes = guildId ? [guildId, 'global'] : ['global'];
    const userInstalledOnly = guildId !== null && this.world.guilds.get(guildId)?.botMember === false;
    for (const scope of scopes) {
      const found = this.world.commands.get(scope)?.find((c) => c.type === type && c.name === name);
      if (!found) continue;
      if (userInstalledOnly && !arrayOr(found.integration_types).includes(1)) {
        throw new Error(
          `fake Discord: "${name}" is not user-installable (integration_types ${JSON.stringify(found.integration_types ?? [0])}), so Discord does not offer it in a server without the bot`,
        );
      }
      return found;
    }
    if (this.#options.requireRegisteredCommands === false) return null;
    const registered = scopes
      .flatMap((s) => this.world.commands.get(s) ?? [])
      .map((c) => `${c.name} (type ${c.type})`);
    throw new Error(
      `fake Discord: command "${name}" (type ${type}) is not registered; registered: ${registered.join(', ') || 'none'}`,
    );
  }

  #dispatchInteraction(
    kind: InteractionHandle['kind'],
    type: number,
    name: string,
    where: { channelId: string; guildId: string | null; userId: string },
    locale: string | undefined,
    data: JsonRecord,
    sourceMessageId: string | null,
    extra: JsonRecord,
  ): InteractionHandle {
    if (!this.#gateway.hasSessionFor(where.guildId)) {
      throw new Error(
        this.#gateway.shards.length === 0
          ? 'fake Discord: no bot is connected to the gateway'
          : `fake Discord: no gateway session receives ${where.guildId === null ? 'DMs (shard 0)' : `guild ${where.guildId}`}; sessions: ${JSON.stringify(this.#gateway.shards)}`,
      );
    }
    const id = this.world.nextId();
    const token = newInteractionToken();
    const payload: JsonRecord = {
      ...interactionBase(this.world, {
        id,
        token,
        type,
        channelId: where.channelId,
        userId: where.userId,
        locale: locale ?? 'en-US',
        maxUploadBytes: this.#options.maxUploadBytes ?? LIMITS.uploadBytes,
      }),
      data,
      ...extra,
    };
    const handle = new InteractionHandle(
      this.world,
      id,
      token,
      kind,
      type,
      name,
      where.channelId,
      where.guildId,
      where.userId,
      this.world.now,
      sourceMessageId,
      payload,
    );
    this.#interactions.set(id, handle);
    this.#byToken.set(token, handle);
    this.world.dispatch('INTERACTION_CREATE', where.guildId, () => payload);
    return handle;
  }

  // ---- messages ----------------------------------------------------------------------------

  /** A user's message, dispatched as MESSAGE_CREATE under the Message Content rule. */
  postUserMessage(input: UserMessageInput): StoredMessage {
    const channelId = input.channelId ?? this.channelId;
    const channel = this.world.requireChannel(channelId);
    if (!holdsMessages(channel.api.type)) {
      throw new Error(`fake Discord: channel ${channelId} (type ${channel.api.type}) takes no messages`);
    }
    const meta = channel.api.thread_metadata;
    if (meta?.locked && !input.moderator) {
      throw new Error('fake Discord: only members with Manage Threads can post in a locked thread');
    }
    if (meta?.archived) {
      // A message unarchives the thread first, so clients learn of it before the message.
      meta.archived = false;
      meta.archive_timestamp = this.world.isoNow();
      this.world.dispatch('THREAD_UPDATE', channel.guildId, (s) =>
        (s.intents & Intent.Guilds) === 0 ? null : channel.api,
      );
    }
    const userId =
      input.user === undefined ? this.user.id : typeof input.user === 'string' ? input.user : input.user.id;
    const author = this.world.requireUser(userId);
    if (channel.guildId !== null && this.world.guilds.get(channel.guildId)?.memberIds.has(userId) === false) {
      throw new Error(`fake Discord: user ${userId} is not a member of guild ${channel.guildId}`);
    }
    let content = input.content;
    if (input.mentionsBot && !mentionsUserInContent(content, this.world.bot.id))
      content = `<@${this.world.bot.id}> ${content}`;
    if (charLength(content) > LIMITS.messageContent)
      throw new Error('fake Discord: a user message is limited to 2,000 characters too');
    let referenced: StoredMessage | null = null;
    if (input.replyToMessageId !== undefined) {
      referenced = this.world.messages.get(input.replyToMessageId) ?? null;
      if (!referenced || referenced.deleted || referenced.channelId !== channelId) {
        throw new Error(
          `fake Discord: no message ${input.replyToMessageId} in channel ${channelId} to reply to`,
        );
      }
    }
    const message = this.world.createMessage({
      channelId,
      author,
      origin: 'user',
      body: { content, embeds: [...(input.embeds ?? [])] },
      attachments: [...(input.attachments ?? [])],
      referenced,
      parseAllMentions: true,
      pingReply: input.pingReply ?? true,
    });
    this.world.dispatchMessageCreate(message);
    return message;
  }

  /**
   * A message posted through a channel webhook (an integration, a feed): `webhook_id` set, the
   * author a webhook user named `username`. Dispatched as MESSAGE_CREATE like a user's.
   */
  postWebhookMessage(input: {
    readonly content: string;
    readonly channelId?: string;
    readonly username?: string;
  }): StoredMessage {
    const channelId = input.channelId ?? this.channelId;
    this.world.requireChannel(channelId);
    const webhookId = this.world.nextId();
    const message = this.world.createMessage({
      channelId,
      author: {
        id: webhookId,
        username: input.username ?? 'News feed',
        global_name: null,
        discriminator: '0000',
        avatar: null,
        public_flags: 0,
        bot: true,
      },
      origin: 'user',
      body: { content: input.content },
      attachments: [],
      extra: { webhook_id: webhookId },
      parseAllMentions: true,
    });
    this.world.dispatchMessageCreate(message);
    return message;
  }

  /** The author edits their message's text: MESSAGE_UPDATE is dispatched (under the Message Content rule). */
  editUserMessage(messageId: string, content: string): StoredMessage {
    const message = this.world.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`fake Discord: no message ${messageId} to edit`);
    if (message.origin !== 'user') throw new Error(`fake Discord: message ${messageId} is not a user's`);
    this.world.editMessage(message, { content }, []);
    this.world.dispatchMessageUpdate(message);
    return message;
  }

  /** The author (or a moderator) deletes a message: MESSAGE_DELETE is dispatched. */
  deleteUserMessage(messageId: string): void {
    const message = this.world.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`fake Discord: no message ${messageId} to delete`);
    this.world.deleteMessage(message);
    this.world.dispatchMessageDelete(message);
  }

  /**
   * A user reacts to a message: the message's reaction count goes up (one per user and emoji) and
   * MESSAGE_REACTION_ADD goes to sessions with the Guild Message Reactions intent (Direct Message
   * Reactions in DMs), shaped as Discord sends it: ids, the emoji, `member` in guilds,
   * `message_author_id`, `burst: false`, `type: 0`. Returns false (nothing dispatched) when that user
   * had already reacted with that emoji, as Discord ignores the repeat.
   */
  addUserReaction(input: UserReactionInput): boolean {
    const message = this.world.messages.get(input.messageId);
    if (!message || message.deleted || message.ephemeral) {
      throw new Error(`fake Discord: no message ${input.messageId} to react to`);
    }
    const userId =
      input.user === undefined ? this.user.id : typeof input.user === 'string' ? input.user : input.user.id;
    const user = this.world.requireUser(userId);
    if (message.guildId !== null && this.world.guilds.get(message.guildId)?.memberIds.has(userId) === false) {
      throw new Error(`fake Discord: user ${userId} is not a member of guild ${message.guildId}`);
    }
    const emoji = {
      id: input.emoji.id ?? null,
      name: input.emoji.name,
      ...(input.emoji.animated ? { animated: true } : {}),
    };
    const key = `${message.id}|${emoji.id ?? emoji.name}|${userId}`;
    if (this.#reactions.has(key)) return false;
    this.#reactions.add(key);
    if (!message.api.reactions) message.api.reactions = [];
    const existing = message.api.reactions.find(
      (r) => (r.emoji.id ?? r.emoji.name) === (emoji.id ?? emoji.name),
    );
    if (existing) existing.count++;
    else message.api.reactions.push({ count: 1, me: userId === this.world.bot.id, emoji });
    const dm = this.world.isDm(message.channelId);
    this.world.dispatch('MESSAGE_REACTION_ADD', message.guildId, (session) =>
      (session.intents & (dm ? Intent.DirectMessageReactions : Intent.GuildMessageReactions)) === 0
        ? null
        : {
            user_id: user.id,
            channel_id: message.channelId,
            message_id: message.id,
            ...(message.guildId
              ? { guild_id: message.guildId, member: this.world.member(message.guildId, user.id) }
              : {}),
            emoji,
            message_author_id: message.authorId,
            burst: false,
            burst_colors: [],
            type: 0,
          },
    );
    return true;
  }

  /**
   * A user starts a thread, from a message (thread id = message id) or bare in a channel; the bot
   * gets THREAD_CREATE as Discord sends it to members who can see the thread.
   */
  startUserThread(input: {
    readonly name: string;
    readonly messageId?: string;
    readonly channelId?: string;
    readonly user?: string | { readonly id: string };
    readonly autoArchiveDuration?: 60 | 1440 | 4320 | 10080;
  }): ApiChannel {
    const starter = input.messageId === undefined ? null : this.world.messages.get(input.messageId);
    if (input.messageId !== undefined && (!starter || starter.deleted || starter.ephemeral)) {
      throw new Error(`fake Discord: no message ${input.messageId} to start a thread from`);
    }
    if (starter && (starter.threadId !== null || this.world.channels.has(starter.id))) {
      throw new Error(`fake Discord: message ${starter.id} already has a thread`);
    }
    const parentId = starter?.channelId ?? input.channelId ?? this.channelId;
    const { userId } = this.#origin({
      channelId: parentId,
      ...(input.user === undefined ? {} : { user: input.user }),
    });
    const name = input.name.trim();
    if (charLength(name) < 1 || charLength(name) > LIMITS.threadNameMax) {
      throw new Error('fake Discord: thread names are 1–100 characters');
    }
    const thread = this.world.addThread({
      id: starter?.id ?? this.world.nextId(),
      parentId,
      name,
      type: ChannelType.PublicThread,
      ownerId: userId,
      autoArchiveDuration: input.autoArchiveDuration ?? 4320,
      rateLimitPerUser: 0,
    });
    this.world.dispatch('THREAD_CREATE', thread.guildId, (session) =>
      (session.intents & Intent.Guilds) === 0 ? null : { ...thread.api, newly_created: true },
    );
    if (starter) {
      starter.threadId = thread.api.id;
      starter.api.thread = thread.api;
      starter.api.flags |= MessageFlag.HasThread;
      this.world.dispatchMessageUpdate(starter);
    }
    return thread.api;
  }

  /** Resolves with the first message in the channel (null: any channel) matching the predicate, past or future. */
  waitForMessage(
    channelId: string | null,
    predicate: (message: StoredMessage) => boolean = (m) => m.authorId === this.world.bot.id,
    timeoutMs = 5000,
  ): Promise<StoredMessage> {
    return this.world.waitUntil(
      () =>
        [...this.world.messages.values()].find(
          (m) =>
            !m.deleted && !m.ephemeral && (channelId === null || m.channelId === channelId) && predicate(m),
        ),
      timeoutMs,
      () =>
        `a message in ${channelId ?? 'any channel'} matching the predicate (have: ${
          this.messages(channelId)
            .map(
              (m) =>
                `${m.authorId === this.world.bot.id ? 'bot' : m.authorId}: ${JSON.stringify(m.content.slice(0, 60))}`,
            )
            .join('; ') || 'none'
        })`,
    );
  }

  /** Messages in a channel (null: all channels), oldest first, without deleted or ephemeral ones. */
  messages(channelId: string | null): StoredMessage[] {
    const list =
      channelId === null
        ? [...this.world.messages.values()].filter((m) => !m.ephemeral)
        : (this.world.channelMessages.get(channelId) ?? []);
    return list.filter((m) => !m.deleted);
  }

  /** Any stored message by id (ephemeral and deleted ones included). */
  message(id: string): StoredMessage | undefined {
    return this.world.messages.get(id);
  }

  /**
   * Every raw body the bot sent for messages (creates, edits, callbacks' message data), oldest
   * first, with the message it made or changed: the input for assertions and for a preview tool.
   */
  recordedPayloads(): { messageId: string; channelId: string; payload: RecordedPayload }[] {
    const all = [...this.world.messages.values()].flatMap((m) =>
      m.payloads.map((payload) => ({ messageId: m.id, channelId: m.channelId, payload })),
    );
    return all.sort((a, b) => a.payload.at - b.payload.at);
  }

  /** Threads created at runtime, oldest first. */
  threads(): ApiChannel[] {
    return this.world.threadIds.map((id) => this.world.requireChannel(id).api);
  }

  /** Typing indicators the bot triggered. */
  typing(channelId?: string): { channelId: string; at: number }[] {
    return this.world.typing.filter((t) => channelId === undefined || t.channelId === channelId);
  }

  /** Puts a file on the fake's file server; the result can be a command option or a message attachment. */
  addAttachment(filename: string, contentType: string, bytes: Uint8Array | string): ApiAttachment {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    return this.world.storeFile(filename, contentType, data);
  }

  /** Registered commands: `global` or a guild id. */
  commands(scope = 'global'): ApiCommand[] {
    return this.world.commands.get(scope) ?? [];
  }

  // ---- REST recording and rate limits -----------------------------------------------------

  requests(): readonly RecordedRequest[] {
    return this.#http.requests;
  }
  /** Requests to routes the fake does not know (each got a 404); should stay empty. */
  unknownRoutes(): RecordedRequest[] {
    return this.#http.requests.filter((r) => r.route === null);
  }
  /** 429s the client caused by ignoring the bucket headers; should stay empty. */
  rateLimitOverruns(): RecordedRequest[] {
    return this.#http.requests.filter((r) => r.overran);
  }
  /**
   * Slows every answer on `route` (`'GET /channels/:channel/messages/:message'`) by `ms`, as a slow
   * Discord would (0: back to normal). Rate limits are taken before the wait.
   */
  delayRoute(route: string, ms: number): void {
    if (ms > 0) this.#http.delays.set(route, ms);
    else this.#http.delays.delete(route);
  }
  /** Makes the next request matching `route` (`'POST /channels/{channel}/messages'`, no method, or a RegExp) answer 429. */
  rateLimitNext(route: string | RegExp, retryAfterSec: number, options: { global?: boolean } = {}): void {
    this.#rateLimiter.forceNext(route, retryAfterSec, options.global ?? false);
  }

  /** Everything that should never happen in a healthy run: unknown routes, fake crashes, rate-limit overruns. */
  problems(): string[] {
    return [
      ...this.unknownRoutes().map((r) => `unknown route ${r.method} ${r.path}`),
      ...this.#http.internalErrors.map((e) => `fake crashed: ${e.stack ?? e.message}`),
      ...this.rateLimitOverruns().map((r) => `rate limit overrun ${r.method} ${r.path}`),
    ];
  }

  // ---- gateway -----------------------------------------------------------------------------

  get gatewayStats(): Readonly<GatewayStats> {
    return this.#gateway.stats;
  }
  /** IDENTIFY payloads received (token redacted): intents, properties, shard. */
  get identifyPayloads(): readonly JsonRecord[] {
    return this.#gateway.identifyPayloads;
  }
  /** Closes every gateway socket abruptly (no close frame); the client should resume. */
  dropConnection(): void {
    this.#gateway.dropConnections();
  }
  /** Sends op 7 Reconnect. */
  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }
  /** Sends op 9 Invalid Session (not resumable). */
  invalidateSession(): void {
    this.#gateway.invalidateSessions();
  }
  /** Stops (false) or resumes answering heartbeats with op 11, to exercise zombie-connection handling. */
  setHeartbeatAcks(enabled: boolean): void {
    this.#gateway.ackHeartbeats = enabled;
  }
  /**
   * The bot is removed from a guild (kicked, or the guild deleted): GUILD_DELETE without
   * `unavailable`, the guild leaves the world (later READYs omit it) and its channels become
   * inaccessible to the bot (403 Missing Access), as on Discord.
   */
  removeBotFromGuild(guildId: string): void {
    if (!this.world.guilds.delete(guildId)) throw new Error(`fake Discord: no guild ${guildId}`);
    this.world.dispatch('GUILD_DELETE', guildId, (session) =>
      (session.intents & Intent.Guilds) === 0 ? null : { id: guildId },
    );
  }
  /** A Discord outage for a guild: GUILD_DELETE with `unavailable: true`; the bot is still in it. */
  guildOutage(guildId: string): void {
    if (!this.world.guilds.has(guildId)) throw new Error(`fake Discord: no guild ${guildId}`);
    this.world.dispatch('GUILD_DELETE', guildId, (session) =>
      (session.intents & Intent.Guilds) === 0 ? null : { id: guildId, unavailable: true },
    );
  }
  /** The outage ends: GUILD_CREATE for the guild again. */
  guildRecovered(guildId: string): void {
    const guild = this.world.guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: no guild ${guildId}`);
    this.world.dispatch('GUILD_CREATE', guildId, (session) =>
      (session.intents & Intent.Guilds) === 0 ? null : this.world.guildCreatePayload(guild),
    );
  }
  /** The shard of `shardCount` (default: the recommended count) whose sessions receive a guild's events. */
  shardOf(guildId: string, shardCount: number = this.shardCount): number {
    return shardOf(guildId, shardCount);
  }
  /** `[shard_id, num_shards]` of every session that still receives dispatches (live or resumable), oldest first. */
  sessionShards(): ShardId[] {
    return this.#gateway.shards;
  }
  /** Waits until the gateway stats satisfy a predicate (e.g. `s => s.resumes >= 1`). */
  waitForGateway(predicate: (stats: Readonly<GatewayStats>) => boolean, timeoutMs = 5000): Promise<void> {
    return this.world
      .waitUntil(
        () => (predicate(this.#gateway.stats) ? true : undefined),
        timeoutMs,
        () => `gateway condition (stats: ${JSON.stringify(this.#gateway.stats)})`,
      )
      .then(() => undefined);
  }
}

/** Starts a fake Discord on 127.0.0.1 (a free port). */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}
