/** Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds; snowflake timestamps count from it. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

/**
 * Makes strictly increasing snowflakes from a clock. Real-looking ids (17–19 digits) matter:
 * @discordjs/rest only recognises major parameters (channel, guild, webhook) made of 17–19 digits,
 * so short ids would put every channel into one rate-limit bucket.
 */
export function createSnowflakeGenerator(now: () => number): () => string {
  let lastMs = 0;
  let increment = 0;
  return () => {
    let ms = Math.max(now(), lastMs);
    if (ms === lastMs) {
      increment += 1;
      if (increment >= 4096) {
        ms += 1;
        increment = 0;
      }
    } else {
      increment = 0;
    }
    lastMs = ms;
    const id = (BigInt(ms - DISCORD_EPOCH_MS) << 22n) | (1n << 17n) | BigInt(increment);
    return id.toString();
  };
}

/** Unix milliseconds encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

/**
 * The shard of `shardCount` that receives a guild's events: `(guild_id >> 22) % num_shards`
 * (Discord docs, "Sharding Formula"). Snowflakes exceed 2^53, so the arithmetic is on BigInt.
 */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Milliseconds after Discord's epoch near which `guildIdOnShard` makes ids (2024-01-01): 19 digits. */
const SHARD_ID_BASE_MS = 283_996_800_000n;

/**
 * A guild id that lands on `shard` of `shardCount`, for seeding guilds on chosen shards. Distinct
 * `seq` values give distinct ids for the same shard and count (the timestamp steps by `shardCount`);
 * the worker bits (2) keep them apart from the fake's own ids (worker 1). Fixed, so a test's ids are
 * the same on every run.
 */
export function guildIdOnShard(shard: number, shardCount: number, seq = 0): string {
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new Error(`shard count ${shardCount} is not ≥ 1`);
  if (!Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new Error(`shard ${shard} is not in 0..${shardCount - 1}`);
  }
  if (!Number.isInteger(seq) || seq < 0) throw new Error(`seq ${seq} is not a non-negative integer`);
  const count = BigInt(shardCount);
  const offset = (BigInt(shard) - (SHARD_ID_BASE_MS % count) + count) % count;
  const ms = SHARD_ID_BASE_MS + offset + BigInt(seq) * count;
  return ((ms << 22n) | (2n << 17n)).toString();
}
