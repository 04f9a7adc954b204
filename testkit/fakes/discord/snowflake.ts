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
