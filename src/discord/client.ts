import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from '../config.js';
import { SAFE_MENTIONS } from './payloads.js';

/**
 * The discord.js client: guild, guild-message and guild-message-reaction events (mentions and
 * replies carry their text without the privileged Message Content intent; it is requested only when
 * configured; reactions need no privileged intent), REST at DISCORD_API_URL, partial messages (for
 * reactions, deletions and edits of messages the client never cached),
 * and SAFE_MENTIONS as the default for anything that forgets to say.
 */
export function createClient(config: Config): Client {
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
  });
}
