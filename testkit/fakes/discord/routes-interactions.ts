import { discordErrors, FormErrors } from './errors.js';
import type { Route, RouteContext } from './http-server.js';
import type { InteractionHandle } from './interaction-record.js';
import { cloneJson, isRecord, type JsonRecord, recordOr } from './json.js';
import { MessageFlag } from './limits.js';
import { readMessageInput } from './message-input.js';
import type { ApiMessage, RecordedPayload, StoredMessage } from './model.js';
import { validateModal } from './validate-message.js';
import type { World } from './world.js';

export interface InteractionRouteDeps {
  readonly world: World;
  readonly byId: ReadonlyMap<string, InteractionHandle>;
  readonly byToken: ReadonlyMap<string, InteractionHandle>;
  /** Milliseconds an app has to acknowledge (Discord: 3,000). */
  readonly ackDeadlineMs: () => number;
  /** Milliseconds an interaction token lives (Discord: 15 minutes). */
  readonly tokenTtlMs: () => number;
}

/** Callback type numbers (Discord docs, "Interaction Callback Type"). */
const Callback = {
  Pong: 1,
  ChannelMessage: 4,
  DeferredChannelMessage: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  Autocomplete: 8,
  Modal: 9,
  LaunchActivity: 12,
} as const;

/**
 * `POST /interactions/{id}/{token}/callback` and the interaction webhook routes
 * (`@original`, follow-ups), with the 3-second acknowledgement deadline, one acknowledgement per
 * interaction, and the 15-minute token.
 */
