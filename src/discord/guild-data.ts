import type { Client } from 'discord.js';
import type { Logger } from '../log.js';
import type { PurgeCounts, Store } from '../store/store.js';

/**
 * The bot was removed from a guild (kicked, banned, or the guild was deleted): deletes what the store
 * keeps for it (threads with their turns, jobs, usage, and texts pasted or uploaded there that no
 * other thread refers to). discord.js emits `guildDelete` only then; a guild that is merely
 * unavailable (an outage: GUILD_DELETE with `unavailable: true`) emits `guildUnavailable` instead,
 * and must purge nothing. Logs counts and the guild id, nothing personal.
 */
export async function purgeRemovedGuild(store: Store, guildId: string, log: Logger): Promise<PurgeCounts> {
  const counts = await store.purgeGuild(guildId);
  log.info({ guildId, ...counts }, 'guild data purged: the bot is no longer in the guild');
  return counts;
}

/** Cache namespace and key of the guilds the bot was a member of when it last looked. */
const MEMBERSHIP_NAMESPACE = 'discord-guild-membership';
const MEMBERSHIP_KEY = 'guilds';

/** Records the guilds the bot is a member of now, for the next start-up's departed-guild check. */
export async function recordMembership(client: Client, store: Store): Promise<void> {
  if (client.shard !== null) return;
  await store.cache.put(MEMBERSHIP_NAMESPACE, MEMBERSHIP_KEY, [...client.guilds.cache.keys()].sort());
}

/**
 * At start-up, once the client is ready: purges the guilds the bot was a member of at its last look
 * (the previous run's record) and is no longer in — it was removed while offline, so it never saw
 * their GUILD_DELETE. READY lists every guild of the session, unavailable ones included, so the
 * client's guild cache is complete by then. Only guilds the bot was a member of: conversations from
 * servers where people use Verbatim as a user-installed app (the bot is not a member there) are
 * kept, and so are direct messages. Without a previous record (first start, or the record expired)
 * nothing is purged. Skipped when the process runs only some shards (discord.js ShardingManager):
 * its cache is then partial. Returns the ids purged (a guild with no data among them: nothing to
 * delete).
 */
export async function purgeDepartedGuilds(client: Client, store: Store, log: Logger): Promise<string[]> {
  if (client.shard !== null) {
    log.info('departed guilds not checked: this process runs only some shards');
    return [];
  }
  const previous = await store.cache.get<string[]>(MEMBERSHIP_NAMESPACE, MEMBERSHIP_KEY);
  await recordMembership(client, store);
  const departed = (Array.isArray(previous) ? previous : []).filter((id) => !client.guilds.cache.has(id));
  for (const guildId of departed) await purgeRemovedGuild(store, guildId, log);
  log.info({ purged: departed.length, previousRecord: previous !== undefined }, 'departed guilds checked');
  return departed;
}
