import { commands } from '../../commands/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startBot } from './bot.js';

/** `npm start`: config → logger → the bot (store, pool, engine, client, handlers, login); stops on SIGINT/SIGTERM. */
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`verbatim: ${err.message}\n`);
    process.exit(2);
  }
})();
const log = createLogger(config.LOG_LEVEL);
try {
  const bot = await startBot(config, log, commands);
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    void bot.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  log.fatal({ err }, err instanceof ConfigError ? err.message : 'could not start');
  process.exitCode = err instanceof ConfigError ? 2 : 1;
}