export function interactionRoutes(deps: InteractionRouteDeps): Route[] {
  const { world } = deps;

  const reject = (
    handle: InteractionHandle | undefined,
    ctx: RouteContext,
    error: ReturnType<typeof discordErrors.unknownInteraction>,
  ) => {
    handle?.rejections.push({
      at: world.now,
      method: ctx.method,
      path: ctx.path,
      status: error.status,
      code: error.code,
    });
    return error;
  };

  const callback: Route = {
    method: 'POST',
    pattern: '/interactions/:interaction/:token/callback',
    auth: false,
    unlimited: true,
    handle: (ctx) => {
      const handle = deps.byId.get(ctx.params.interaction ?? '');
      if (!handle || handle.token !== ctx.params.token)
        throw reject(handle, ctx, discordErrors.unknownInteraction());
      if (handle.ackedAt !== null) throw reject(handle, ctx, discordErrors.alreadyAcknowledged());
      if (world.now - handle.dispatchedAt > deps.ackDeadlineMs())
        throw reject(handle, ctx, discordErrors.unknownInteraction());
      const body = recordOr(ctx.body);
      const type = body.type;
      const data = isRecord(body.data) ? body.data : {};
      if (!allowedCallback(handle, type)) {
        const errors = new FormErrors();
        errors.add(
          ['type'],
          'INTERACTION_RESPONSE_TYPE_INVALID',
          'Interaction response type is invalid for this interaction',
        );
        throw errors.toError();
      }
      const ephemeral = typeof data.flags === 'number' && (data.flags & MessageFlag.Ephemeral) !== 0;
      const recorded: RecordedPayload = {
        kind: 'callback',
        at: world.now,
        method: ctx.method,
        path: ctx.path,
        body: cloneJson(body),
        files: ctx.files.map((f) => ({
          field: f.field,
          filename: f.filename,
          contentType: f.contentType,
          size: f.bytes.byteLength,
        })),
      };
      let message: StoredMessage | null = null;
      let loading = false;
      switch (type) {
        case Callback.ChannelMessage: {
          const input = readMessageInput(ctx, world, 'create', null, data);
          message = responseMessage(world, handle, input.body, input.attachments, ephemeral, 0);
          message.payloads.push(input.payload);
          handle.responded = true;
          break;
        }
        case Callback.DeferredChannelMessage: {
          loading = true;
          // Discord marks a deferred private reply ephemeral (flag 64) from the start.
          const flags = MessageFlag.Loading | (ephemeral ? MessageFlag.Ephemeral : 0);
          message = responseMessage(world, handle, {}, [], ephemeral, flags);
          break;
        }
        case Callback.DeferredUpdateMessage: {
          message = world.messages.get(handle.sourceMessageId ?? '') ?? null;
          break;
        }
        case Callback.UpdateMessage: {
          const source = world.messages.get(handle.sourceMessageId ?? '');
          if (!source) throw discordErrors.unknownMessage();
          const input = readMessageInput(ctx, world, 'edit', source.api, data);
          world.editMessage(source, input.body, input.attachments);
          source.payloads.push(input.payload);
          message = source;
          handle.responded = true;
          ctx.after(() => world.dispatchMessageUpdate(source));
          break;
        }
        case Callback.Modal: {
          const errors = new FormErrors();
          validateModal(data, errors);
          errors.throwIfAny();
          handle.modal = cloneJson(data);
          break;
        }
        default:
          break;
      }
      handle.ackedAt = world.now;
      handle.callbackType = typeof type === 'number' ? type : null;
      handle.callback = recorded;
      handle.original = message;
      const created = message;
      if (created && (type === Callback.ChannelMessage || type === Callback.DeferredChannelMessage)) {
        ctx.after(() => world.dispatchMessageCreate(created));
      }
      world.changed();
      if (ctx.query.get('with_response') !== 'true') return { status: 204 };
      return {
        status: 200,
        body: {
          interaction: {
            id: handle.id,
            type: handle.type,
            response_message_id: message?.id ?? null,
            response_message_loading: loading,
            response_message_ephemeral: message?.ephemeral ?? false,
          },
          resource: {
            type,
            ...(message && type !== Callback.Modal ? { message: message.api } : {}),
          },
        },
      };
    },
  };

  /** The interaction behind a webhook token, refusing tokens that are unknown, unacknowledged or expired. */
  const handleFor = (ctx: RouteContext): InteractionHandle => {
    const handle = deps.byToken.get(ctx.params.token ?? '');
    if (!handle || ctx.params.application !== world.application.id)
      throw reject(handle, ctx, discordErrors.unknownWebhook());
    if (world.now - handle.dispatchedAt > deps.tokenTtlMs())
      throw reject(handle, ctx, discordErrors.invalidWebhookToken());
    if (handle.ackedAt === null) throw reject(handle, ctx, discordErrors.unknownWebhook());
    return handle;
  };

  const originalOf = (handle: InteractionHandle, ctx: RouteContext): StoredMessage => {
    const message = handle.original;
    if (!message || message.deleted) throw reject(handle, ctx, discordErrors.unknownMessage());
    return message;
  };

  const messageOf = (handle: InteractionHandle, ctx: RouteContext): StoredMessage => {
    const id = ctx.params.message;
    if (id === '@original') return originalOf(handle, ctx);
    const message = [handle.original, ...handle.followups].find(
      (m) => m !== null && m.id === id && !m.deleted,
    );
    if (!message) throw reject(handle, ctx, discordErrors.unknownMessage());
    return message;
  };

  const editOriginalOrMessage = (ctx: RouteContext): { status: number; body: ApiMessage } => {
    const handle = handleFor(ctx);
    const message = messageOf(handle, ctx);
    const input = readMessageInput(ctx, world, 'edit', message.api);
    world.editMessage(message, input.body, input.attachments);
    message.api.flags &= ~MessageFlag.Loading;
    message.payloads.push(input.payload);
    if (message === handle.original) {
      handle.edits.push(input.payload);
      handle.responded = true;
    }
    ctx.after(() => world.dispatchMessageUpdate(message));
    return { status: 200, body: message.api };
  };

  const webhookMessageRoutes = (id: ':message' | '@original'): Route[] => [
    {
      method: 'GET',
      pattern: `/webhooks/:application/:token/messages/${id}`,
      auth: false,
      handle: (ctx) => ({ status: 200, body: messageOf(handleFor(ctx), withId(ctx, id)).api }),
    },
    {
      method: 'PATCH',
      pattern: `/webhooks/:application/:token/messages/${id}`,
      auth: false,
      handle: (ctx) => editOriginalOrMessage(withId(ctx, id)),
    },
    {
      method: 'DELETE',
      pattern: `/webhooks/:application/:token/messages/${id}`,
      auth: false,
      handle: (ctx) => {
        const handle = handleFor(ctx);
        const message = messageOf(handle, withId(ctx, id));
        world.deleteMessage(message);
        if (message === handle.original) handle.originalDeleted = true;
        ctx.after(() => world.dispatchMessageDelete(message));
        return { status: 204 };
      },
    },
  ];

  const followup: Route = {
    method: 'POST',
    pattern: '/webhooks/:application/:token',
    auth: false,
    handle: (ctx) => {
      const handle = handleFor(ctx);
      const wait = ctx.query.get('wait') === 'true';
      const original = handle.original;
      // Discord: the first follow-up after a deferred reply edits the loading message instead.
      if (
        handle.callbackType === Callback.DeferredChannelMessage &&
        original &&
        !original.deleted &&
        !handle.responded
      ) {
        const input = readMessageInput(ctx, world, 'edit', original.api);
        const body: JsonRecord = { ...input.body };
        delete body.flags;
        world.editMessage(original, body, input.attachments);
        original.api.flags &= ~MessageFlag.Loading;
        original.payloads.push(input.payload);
        handle.followups.push(original);
        handle.responded = true;
        ctx.after(() => world.dispatchMessageUpdate(original));
        return wait ? { status: 200, body: original.api } : { status: 204 };
      }
      const input = readMessageInput(ctx, world, 'create', null);
      const ephemeral =
        typeof input.body.flags === 'number' && (input.body.flags & MessageFlag.Ephemeral) !== 0;
      const message = responseMessage(world, handle, input.body, input.attachments, ephemeral, 0, 'followup');
      message.payloads.push(input.payload);
      handle.followups.push(message);
      ctx.after(() => world.dispatchMessageCreate(message));
      return wait ? { status: 200, body: message.api } : { status: 204 };
    },
  };

  return [callback, followup, ...webhookMessageRoutes('@original'), ...webhookMessageRoutes(':message')];
}

