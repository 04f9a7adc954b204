import { discordErrors, FormErrors } from './errors.js';
import type { Route, RouteContext } from './http-server.js';
import { arrayOr, isRecord, type JsonRecord, recordOr } from './json.js';
import {
  ChannelType,
  holdsMessages,
  Intent,
  isThreadType,
  LIMITS,
  MessageFlag,
  Permission,
} from './limits.js';
import { readMessageInput } from './message-input.js';
import type { StoredMessage } from './model.js';
import { validateThreadBody } from './validate-message.js';
import type { ChannelState, World } from './world.js';

/** Channel, message, thread, typing and reaction routes (bot-authenticated). */
export function channelRoutes(world: World): Route[] {
  const channelOf = (ctx: RouteContext): ChannelState => {
    const channel = world.channels.get(ctx.params.channel ?? '');
    if (!channel) throw discordErrors.unknownChannel();
    if (channel.guildId !== null && world.guilds.get(channel.guildId)?.botMember === false) {
      // A server the bot user is not in (the app is only user-installed there).
      throw discordErrors.missingAccess();
    }
    if (
      channel.guildId !== null &&
      (world.botPermissionsIn(channel.api.id) & Permission.ViewChannel) === 0n
    ) {
      throw discordErrors.missingAccess();
    }
    return channel;
  };
  const hasPermission = (channel: ChannelState, permission: bigint): boolean =>
    channel.guildId === null || (world.botPermissionsIn(channel.api.id) & permission) !== 0n;
  const requirePermission = (channel: ChannelState, permission: bigint): void => {
    if (!hasPermission(channel, permission)) throw discordErrors.missingPermissions();
  };
  const messageIn = (channel: ChannelState, id: string | undefined): StoredMessage => {
    const message = world.messages.get(id ?? '');
    if (!message || message.deleted || message.ephemeral || message.channelId !== channel.api.id) {
      throw discordErrors.unknownMessage();
    }
    return message;
  };

  const createMessage: Route = {
    method: 'POST',
    pattern: '/channels/:channel/messages',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      if (!holdsMessages(channel.api.type)) throw discordErrors.cannotSendInNonText();
      const thread = isThreadType(channel.api.type);
      requirePermission(channel, thread ? Permission.SendMessagesInThreads : Permission.SendMessages);
      if (ctx.files.length > 0) requirePermission(channel, Permission.AttachFiles);
      const meta = channel.api.thread_metadata;
      if (meta?.locked && !hasPermission(channel, Permission.ManageThreads))
        throw discordErrors.threadLocked();
      const input = readMessageInput(ctx, world, 'create', null);
      const repeated = nonceRepeat(world, input.body);
      if (repeated) {
        // A retried post: Discord answers with the message the first post made (even in another
        // channel), or 10008 if that one was deleted; nothing new is created or dispatched.
        if (repeated.deleted) throw discordErrors.unknownMessage();
        return { status: 200, body: repeated.api };
      }
      // The bot posting as itself needs Embed Links for embeds, and Read Message History for replies.
      if (arrayOr(input.body.embeds).length > 0) requirePermission(channel, Permission.EmbedLinks);
      if (isRecord(input.body.message_reference)) requirePermission(channel, Permission.ReadMessageHistory);
      const referenced = resolveReference(world, channel, input.body);
      if (meta?.archived) {
        // Sending to an archived (unlocked) thread unarchives it, as in Discord.
        meta.archived = false;
        ctx.after(() =>
          world.dispatch('THREAD_UPDATE', channel.guildId, (s) =>
            (s.intents & Intent.Guilds) === 0 ? null : channel.api,
          ),
        );
      }
      const message = world.createMessage({
        channelId: channel.api.id,
        author: world.bot,
        origin: 'bot',
        body: input.body,
        attachments: input.attachments,
        referenced,
        flags:
          (typeof input.body.flags === 'number' ? input.body.flags : 0) &
          (MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2),
      });
      message.payloads.push(input.payload);
      ctx.after(() => world.dispatchMessageCreate(message));
      return { status: 200, body: message.api };
    },
  };

  const listMessages: Route = {
    method: 'GET',
    pattern: '/channels/:channel/messages',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      requirePermission(channel, Permission.ReadMessageHistory);
      const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 50) || 50));
      const before = ctx.query.get('before');
      const after = ctx.query.get('after');
      let list = (world.channelMessages.get(channel.api.id) ?? []).filter((m) => !m.deleted);
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
      const newestFirst = [...list].reverse();
      const page = after ? newestFirst.slice(-limit) : newestFirst.slice(0, limit);
      return { status: 200, body: page.map((m) => world.restView(m)) };
    },
  };

  const getMessage: Route = {
    method: 'GET',
    pattern: '/channels/:channel/messages/:message',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      requirePermission(channel, Permission.ReadMessageHistory);
      return { status: 200, body: world.restView(messageIn(channel, ctx.params.message)) };
    },
  };

  const editMessage: Route = {
    method: 'PATCH',
    pattern: '/channels/:channel/messages/:message',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      const message = messageIn(channel, ctx.params.message);
      // The bot may edit any message it authored here, interaction responses included (the usual
      // way to change a reply once its 15-minute token has expired).
      if (message.authorId !== world.bot.id) throw discordErrors.cannotEditOthersMessage();
      const input = readMessageInput(ctx, world, 'edit', message.api);
      if (arrayOr(input.body.embeds).length > 0 && message.origin === 'bot') {
        requirePermission(channel, Permission.EmbedLinks);
      }
      world.editMessage(message, input.body, input.attachments);
      message.payloads.push(input.payload);
      ctx.after(() => world.dispatchMessageUpdate(message));
      return { status: 200, body: message.api };
    },
  };

  const deleteMessage: Route = {
    method: 'DELETE',
    pattern: '/channels/:channel/messages/:message',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      const message = messageIn(channel, ctx.params.message);
      if (message.authorId !== world.bot.id) requirePermission(channel, Permission.ManageMessages);
      world.deleteMessage(message);
      ctx.after(() => world.dispatchMessageDelete(message));
      return { status: 204 };
    },
  };

  const startThreadFromMessage: Route = {
    method: 'POST',
    pattern: '/channels/:channel/messages/:message/threads',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      if (channel.api.type !== ChannelType.GuildText && channel.api.type !== ChannelType.GuildAnnouncement) {
        throw discordErrors.wrongChannelType();
      }
      const message = messageIn(channel, ctx.params.message);
      const body = recordOr(ctx.body);
      const errors = new FormErrors();
      validateThreadBody(body, errors);
      errors.throwIfAny();
      requirePermission(channel, Permission.CreatePublicThreads);
      if (message.threadId !== null || world.channels.has(message.id))
        throw discordErrors.threadAlreadyCreated();
      const thread = world.addThread({
        id: message.id,
        parentId: channel.api.id,
        name: String(body.name).trim(),
        type:
          channel.api.type === ChannelType.GuildAnnouncement
            ? ChannelType.AnnouncementThread
            : ChannelType.PublicThread,
        ownerId: world.bot.id,
        autoArchiveDuration:
          typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 4320,
        rateLimitPerUser: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      });
      message.threadId = thread.api.id;
      message.api.thread = thread.api;
      message.api.flags |= MessageFlag.HasThread;
      ctx.after(() => {
        dispatchThreadCreate(world, thread);
        world.dispatchMessageUpdate(message);
      });
      return { status: 201, body: thread.api };
    },
  };

  const startThread: Route = {
    method: 'POST',
    pattern: '/channels/:channel/threads',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      if (channel.api.type !== ChannelType.GuildText && channel.api.type !== ChannelType.GuildAnnouncement) {
        throw discordErrors.wrongChannelType();
      }
      const body = recordOr(ctx.body);
      const errors = new FormErrors();
      validateThreadBody(body, errors);
      const type = body.type ?? ChannelType.PrivateThread;
      if (
        type !== ChannelType.PublicThread &&
        type !== ChannelType.PrivateThread &&
        type !== ChannelType.AnnouncementThread
      ) {
        errors.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {10, 11, 12}.');
      }
      errors.throwIfAny();
      requirePermission(
        channel,
        type === ChannelType.PrivateThread ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads,
      );
      const thread = world.addThread({
        id: world.nextId(),
        parentId: channel.api.id,
        name: String(body.name).trim(),
        type: type as number,
        ownerId: world.bot.id,
        autoArchiveDuration:
          typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : 4320,
        rateLimitPerUser: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      });
      let notice: StoredMessage | null = null;
      if (type !== ChannelType.PrivateThread) {
        // Discord posts a THREAD_CREATED system message (type 18) in the parent for threads without a starter message.
        notice = world.createMessage({
          channelId: channel.api.id,
          author: world.bot,
          origin: 'bot',
          body: { content: thread.api.name ?? '' },
          attachments: [],
          type: 18,
          extra: {
            message_reference: {
              channel_id: thread.api.id,
              ...(thread.guildId ? { guild_id: thread.guildId } : {}),
            },
          },
        });
      }
      ctx.after(() => {
        dispatchThreadCreate(world, thread);
        if (notice) world.dispatchMessageCreate(notice);
      });
      return { status: 201, body: thread.api };
    },
  };

  const getChannel: Route = {
    method: 'GET',
    pattern: '/channels/:channel',
    auth: true,
    handle: (ctx) => ({ status: 200, body: channelOf(ctx).api }),
  };

  const editChannel: Route = {
    method: 'PATCH',
    pattern: '/channels/:channel',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      const body = recordOr(ctx.body);
      const meta = channel.api.thread_metadata;
      const errors = new FormErrors();
      if ('name' in body) validateThreadBody({ name: body.name }, errors);
      if (meta)
        validateThreadBody(
          { name: body.name ?? channel.api.name, auto_archive_duration: body.auto_archive_duration },
          errors,
        );
      errors.throwIfAny();
      if (meta && channel.api.owner_id !== world.bot.id) requirePermission(channel, Permission.ManageThreads);
      if (typeof body.name === 'string') channel.api.name = body.name.trim();
      if (meta) {
        if (typeof body.archived === 'boolean') {
          meta.archived = body.archived;
          meta.archive_timestamp = world.isoNow();
        }
        if (typeof body.locked === 'boolean') meta.locked = body.locked;
        if (typeof body.auto_archive_duration === 'number')
          meta.auto_archive_duration = body.auto_archive_duration;
      } else if ('topic' in body) {
        channel.api.topic = typeof body.topic === 'string' ? body.topic : null;
      }
      const event = meta ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE';
      ctx.after(() =>
        world.dispatch(event, channel.guildId, (s) =>
          (s.intents & Intent.Guilds) === 0 ? null : channel.api,
        ),
      );
      return { status: 200, body: channel.api };
    },
  };

  const typing: Route = {
    method: 'POST',
    pattern: '/channels/:channel/typing',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      world.typing.push({ channelId: channel.api.id, at: world.now });
      return { status: 204 };
    },
  };

  const joinThread: Route = {
    method: 'PUT',
    pattern: '/channels/:channel/thread-members/@me',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      if (!isThreadType(channel.api.type)) throw discordErrors.wrongChannelType();
      return { status: 204 };
    },
  };

  const react = (method: 'PUT' | 'DELETE'): Route => ({
    method,
    pattern: '/channels/:channel/messages/:message/reactions/:emoji/@me',
    auth: true,
    handle: (ctx) => {
      const channel = channelOf(ctx);
      if (method === 'PUT') requirePermission(channel, Permission.AddReactions);
      const message = messageIn(channel, ctx.params.message);
      const name = ctx.params.emoji ?? '';
      if (!message.api.reactions) message.api.reactions = [];
      const reactions = message.api.reactions;
      const existing = reactions.find((r) => r.emoji.name === name);
      if (method === 'PUT' && !existing) reactions.push({ count: 1, me: true, emoji: { id: null, name } });
      if (method === 'DELETE' && existing) reactions.splice(reactions.indexOf(existing), 1);
      return { status: 204 };
    },
  });

  return [
    createMessage,
    listMessages,
    getMessage,
    editMessage,
    deleteMessage,
    startThreadFromMessage,
    startThread,
    getChannel,
    editChannel,
    typing,
    joinThread,
    react('PUT'),
    react('DELETE'),
  ];
}

