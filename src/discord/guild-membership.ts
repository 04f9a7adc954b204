import type { Client, Guild } from 'discord.js';
import type { GuildSeen, Guilds, ShardSet } from '../app/guilds.js';

/**
 * The shards this process runs: those a ShardingManager gave it, or its client's `shards` of
 * `shardCount` (a gateway of several), else all of them (null).
 */
function shardsOf(client: Client): ShardSet | null {
  if (client.shard) return { ids: client.shard.ids, count: client.shard.count };
  const { shards, shardCount } = client.options;
  return Array.isArray(shards) && shardCount !== undefined && shardCount > 1
    ? { ids: shards, count: shardCount }
    : null;
}

/** A guild as the app records it: its id and the shard its events arrive on. */
export function guildSeen(client: Client, guild: Guild): GuildSeen {
  return {
    guildId: guild.id,
    shard: { id: guild.shardId, count: client.shard?.count ?? client.options.shardCount ?? 1 },
  };
}

/**
 * At start-up, once the client is ready: READY lists every guild of the session, unavailable ones
 * included, so the client's guild cache is complete by then, and the guilds recorded before that
 * are not among them were left while the bot was offline (see `Guilds.departed`). Only guilds the
 * bot was a member of: conversations from servers where people use Verbatim as a user-installed
 * app (the bot is not a member there) are kept, and so are direct messages.
 */
export function purgeDepartedGuilds(client: Client, guilds: Guilds): Promise<string[]> {
  const seen = [...client.guilds.cache.values()].map((guild) => guildSeen(client, guild));
  return guilds.departed(seen, shardsOf(client));
}
