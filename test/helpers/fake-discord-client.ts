import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  startFakeDiscord,
} from '../../testkit/fakes/discord/index.js';

export const DEFAULT_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages];

/** A fake Discord with a real discord.js client logged into it. */
export interface Bot {
  readonly fake: FakeDiscord;
  readonly client: Client;
  /** Errors the client reported (`error`, `shardError`); a healthy run has none. */
  readonly errors: Error[];
  readonly readyMs: number;
  /** Every MESSAGE_CREATE the client turned into a Message. */
  readonly received: Message[];
}

/** Starts a fake, logs a real discord.js client into it, and tears both down after the test. */
export async function startBot(
  t: Pick<TestContext, 'after'>,
  options: FakeDiscordOptions = {},
  intents: GatewayIntentBits[] = DEFAULT_INTENTS,
): Promise<Bot> {
  const fake = await startFakeDiscord(options);
  const client = new Client({ intents, rest: { api: fake.apiUrl } });
  const errors: Error[] = [];
  const received: Message[] = [];
  client.on(Events.Error, (error) => errors.push(error));
  client.on(Events.ShardError, (error) => errors.push(error));
  client.on(Events.MessageCreate, (message) => received.push(message));
  t.after(async () => {
    await client.destroy();
    await fake.close();
  });
  const ready = once(client, Events.ClientReady);
  const started = performance.now();
  await client.login(fake.token);
  await ready;
  return { fake, client, errors, readyMs: performance.now() - started, received };
}
