import { randomBytes } from 'node:crypto';
import { arrayOr, charLength, isRecord, type JsonRecord } from './json.js';
import { ChannelType, INTERACTION_RESPONSE_PERMISSIONS, Permission } from './limits.js';
import type { ApiAttachment, ApiCommand, StoredMessage } from './model.js';
import { modalInputs } from './validate-message.js';
import type { World } from './world.js';

/** Where an interaction comes from. Defaults: the first seeded user, guild and text channel, locale en-US. */
export interface InteractionOrigin {
  readonly user?: string | { readonly id: string };
  readonly guildId?: string;
  readonly channelId?: string;
  /** The invoking user's client locale (`locale`); the guild's is `guild_locale`. */
  readonly locale?: string;
}

/** A value for a slash-command option: attachments come from `addAttachment`. */
export type OptionValue = string | number | boolean | ApiAttachment;

/** Option type numbers (Discord docs, "Application Command Option Type"). */
const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export const newInteractionToken = (): string => `aW50ZXJhY3Rpb24.${randomBytes(60).toString('base64url')}`;

export const isAttachment = (value: unknown): value is ApiAttachment =>
  isRecord(value) &&
  typeof value.id === 'string' &&
  typeof value.url === 'string' &&
  typeof value.filename === 'string';

/** The fields every INTERACTION_CREATE carries; discord.js throws inside its socket handler without some of them. */
export function interactionBase(
  world: World,
  args: {
    id: string;
    token: string;
    type: number;
    channelId: string;
    userId: string;
    locale: string;
    maxUploadBytes: number;
  },
): JsonRecord {
  const channel = world.requireChannel(args.channelId);
  const user = world.requireUser(args.userId);
  const base: JsonRecord = {
    id: args.id,
    application_id: world.application.id,
    type: args.type,
    token: args.token,
    version: 1,
    channel: channel.api,
    channel_id: channel.api.id,
    locale: args.locale,
    app_permissions: world.botPermissionsIn(channel.api.id).toString(),
    entitlements: [],
    attachment_size_limit: args.maxUploadBytes,
  };
  const guild = channel.guildId ? world.guilds.get(channel.guildId) : undefined;
  if (guild) {
    base.guild_id = guild.id;
    base.guild = { id: guild.id, locale: guild.locale, features: [] };
    base.guild_locale = guild.locale;
    base.member = {
      ...world.member(guild.id, user.id),
      permissions: world.memberPermissions(guild.id, user.id).toString(),
    };
    base.authorizing_integration_owners = guild.botMember ? { '0': guild.id } : { '1': user.id };
    base.context = 0;
    if (!guild.botMember) {
      // No bot user there: what @everyone may use in interaction responses, with Attach Files and
      // Embed Links always granted.
      base.app_permissions = (
        (world.memberPermissions(guild.id) & INTERACTION_RESPONSE_PERMISSIONS) |
        Permission.AttachFiles |
        Permission.EmbedLinks
      ).toString();
    }
  } else {
    base.user = user;
    base.authorizing_integration_owners = { '0': '0', '1': user.id };
    base.context = channel.api.type === ChannelType.DM ? 1 : 2;
  }
  return base;
}

/**
 * Turns `{ name: value }` into the `options` array of a chat-input interaction, checked against the
 * registered definition when there is one (unknown names, missing required options, `max_length`,
 * choices), and fills `resolved` for attachments, users and channels.
 */
export function buildCommandOptions(
  world: World,
  command: ApiCommand | null,
  path: readonly string[],
  values: Readonly<Record<string, OptionValue>>,
  guildId: string | null,
): { options: JsonRecord[]; resolved: JsonRecord | null } {
  let definitions: JsonRecord[] | null = command ? arrayOr(command.options).filter(isRecord) : null;
  const resolved: Record<string, Record<string, unknown>> = {};
  const leaf: JsonRecord[] = [];
  const wrappers: JsonRecord[] = [];
  for (const [depth, name] of path.entries()) {
    const def = definitions?.find((d) => d.name === name);
    if (definitions && !def) throw new Error(`fake Discord: /${command?.name} has no subcommand "${name}"`);
    const type = def
      ? Number(def.type)
      : depth === 0 && path.length === 2
        ? OptionType.SubcommandGroup
        : OptionType.Subcommand;
    wrappers.push({ type, name, options: [] });
    definitions = def ? arrayOr(def.options).filter(isRecord) : null;
  }
  for (const [name, value] of Object.entries(values)) {
    const def = definitions?.find((d) => d.name === name);
    if (definitions && !def) throw new Error(`fake Discord: /${command?.name} has no option "${name}"`);
    const type = def ? Number(def.type) : inferType(value);
    leaf.push(encodeOption(world, name, type, value, def ?? null, resolved, guildId, command?.name ?? '?'));
  }
  for (const def of definitions ?? []) {
    if (def.required === true && !(String(def.name) in values)) {
      throw new Error(`fake Discord: /${command?.name} needs option "${String(def.name)}"`);
    }
  }
  let options = leaf;
  for (const wrapper of wrappers.reverse()) {
    wrapper.options = options;
    options = [wrapper];
  }
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : null };
}

function inferType(value: OptionValue): number {
  if (isAttachment(value)) return OptionType.Attachment;
  if (typeof value === 'boolean') return OptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  return OptionType.String;
}

