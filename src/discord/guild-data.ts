import type { Client, Guild } from 'discord.js';
import type { Logger } from '../log.js';
import type { PurgeCounts, ShardRef, ShardSet, Store } from '../store/store.js';

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

/** The shards this process runs: all of them (null) unless a ShardingManager gave it some. */
function shardsOf(client: Client): ShardSet | null {
  return client.shard ? { ids: client.shard.ids, count: client.shard.count } : null;
}

/** The shard a guild's events arrive on, of the client's shard count. */
function shardOf(client: Client, guild: Guild): ShardRef {
  return { id: guild.shardId, count: client.shard?.count ?? client.options.shardCount ?? 1 };
}

/** Records that the bot is a member of `guild` now (it joined, or came back after an outage). */
export async function recordMembership(
  client: Client,
  store: Store,
  guild: Guild,
  now: number,
): Promise<void> {
  await store.recordGuildMemberships([guild.id], shardOf(client, guild), now);
}

/**
 * At start-up, once the client is ready: records every guild the bot is a member of (READY lists
 * every guild of the session, unavailable ones included, so the client's guild cache is complete by
 * then), then purges the guilds recorded at an earlier look, on this process's shards, that were not
 * seen now: the bot was removed from them while offline, so it never saw their GUILD_DELETE. Only
 * guilds the bot was a member of: conversations from servers where people use Verbatim as a
 * user-installed app (the bot is not a member there) are kept, and so are direct messages. Nothing
 * recorded before (a first start): nothing purged. Returns the ids purged (a guild with no data
 * among them: nothing to delete).
 */
export async function purgeDepartedGuilds(
  client: Client,
  store: Store,
  log: Logger,
  now: number,
): Promise<string[]> {
  const byShard = new Map<string, { shard: ShardRef; ids: string[] }>();
  for (const guild of client.guilds.cache.values()) {
    const shard = shardOf(client, guild);
    const key = `${shard.id}/${shard.count}`;
    const entry = byShard.get(key) ?? { shard, ids: [] };
    entry.ids.push(guild.id);
    byShard.set(key, entry);
  }
  for (const { shard, ids } of byShard.values()) await store.recordGuildMemberships(ids, shard, now);
  const departed = await store.guildsNotSeenSince(now, shardsOf(client));
  for (const guildId of departed) await purgeRemovedGuild(store, guildId, log);
  log.info({ purged: departed.length, guilds: client.guilds.cache.size }, 'departed guilds checked');
  return departed;
}
