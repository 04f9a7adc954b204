import { once } from 'node:events';
import { type Client, Events, Status } from 'discord.js';
import { createAppWorkerPool } from '../app/pooled-engine.js';
import { type Retention, startRetention } from '../app/retention.js';
import { createService, type VerbatimService } from '../app/service.js';
import { openConfiguredStore } from '../app/wiring.js';
import { type Config, ConfigError } from '../config.js';
import type { Logger } from '../log.js';
import type { ReadinessCheck } from '../ops/health.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import type { Store } from '../store/store.js';
import { createClient } from './client.js';
import type { Command } from './command.js';
import { BotContext } from './context.js';
import { purgeDepartedGuilds, purgeRemovedGuild, recordMembership } from './guild-data.js';
import { createInteractionHandler } from './interaction-handler.js';
import { apologizeForInterruptedJobs } from './interrupted-jobs.js';
import { createMessageHandler } from './message-handler.js';
import { renderSummaryEmbeds } from './render/render-summary.js';

export interface RunningBot {
  readonly client: Client;
  readonly service: VerbatimService;
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
 * Starts Verbatim on Discord, in order: store → worker pool → engine (service) → client → handlers →
 * login; resolves once the client is ready. Whatever was opened is closed again if a step fails.
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
  const store: Store = await openConfiguredStore(
    config,
    log,
    options.maxCacheEntries === undefined ? {} : { maxCacheEntries: options.maxCacheEntries },
  );
  const retention = startRetention({
    store,
    retentionDays: config.RETENTION_DAYS,
    log: log.child({ component: 'retention' }),
    ...(options.now ? { now: options.now } : {}),
  });
  const pool = createAppWorkerPool(config.WORKER_THREADS);
  const closeCore = async () => {
    retention.stop();
    await retention.first;
    await pool.close();
    await store.close();
  };
  try {
    const service = await createService(config, log, store, pool);
    if (!service.ok) throw new ConfigError(service.error.message);
    // Workers started and code compiled now, not while the first users wait for acknowledgements.
    const warm = await service.value.warmUp();
    if (warm) renderSummaryEmbeds(warm.article, warm.result, null);
    const client = createClient(config);
    const context = new BotContext(client, service.value, config, log, metrics);
    client.on(Events.InteractionCreate, createInteractionHandler(context, commands));
    client.on(Events.MessageCreate, createMessageHandler(context));
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.ShardDisconnect, (event, shard) =>
      log.warn({ code: event.code, shard }, 'gateway disconnected'),
    );
    client.on(Events.ShardResume, (shard) => log.info({ shard }, 'gateway resumed'));
    client.on(Events.GuildDelete, (guild) =>
      context.track(
        purgeRemovedGuild(store, guild.id, log).catch((err: unknown) =>
          log.warn({ err, guildId: guild.id }, 'could not purge a guild the bot left'),
        ),
      ),
    );
    client.on(Events.GuildCreate, (guild) =>
      context.track(
        recordMembership(client, store, guild, Date.now()).catch((err: unknown) =>
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
    log.info(
      { user: client.user?.tag, guilds: client.guilds.cache.size, engine: service.value.engine.name },
      'bot ready',
    );
    void apologizeForInterruptedJobs(client, store, log, {
      startedBefore: startedAt,
      retryWindowMs: config.DISCORD_RETRY_HOURS * 3_600_000,
      metrics,
    }).catch((err: unknown) => log.warn({ err }, 'could not check interrupted requests'));
    context.track(
      purgeDepartedGuilds(client, store, log, Date.now()).catch((err: unknown) =>
        log.warn({ err }, 'could not check for guilds left while offline'),
      ),
    );
    let stopped: Promise<void> | null = null;
    return {
      client,
      service: service.value,
      context,
      retention,
      readiness: [
        { name: 'discord', check: () => client.isReady() && client.ws.status === Status.Ready },
        { name: 'store', check: async () => (await store.schemaVersion()) > 0 },
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
