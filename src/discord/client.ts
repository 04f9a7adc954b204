import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { Config } from '../config.js';
import { SAFE_MENTIONS } from './payloads.js';

/**
 * The discord.js client: guild and guild-message events (mentions and replies carry their text
 * without the privileged Message Content intent; it is requested only when configured), REST at
 * DISCORD_API_URL, partial messages for deletions and edits, and SAFE_MENTIONS as the default for anything that forgets to say.
 */
export function createClient(config: Config): Client {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];
  if (config.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent);
  return new Client({
    intents,
    // A message deleted or edited that the client never cached (sent before a restart) still
    // arrives, as a partial: its auto-summaries are withdrawn from what the store recorded.
    partials: [Partials.Message],
    rest: { api: config.DISCORD_API_URL },
    allowedMentions: SAFE_MENTIONS,
  });
}
