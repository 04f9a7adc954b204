import { discordErrors, FormErrors } from './errors.js';
import type { Route, RouteContext } from './http-server.js';
import { cloneJson, isRecord, type JsonRecord } from './json.js';
import { isThreadType } from './limits.js';
import type { ApiCommand } from './model.js';
import { validateCommand, validateCommandList } from './validate-commands.js';
import type { World } from './world.js';

/** One registration request as received (bulk overwrite or single create), for tests to inspect. */
export interface CommandRegistration {
  readonly at: number;
  /** `global` or the guild id. */
  readonly scope: string;
  readonly method: string;
  readonly body: unknown;
}

export interface AppRouteDeps {
  readonly world: World;
  readonly gatewayUrl: () => string;
  readonly registrations: CommandRegistration[];
  /** Recommended shard count for `GET /gateway/bot`. */
  readonly shards: number;
  readonly maxConcurrency: number;
}

/** Gateway discovery, users, the application, command registration and guild reads. */
export function appRoutes(deps: AppRouteDeps): Route[] {
  const { world } = deps;

  const scopeOf = (ctx: RouteContext): string => {
    if (ctx.params.application !== world.application.id) throw discordErrors.unknownApplication();
    const guildId = ctx.params.guild;
    if (guildId === undefined) return 'global';
    if (!world.guilds.has(guildId)) throw discordErrors.missingAccess();
    return guildId;
  };

  const toCommand = (raw: JsonRecord, scope: string, previous: ApiCommand[]): ApiCommand => {
    const type = typeof raw.type === 'number' ? raw.type : 1;
    const name = String(raw.name);
    const kept = previous.find((c) => c.type === type && c.name === name);
    const command: ApiCommand = {
      ...cloneJson(raw),
      id: kept?.id ?? world.nextId(),
      application_id: world.application.id,
      version: world.nextId(),
      type,
      name,
      description: typeof raw.description === 'string' ? raw.description : '',
      default_member_permissions: raw.default_member_permissions ?? null,
      nsfw: raw.nsfw === true,
      integration_types: Array.isArray(raw.integration_types) ? raw.integration_types : [0],
      contexts: Array.isArray(raw.contexts) ? raw.contexts : null,
      ...(scope === 'global' ? {} : { guild_id: scope }),
    };
    return command;
  };

  const commandRoutes = (base: string): Route[] => [
    {
      method: 'GET',
      pattern: base,
      auth: true,
      handle: (ctx) => ({ status: 200, body: world.commands.get(scopeOf(ctx)) ?? [] }),
    },
    {
      method: 'PUT',
      pattern: base,
      auth: true,
      handle: (ctx) => {
        const scope = scopeOf(ctx);
        deps.registrations.push({ at: world.now, scope, method: 'PUT', body: cloneJson(ctx.body ?? null) });
        validateCommandList(ctx.body).throwIfAny();
        const previous = world.commands.get(scope) ?? [];
        const list = (ctx.body as JsonRecord[]).map((raw) => toCommand(raw, scope, previous));
        world.commands.set(scope, list);
        return { status: 200, body: list };
      },
    },
    {
      method: 'POST',
      pattern: base,
      auth: true,
      handle: (ctx) => {
        const scope = scopeOf(ctx);
        deps.registrations.push({ at: world.now, scope, method: 'POST', body: cloneJson(ctx.body ?? null) });
        const errors = new FormErrors();
        if (!isRecord(ctx.body))
          errors.add([], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        else validateCommand(ctx.body, errors, []);
        errors.throwIfAny();
        const raw = ctx.body as JsonRecord;
        const previous = world.commands.get(scope) ?? [];
        const command = toCommand(raw, scope, previous);
        const existed = previous.some((c) => c.id === command.id);
        world.commands.set(scope, [...previous.filter((c) => c.id !== command.id), command]);
        return { status: existed ? 200 : 201, body: command };
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:command`,
      auth: true,
      handle: (ctx) => {
        const command = (world.commands.get(scopeOf(ctx)) ?? []).find((c) => c.id === ctx.params.command);
        if (!command) throw discordErrors.unknownCommand();
        return { status: 200, body: command };
      },
    },
    {
      method: 'DELETE',
      pattern: `${base}/:command`,
      auth: true,
      handle: (ctx) => {
        const scope = scopeOf(ctx);
        const list = world.commands.get(scope) ?? [];
        if (!list.some((c) => c.id === ctx.params.command)) throw discordErrors.unknownCommand();
        world.commands.set(
          scope,
          list.filter((c) => c.id !== ctx.params.command),
        );
        return { status: 204 };
      },
    },
  ];

  const guildOf = (ctx: RouteContext) => {
    const guild = world.guilds.get(ctx.params.guild ?? '');
    if (!guild) throw discordErrors.unknownGuild();
    return guild;
  };

  const sessionStartLimit = {
    total: 1000,
    remaining: 999,
    reset_after: 86_400_000,
    max_concurrency: deps.maxConcurrency,
  };

  return [
    {
      method: 'GET',
      pattern: '/gateway',
      auth: false,
      handle: () => ({ status: 200, body: { url: deps.gatewayUrl() } }),
    },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () => ({
        status: 200,
        body: { url: deps.gatewayUrl(), shards: deps.shards, session_start_limit: sessionStartLimit },
      }),
    },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: () => ({ status: 200, body: world.bot }) },
    {
      method: 'GET',
      pattern: '/users/:user',
      auth: true,
      handle: (ctx) => {
        const user = world.users.get(ctx.params.user ?? '');
        if (!user) throw discordErrors.unknownUser();
        return { status: 200, body: user };
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handle: () => ({
        status: 200,
        body: {
          id: world.application.id,
          name: world.application.name,
          icon: null,
          description: '',
          summary: '',
          type: null,
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          flags: world.application.flags,
          owner: [...world.users.values()].find((u) => !u.bot) ?? world.bot,
          team: null,
          bot: world.bot,
          approximate_guild_count: world.guilds.size,
          integration_types_config: { '0': {} },
          tags: [],
        },
      }),
    },
    ...commandRoutes('/applications/:application/commands'),
    ...commandRoutes('/applications/:application/guilds/:guild/commands'),
    {
      method: 'GET',
      pattern: '/guilds/:guild',
      auth: true,
      handle: (ctx) => ({ status: 200, body: world.guildRestPayload(guildOf(ctx)) }),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/channels',
      auth: true,
      handle: (ctx) => {
        const guild = guildOf(ctx);
        const channels = [...world.channels.values()].filter(
          (c) => c.guildId === guild.id && !isThreadType(c.api.type),
        );
        return { status: 200, body: channels.map((c) => c.api) };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/threads/active',
      auth: true,
      handle: (ctx) => {
        const guild = guildOf(ctx);
        const threads = [...world.channels.values()].filter(
          (c) => c.guildId === guild.id && isThreadType(c.api.type) && !c.api.thread_metadata?.archived,
        );
        return { status: 200, body: { threads: threads.map((c) => c.api), members: [] } };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/roles',
      auth: true,
      handle: (ctx) => ({ status: 200, body: world.guildRoles(guildOf(ctx)) }),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members/:user',
      auth: true,
      handle: (ctx) => {
        const guild = guildOf(ctx);
        const userId = ctx.params.user === '@me' ? world.bot.id : (ctx.params.user ?? '');
        if (!guild.memberIds.has(userId) && userId !== world.bot.id) throw discordErrors.unknownMember();
        return { status: 200, body: world.member(guild.id, userId) };
      },
    },
  ];
}
