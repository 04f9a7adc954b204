import { once } from 'node:events';
import { type Client, Events, Status } from 'discord.js';
import type { Retention } from '../app/retention.js';
import { createSystem, type System } from '../app/system.js';
import type { WorkQueue } from '../app/work-queue.js';
import { openQueue } from '../app/work-queue.js';
import { type Config, ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import type { ReadinessCheck } from '../ops/health.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { createMessageDeleteHandler, createMessageUpdateHandler } from './auto-summary.js';
import { createClient, shardsFor } from './client.js';
import type { Command } from './command.js';
import { BotContext } from './context.js';
import { guildSeen, purgeDepartedGuilds } from './guild-membership.js';
import { handlers } from './handlers/index.js';
import { apologizeForInterruptedJobs } from './interrupted-jobs.js';
import { createMessageHandler } from './message-handler.js';
import { createReactionHandler } from './reaction-handler.js';
import { renderSummaryEmbeds } from './render/render-summary.js';
import { createInteractionRouter } from './router.js';

export interface RunningBot {
  readonly client: Client;
  /** What the bot runs on (store, engines, use cases): see `createSystem`. */
  readonly system: System;
  readonly context: BotContext;
  /** The retention purge (RETENTION_DAYS): run at start and hourly; `runOnce` purges now. */
  readonly retention: Retention;
  /** For `/readyz`: the gateway connection is ready, the store answers. */
  readonly readiness: readonly ReadinessCheck[];
  /**
   * Stops taking work, lets running work finish for up to `graceMs` (then aborts it, telling its
   * users), destroys the client, closes the worker pool and the store.
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
}

export interface StartOptions {
  /** Clock for the retention purge, in ms since the epoch; default `Date.now`. Tests move it. */
  readonly now?: () => number;
  /** Bound on the store's cache entries (default 5,000); tests shrink it to see eviction. */
  readonly maxCacheEntries?: number;
}

/**
 * Starts Verbatim on Discord, in order: the system (store, worker pool, engines, use cases) →
 * retention → warm-up → client → handlers → login; resolves once the client is ready. Whatever was
 * opened is closed again if a step fails.
 */
export async function startBot(
  config: Config,
  log: Logger,
  commands: readonly Command[],
  metrics: Metrics = createMetrics(),
  options: StartOptions = {},
): Promise<RunningBot> {
  const token = config.DISCORD_TOKEN;
  if (!token) {
    throw new ConfigError('DISCORD_TOKEN is missing: set it in .env (Developer Portal → Bot → Reset Token).');
  }
  const system = await createSystem(config, log, {
    run: 'workers',
    metrics,
    ...(options.maxCacheEntries === undefined ? {} : { maxCacheEntries: options.maxCacheEntries }),
  });
  let retention: Retention | null = null;
  let queue: WorkQueue | null = null;
  const closeCore = async () => {
    await queue?.close();
    retention?.stop();
    await retention?.first;
    await system.close();
  };
  try {
    await system.open();
    retention = system.startRetention(options.now);
    const { app } = system;
    // Workers started and code compiled now, not while the first users wait for acknowledgements.
    const warm = await app.summaries.warmUp();
    if (warm) renderSummaryEmbeds(warm.article, warm.result, null);
    const gateway = config.VERBATIM_ROLE === 'gateway';
    queue = gateway ? await openQueue(config, log) : null;
    const client = createClient(config, await shardsFor(config, token));
    const context = new BotContext(client, app, system.rateLimits, config, log, metrics, queue);
    client.on(Events.InteractionCreate, createInteractionRouter(context, commands, handlers));
    client.on(Events.MessageCreate, createMessageHandler(context));
    client.on(Events.MessageDelete, createMessageDeleteHandler(context));
    client.on(Events.MessageUpdate, createMessageUpdateHandler(context));
    client.on(Events.MessageReactionAdd, createReactionHandler(context));
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ code: event.code, shard }, 'gateway disconnected'),
    );
    client.on(Events.ShardResume, (shard) => log.info({ shard }, 'gateway resumed'));
    client.on(Events.GuildDelete, (guild) =>
      context.track(
        app.guilds
          .left(guild.id)
          .catch((err: unknown) =>
            log.warn({ err, guildId: guild.id }, 'could not purge a guild the bot left'),
          ),
      ),
    );
    client.on(Events.GuildCreate, (guild) =>
      context.track(
        app.guilds
          .joined(guildSeen(client, guild))
          .catch((err: unknown) =>
            log.warn({ err, guildId: guild.id }, 'could not record a guild the bot is in'),
          ),
      ),
    );
    client.on(Events.GuildUnavailable, (guild) =>
      log.warn({ guildId: guild.id }, 'guild unavailable (Discord outage): its data is kept'),
    );
    const ready = once(client, Events.ClientReady);
    // Jobs recorded from now on are this process's own work, not what an earlier one left behind.
    const startedAt = Date.now();
    try {
      await client.login(token);
      await ready;
    } catch (err) {
      await client.destroy();
      throw err;
    }
    const engines = await system.engines();
    log.info(
      {
        user: client.user?.tag,
        guilds: client.guilds.cache.size,
        engine: engines.ok ? engines.value.primary.name : null,
        role: config.VERBATIM_ROLE,
        shards: client.options.shards,
      },
      'bot ready',
    );
    // On a gateway, unfinished jobs are the workers' (queued or running): the queue runs a dead
    // worker's job again; they are not this process's to call interrupted.
    if (!gateway) {
      void apologizeForInterruptedJobs(client, app.jobs, {
        startedBefore: startedAt,
        retryWindowMs: config.DISCORD_RETRY_HOURS * 3_600_000,
        metrics,
      }).catch((err: unknown) => log.warn({ err }, 'could not check interrupted requests'));
    }
    context.track(
      purgeDepartedGuilds(client, app.guilds).catch((err: unknown) =>
        log.warn({ err }, 'could not check for guilds left while offline'),
      ),
    );
    let stopped: Promise<void> | null = null;
    return {
      client,
      system,
      context,
      retention,
      readiness: [
        { name: 'discord', check: () => client.isReady() && client.ws.status === Status.Ready },
        { name: 'store', check: () => system.storeAnswers() },
      ],
      stop: (options = {}) => {
        stopped ??= (async () => {
          await context.drain(options.graceMs ?? config.SHUTDOWN_GRACE_MS);
          await client.destroy();
          await closeCore();
          log.info('bot stopped');
        })();
        return stopped;
      },
    };
  } catch (err) {
    await closeCore();
    throw err;
  }
}
