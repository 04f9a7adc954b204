import type { PurgeCounts, ShardRef, ShardSet } from '../store/store.js';
import type { Parts } from './parts.js';

export type { ShardRef, ShardSet } from '../store/store.js';

/** A guild the bot is a member of, with the shard its events arrive on. */
export interface GuildSeen {
  readonly guildId: string;
  readonly shard: ShardRef;
}

/**
 * The guilds the bot is in, and everything kept for a guild it leaves. Membership is recorded per
 * guild with its shard and when it was seen, so a process running only some shards (issue 12's
 * gateways) judges only its own guilds.
 */
export class Guilds {
  readonly #parts: Parts;

  constructor(parts: Parts) {
    this.#parts = parts;
  }

  /** The bot joined a guild, or saw it again (after an outage): it is a member now. */
  joined(guild: GuildSeen): Promise<void> {
    return this.#parts.store.recordGuildMemberships([guild.guildId], guild.shard, this.#parts.now());
  }

  /**
   * The bot was removed from a guild (kicked, banned, or the guild was deleted): deletes what is
   * kept for it (conversations with their questions, deliveries, jobs, usage, settings, membership,
   * and texts pasted there that no other conversation refers to). Never for a guild that is merely
   * unavailable (an outage). Logs counts and the guild id, nothing personal.
   */
  async left(guildId: string): Promise<PurgeCounts> {
    const counts = await this.#parts.store.purgeGuild(guildId);
    this.#parts.log.info({ guildId, ...counts }, 'guild data purged: the bot is no longer in the guild');
    return counts;
  }

  /**
   * At start-up, with every guild the process sees now (`seen`) and the shards it runs (null: all):
   * records them, then purges the guilds recorded at an earlier look, on those shards, that were
   * not seen now: the bot was removed from them while offline, so it never saw their removal.
   * Nothing recorded before (a first start): nothing purged. Returns the ids purged.
   */
  async departed(seen: readonly GuildSeen[], shards: ShardSet | null): Promise<string[]> {
    const { store, log, now } = this.#parts;
    const at = now();
    const byShard = new Map<string, { shard: ShardRef; ids: string[] }>();
    for (const { guildId, shard } of seen) {
      const key = `${shard.id}/${shard.count}`;
      const entry = byShard.get(key) ?? { shard, ids: [] };
      entry.ids.push(guildId);
      byShard.set(key, entry);
    }
    for (const { shard, ids } of byShard.values()) await store.recordGuildMemberships(ids, shard, at);
    const departed = await store.guildsNotSeenSince(at, shards);
    for (const guildId of departed) await this.left(guildId);
    log.info({ purged: departed.length, guilds: seen.length }, 'departed guilds checked');
    return departed;
  }
}
