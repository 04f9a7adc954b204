/**
 * `npm run deploy-commands`: registers Verbatim's commands with Discord, to DISCORD_GUILD_ID when
 * set (instant, for testing a server) or globally (visible everywhere within about an hour).
 * Registering is never a side effect of starting the bot.
 */
import { commands } from '../commands/index.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { deployCommands } from '../src/discord/deploy.js';

try {
  const config = loadConfig();
  if (!config.DISCORD_TOKEN) throw new ConfigError('DISCORD_TOKEN is missing: set it in .env.');
  if (!config.DISCORD_APPLICATION_ID) {
    throw new ConfigError(
      'DISCORD_APPLICATION_ID is missing: set it in .env (Developer Portal → General Information).',
    );
  }
  const registered = await deployCommands(commands, {
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: config.DISCORD_API_URL,
  });
  const where = config.DISCORD_GUILD_ID
    ? `guild ${config.DISCORD_GUILD_ID}`
    : 'all servers (global; allow up to an hour)';
  console.log(
    `Registered ${registered.length} commands for ${where}: ${registered.map((c) => c.name).join(', ')}`,
  );
} catch (err) {
  console.error(`deploy-commands: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = err instanceof ConfigError ? 2 : 1;
}