/**
 * A reply's `message_reference`: the message must exist in this channel (or the one named) unless
 * `fail_if_not_exists` is false, in which case the reply goes out as a plain message.
 */
export function resolveReference(
  world: World,
  channel: ChannelState,
  body: JsonRecord,
): StoredMessage | null {
  const reference = body.message_reference;
  if (!isRecord(reference) || reference.message_id === undefined) return null;
  const channelId = typeof reference.channel_id === 'string' ? reference.channel_id : channel.api.id;
  const target = world.messages.get(String(reference.message_id));
  if (target && !target.deleted && !target.ephemeral && target.channelId === channelId) return target;
  if (reference.fail_if_not_exists === false) return null;
  const errors = new FormErrors();
  errors.add(['message_reference'], 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message');
  throw errors.toError();
}

/**
 * With `enforce_nonce: true` and a nonce, the message the same author (the bot) posted with that
 * nonce in the last few minutes (`LIMITS.nonceWindowMs`), deleted ones included; otherwise null.
 * Only channel posts: Discord does not deduplicate webhook or interaction messages by nonce.
 */
function nonceRepeat(world: World, body: JsonRecord): StoredMessage | null {
  const nonce = body.nonce;
  if (body.enforce_nonce !== true || (typeof nonce !== 'string' && typeof nonce !== 'number')) return null;
  const since = world.now - LIMITS.nonceWindowMs;
  for (const message of world.messages.values()) {
    if (
      message.origin === 'bot' &&
      message.authorId === world.bot.id &&
      message.api.nonce !== undefined &&
      String(message.api.nonce) === String(nonce) &&
      Date.parse(message.api.timestamp) >= since
    ) {
      return message;
    }
  }
  return null;
}

/** THREAD_CREATE as Discord sends it to the creator: `newly_created`, with the bot as a member. */
export function dispatchThreadCreate(world: World, thread: ChannelState): void {
  world.dispatch('THREAD_CREATE', thread.guildId, (session) =>
    (session.intents & Intent.Guilds) === 0
      ? null
      : {
          ...thread.api,
          newly_created: true,
          member: { id: thread.api.id, user_id: world.bot.id, join_timestamp: world.isoNow(), flags: 1 },
        },
  );
}