const withId = (ctx: RouteContext, id: ':message' | '@original'): RouteContext =>
  id === '@original' ? { ...ctx, params: { ...ctx.params, message: '@original' } } : ctx;

function allowedCallback(handle: InteractionHandle, type: unknown): boolean {
  switch (type) {
    case Callback.ChannelMessage:
    case Callback.DeferredChannelMessage:
      return true;
    case Callback.DeferredUpdateMessage:
    case Callback.UpdateMessage:
      return handle.sourceMessageId !== null;
    case Callback.Modal:
      return handle.kind !== 'modal-submit';
    default:
      return false;
  }
}

/** A message made by an interaction response or follow-up: webhook-authored, carrying interaction metadata. */
function responseMessage(
  world: World,
  handle: InteractionHandle,
  body: JsonRecord,
  attachments: ApiMessage['attachments'],
  ephemeral: boolean,
  extraFlags: number,
  origin: 'interaction-response' | 'followup' = 'interaction-response',
): StoredMessage {
  const user = world.requireUser(handle.userId);
  const type =
    handle.kind === 'slash' ? 20 : handle.kind === 'message-context' ? 23 : handle.sourceMessageId ? 19 : 20;
  const allowedFlags =
    MessageFlag.Ephemeral |
    MessageFlag.SuppressEmbeds |
    MessageFlag.SuppressNotifications |
    MessageFlag.IsComponentsV2;
  const flags = ((typeof body.flags === 'number' ? body.flags : 0) & allowedFlags) | extraFlags;
  const source = handle.sourceMessageId ? world.messages.get(handle.sourceMessageId) : undefined;
  const metadata: JsonRecord = {
    id: handle.id,
    type: handle.type,
    user,
    authorizing_integration_owners: handle.guildId ? { '0': handle.guildId } : { '1': handle.userId },
    ...(handle.kind === 'slash' || handle.kind === 'message-context' ? { name: handle.name } : {}),
    ...(handle.kind === 'message-context'
      ? { target_message_id: String(recordOr(handle.payload.data).target_id) }
      : {}),
    ...(origin === 'followup' && handle.original ? { original_response_message_id: handle.original.id } : {}),
    ...(source ? { interacted_message_id: source.id } : {}),
  };
  return world.createMessage({
    channelId: handle.channelId,
    author: world.bot,
    origin,
    body,
    attachments,
    type,
    ephemeral,
    interactionId: handle.id,
    flags,
    extra: {
      webhook_id: world.application.id,
      application_id: world.application.id,
      interaction_metadata: metadata,
      interaction: { id: handle.id, type: handle.type, name: handle.name, user },
      ...(type === 19 && source
        ? {
            message_reference: {
              type: 0,
              message_id: source.id,
              channel_id: source.channelId,
              ...(source.guildId ? { guild_id: source.guildId } : {}),
            },
          }
        : {}),
    },
  });
}