function encodeOption(
  world: World,
  name: string,
  type: number,
  value: OptionValue,
  def: JsonRecord | null,
  resolved: Record<string, Record<string, unknown>>,
  guildId: string | null,
  commandName: string,
): JsonRecord {
  const fail = (why: string): never => {
    throw new Error(`fake Discord: /${commandName} option "${name}": ${why}`);
  };
  const bucket = (key: string): Record<string, unknown> => {
    resolved[key] ??= {};
    return resolved[key];
  };
  switch (type) {
    case OptionType.String: {
      if (typeof value !== 'string') fail('expects a string');
      const text = value as string;
      if (typeof def?.max_length === 'number' && charLength(text) > def.max_length)
        fail(`longer than max_length ${def.max_length}`);
      if (typeof def?.min_length === 'number' && charLength(text) < def.min_length)
        fail(`shorter than min_length ${def.min_length}`);
      checkChoices(def, text, fail);
      return { name, type, value: text };
    }
    case OptionType.Integer:
    case OptionType.Number: {
      if (typeof value !== 'number' || (type === OptionType.Integer && !Number.isInteger(value))) {
        return fail('expects a number');
      }
      checkChoices(def, value, fail);
      return { name, type, value };
    }
    case OptionType.Boolean:
      if (typeof value !== 'boolean') fail('expects a boolean');
      return { name, type, value };
    case OptionType.Attachment: {
      if (!isAttachment(value)) fail('expects an attachment from addAttachment()');
      const attachment = value as ApiAttachment;
      bucket('attachments')[attachment.id] = attachment;
      return { name, type, value: attachment.id };
    }
    case OptionType.User:
    case OptionType.Mentionable: {
      const user = world.users.get(String(value)) ?? fail('expects a known user id');
      bucket('users')[user.id] = user;
      if (guildId) {
        const { user: _user, ...member } = world.member(guildId, user.id);
        bucket('members')[user.id] = {
          ...member,
          permissions: world.memberPermissions(guildId, user.id).toString(),
        };
      }
      return { name, type, value: user.id };
    }
    case OptionType.Channel: {
      const channel = world.channels.get(String(value)) ?? fail('expects a known channel id');
      const api = channel.api;
      bucket('channels')[api.id] = {
        id: api.id,
        type: api.type,
        name: api.name,
        permissions: world.botPermissionsIn(api.id).toString(),
        ...(api.parent_id ? { parent_id: api.parent_id } : {}),
        ...(api.thread_metadata ? { thread_metadata: api.thread_metadata } : {}),
      };
      return { name, type, value: api.id };
    }
    default:
      return { name, type, value: value as unknown as string };
  }
}

function checkChoices(def: JsonRecord | null, value: string | number, fail: (why: string) => never): void {
  const choices = arrayOr(def?.choices).filter(isRecord);
  if (choices.length > 0 && !choices.some((c) => c.value === value))
    fail(`"${value}" is not one of its choices`);
}

/**
 * Refuses, as Discord's client does (the command is not even listed), a guild member lacking any of
 * a command's `default_member_permissions` ("0": administrators only); Administrator passes. Not
 * checked in DMs. Per-command overrides (Server Settings → Integrations) are not modelled.
 */
export function checkMemberPermissions(
  world: World,
  command: ApiCommand | null,
  guildId: string | null,
  userId: string,
): void {
  const required = command?.default_member_permissions;
  if (guildId === null || required === null || required === undefined) return;
  const needed = BigInt(String(required));
  const has = world.memberPermissions(guildId, userId);
  if ((has & Permission.Administrator) !== 0n) return;
  if (needed === 0n || (has & needed) !== needed) {
    throw new Error(
      `fake Discord: user ${userId} lacks the permissions /${command?.name} requires (${needed}); Discord would not offer it`,
    );
  }
}

/** Finds a component with this custom id anywhere in a message's component tree. */
export function findComponent(message: StoredMessage, customId: string): JsonRecord | null {
  let found: JsonRecord | null = null;
  const walk = (node: unknown): void => {
    if (found || !isRecord(node)) return;
    if (node.custom_id === customId) {
      found = node;
      return;
    }
    for (const child of arrayOr(node.components)) walk(child);
    if (isRecord(node.accessory)) walk(node.accessory);
  };
  for (const top of message.components) walk(top);
  return found;
}

/**
 * The `components` of a modal submit, mirroring the modal that was shown: rows and labels wrap one
 * text input each, carrying the typed value. Every required input needs a value; unknown ids fail.
 */
export function buildModalSubmitComponents(
  modal: JsonRecord,
  fields: Readonly<Record<string, string>>,
): JsonRecord[] {
  const components = arrayOr(modal.components);
  const inputs = modalInputs(components);
  const known = new Set(inputs.map(([, input]) => String(input.custom_id)));
  for (const id of Object.keys(fields)) {
    if (!known.has(id))
      throw new Error(`fake Discord: modal "${String(modal.custom_id)}" has no input "${id}"`);
  }
  for (const [, input] of inputs) {
    const id = String(input.custom_id);
    const value = fields[id];
    if (input.required !== false && (value === undefined || value.length === 0)) {
      throw new Error(`fake Discord: modal input "${id}" is required`);
    }
    if (value !== undefined && typeof input.max_length === 'number' && value.length > input.max_length) {
      throw new Error(`fake Discord: modal input "${id}" is longer than its max_length ${input.max_length}`);
    }
  }
  return components.filter(isRecord).map((top) => {
    if (top.type === 18 && isRecord(top.component)) {
      const id = String(top.component.custom_id);
      return {
        type: 18,
        ...(top.id !== undefined ? { id: top.id } : {}),
        component: { type: top.component.type, custom_id: id, value: fields[id] ?? '' },
      };
    }
    return {
      type: 1,
      components: arrayOr(top.components)
        .filter(isRecord)
        .map((input) => ({
          type: input.type,
          custom_id: input.custom_id,
          value: fields[String(input.custom_id)] ?? '',
        })),
    };
  });
}
