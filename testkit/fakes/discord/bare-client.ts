/**
 * The baseline for acknowledgement latency: a bare discord.js client that defers every interaction
 * and does nothing else (no Verbatim code). Run as its own process by `startBareClientProcess`
 * (bare-client-process.ts), so a benchmark can compare Verbatim's gateway with plain discord.js on
 * the same machine, in the same run.
 *
 * Usage: node bare-client.js --api http://127.0.0.1:PORT/api --token T [--shards 0,1] [--shard-count 2]
 * Writes one JSON line per event to stdout: `{"event":"ready"}`, then
 * `{"event":"deferred","id":"…","ms":1.2}` per interaction (ms: from receipt to Discord's answer to
 * the deferral, on this process's clock) and `{"event":"error","message":"…"}` on failures.
 */
import { parseArgs } from 'node:util';
import { Client, Events, GatewayIntentBits } from 'discord.js';

function write(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    token: { type: 'string' },
    shards: { type: 'string' },
    'shard-count': { type: 'string' },
  },
});
if (!values.api || !values.token) {
  process.stderr.write('bare-client: --api and --token are required\n');
  process.exit(2);
}
const shards = values.shards?.split(',').map(Number);
const shardCount = values['shard-count'] === undefined ? undefined : Number(values['shard-count']);

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: values.api },
  ...(shards === undefined ? {} : { shards }),
  ...(shardCount === undefined ? {} : { shardCount }),
});
client.on(Events.InteractionCreate, async (interaction) => {
  if (!interaction.isRepliable()) return;
  const received = performance.now();
  try {
    await interaction.deferReply();
    write({ event: 'deferred', id: interaction.id, ms: performance.now() - received });
  } catch (error) {
    write({ event: 'error', message: (error as Error).message });
  }
});
client.on(Events.Error, (error) => write({ event: 'error', message: error.message }));
client.once(Events.ClientReady, () => write({ event: 'ready' }));
process.once('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});
await client.login(values.token);
