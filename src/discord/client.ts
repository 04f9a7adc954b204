import {
  Client,
  GatewayIntentBits,
  Partials,
  REST,
  type RESTGetAPIGatewayBotResult,
  Routes,
} from 'discord.js';
import { type Config, ConfigError } from '../config.js';
import { SAFE_MENTIONS } from './payloads.js';

/**
 * The discord.js client: guild, guild-message and guild-message-reaction events (mentions and
 * replies carry their text without the privileged Message Content intent; it is requested only when
 * configured; reactions need no privileged intent), REST at DISCORD_API_URL, partial messages (for
 * reactions, deletions and edits of messages the client never cached),
 * and SAFE_MENTIONS as the default for anything that forgets to say.
 */
export function createClient(config: Config, shards: Shards | null = null): Client {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.GuildMessageReactions,
  ];
  if (config.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    // Reactions arrive for messages sent before the bot started (or evicted from its cache): as
    // partials, fetched by the reaction handler.
    partials: [Partials.Message, Partials.Reaction, Partials.User],
    rest: { api: config.DISCORD_API_URL },
    allowedMentions: SAFE_MENTIONS,
    ...(shards ? { shards: [...shards.ids], shardCount: shards.count } : {}),
  });
}

/** The gateway shards one process connects: `ids` of `count`. */
export interface Shards {
  readonly ids: readonly number[];
  readonly count: number;
}

/**
 * The shards this process connects (null: discord.js's default, one shard, as before): those of
 * DISCORD_SHARD_IDS (default all) of DISCORD_SHARD_COUNT (default Discord's recommendation,
 * GET /gateway/bot). A shard id outside the count is a ConfigError naming DISCORD_SHARD_IDS.
 */
export async function shardsFor(config: Config, token: string): Promise<Shards | null> {
  const ids = config.DISCORD_SHARD_IDS;
  if (config.VERBATIM_ROLE !== 'gateway' && ids.length === 0 && config.DISCORD_SHARD_COUNT === null)
    return null;
  let count = config.DISCORD_SHARD_COUNT;
  if (count === null) {
    const rest = new REST({ api: config.DISCORD_API_URL }).setToken(token);
    count = ((await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult).shards;
  }
  const outside = ids.find((id) => id >= (count ?? 1));
  if (outside !== undefined) {
    throw new ConfigError(
      `DISCORD_SHARD_IDS has shard ${outside}, but Discord recommends ${count} shards (0…${count - 1}): set DISCORD_SHARD_COUNT or fix DISCORD_SHARD_IDS.`,
    );
  }
  return { ids: ids.length > 0 ? ids : Array.from({ length: count }, (_, i) => i), count };
}
