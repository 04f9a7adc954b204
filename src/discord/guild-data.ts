import type { Client } from 'discord.js';
import type { Logger } from '../log.js';
import type { PurgeCounts, Store } from '../store/store.js';

/** The guild id summaries in direct messages are stored under (see summarize-flow): never purged as a guild. */
const DIRECT_MESSAGES_GUILD_ID = '@me';

/**
 * The bot was removed from a guild (kicked, banned, or the guild was deleted): deletes what the store
 * keeps for it (threads with their turns, jobs, usage, and texts pasted or uploaded there that no
 * other thread refers to). discord.js emits `guildDelete` only then; a guild that is merely
 * unavailable (an outage: GUILD_DELETE with `unavailable: true`) emits `guildUnavailable` instead,
 * and must purge nothing. Logs counts and the guild id, nothing personal.
 */
export async function purgeRemovedGuild(store: Store, guildId: string, log: Logger): Promise<PurgeCounts> {
  const hashes = await store.guildArticleHashes(guildId);
  const purged = await store.purgeGuild(guildId);
  let articles = 0;
  for (const hash of hashes) if (await store.deleteArticleIfUnreferenced(hash)) articles++;
  const counts = { ...purged, articles: purged.articles + articles };
  log.info({ guildId, ...counts }, 'guild data purged: the bot is no longer in the guild');
  return counts;
}

/**
 * At start-up, once the client is ready: purges the guilds the store knows that the bot is no longer
 * in (it was removed while offline, so it never saw their GUILD_DELETE). READY lists every guild of
 * the session, unavailable ones included, so the client's guild cache is complete by then. Skipped
 * when the process runs only some shards (discord.js ShardingManager): its cache is then partial.
 * Returns the ids purged.
 */
export async function purgeDepartedGuilds(client: Client, store: Store, log: Logger): Promise<string[]> {
  if (client.shard !== null) {
    log.info('departed guilds not checked: this process runs only some shards');
    return [];
  }
  const departed = (await store.knownGuildIds()).filter(
    (id) => id !== DIRECT_MESSAGES_GUILD_ID && !client.guilds.cache.has(id),
  );
  for (const guildId of departed) await purgeRemovedGuild(store, guildId, log);
  log.info({ purged: departed.length }, 'departed guilds checked');
  return departed;
}
