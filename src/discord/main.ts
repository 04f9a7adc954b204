import { commands } from '../../commands/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { type HealthServer, startHealthServer } from '../ops/health.js';
import { createMetrics } from '../ops/metrics.js';
import { type RunningBot, startBot } from './bot.js';
import { type RunningWorker, startWorker } from './worker.js';

/**
 * `npm start` (VERBATIM_ROLE=worker: the worker, see worker.ts): config → logger → the bot (store, worker pool, engine, client, handlers, login) →
 * the health server when HEALTH_PORT is set. SIGINT/SIGTERM (even during start-up) stop taking
 * work, let running work finish (SHUTDOWN_GRACE_MS; what is still running then is stopped and its
 * users offered a retry), destroy the client, close the pool and the store, and exit 0.
 */
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
let bot: RunningBot | RunningWorker | null = null;
let health: HealthServer | null = null;
let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  try {
    await health?.close();
    await bot?.stop();
  } catch (err) {
    log.error({ err }, 'could not stop cleanly');
    process.exit(1);
  }
  process.exit(0);
};
process.once('SIGINT', (signal) => void stop(signal));
process.once('SIGTERM', (signal) => void stop(signal));
try {
  const metrics = createMetrics({ processMetrics: true });
  // VERBATIM_ROLE: all and gateway connect Discord's gateway; a worker only takes queued jobs.
  bot =
    config.VERBATIM_ROLE === 'worker'
      ? await startWorker(config, log, metrics)
      : await startBot(config, log, commands, metrics);
  if (config.HEALTH_PORT && !stopping) {
    health = await startHealthServer({
      host: config.HEALTH_HOST,
      port: config.HEALTH_PORT,
      metrics,
      checks: bot.readiness,
      log: log.child({ component: 'health' }),
    });
  }
} catch (err) {
  // A setting the user must fix is one plain line, like a config error at load; anything else is logged whole.
  if (err instanceof ConfigError) process.stderr.write(`verbatim: ${err.message}\n`);
  else log.fatal({ err }, 'could not start');
  process.exit(err instanceof ConfigError ? 2 : 1);
}
