import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import {
  Client,
  Events,
  GatewayIntentBits,
  type GatewayIntentBits as Intents,
  type RESTGetAPIGatewayBotResult,
  Routes,
} from 'discord.js';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  guildIdOnShard,
  shardOf,
  startFakeDiscord,
} from '../../../../testkit/fakes/discord/index.js';

const INTENTS: Intents[] = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
];

/** One dispatch as a client received it: its type and the guild it concerns (null: none). */
interface Seen {
  readonly t: string;
  readonly guildId: string | null;
  readonly shard: number;
}

interface ShardClient {
  readonly client: Client;
  readonly seen: Seen[];
  readonly errors: Error[];
}

/** Four guilds, two on each shard of a 2-shard fake, each with `#general`. */
const FOUR_GUILDS: FakeDiscordOptions = {
  shards: 2,
  guilds: [
    { name: 'zero-a', shard: 0 },
    { name: 'one-a', shard: 1 },
    { name: 'zero-b', shard: 0 },
    { name: 'one-b', shard: 1 },
  ],
};

/** Clients of each fake, destroyed before it closes (a client left connected keeps reconnecting). */
const clientsOf = new WeakMap<FakeDiscord, Client[]>();

async function startFake(t: TestContext, options: FakeDiscordOptions): Promise<FakeDiscord> {
  const fake = await startFakeDiscord(options);
  const clients: Client[] = [];
  clientsOf.set(fake, clients);
  t.after(async () => {
    for (const client of clients) await client.destroy();
    await fake.close();
  });
  return fake;
}

/** A real discord.js client for `shards` of `shardCount`, logged in; destroyed before the fake closes. */
async function connect(
  fake: FakeDiscord,
  shards: number[] | 'auto',
  shardCount?: number,
): Promise<ShardClient> {
  const client = new Client({
    intents: INTENTS,
    rest: { api: fake.apiUrl },
    shards,
    ...(shardCount === undefined ? {} : { shardCount }),
  });
  const seen: Seen[] = [];
  const errors: Error[] = [];
  client.on(Events.Error, (e) => errors.push(e));
  client.on(Events.ShardError, (e) => errors.push(e));
  client.on(Events.Raw, (packet: { t?: string | null; d?: Record<string, unknown> }, shard: number) => {
    if (!packet.t) return;
    const d = packet.d ?? {};
    const guildId = packet.t.startsWith('GUILD_') ? d.id : d.guild_id;
    seen.push({ t: packet.t, guildId: typeof guildId === 'string' ? guildId : null, shard });
  });
  clientsOf.get(fake)?.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { client, seen, errors };
}

function guildIdNamed(fake: FakeDiscord, name: string): string {
  const guild = [...fake.world.guilds.values()].find((g) => g.name === name);
  assert.ok(guild, `guild ${name}`);
  return guild.id;
}

/**
 * Waits for the client to see a marker message that the test posts last in one of the client's
 * own guilds: a gateway socket delivers in order, so by then every earlier dispatch sent to this
 * client has arrived, and what it did not see was never sent to it.
 */
async function drain(fake: FakeDiscord, bot: ShardClient, guildName: string): Promise<void> {
  const channelId = fake.channelByName('general', guildIdNamed(fake, guildName)).id;
  const ids = new Set<string>();
  const arrived = new Promise<void>((resolve) => {
    bot.client.on(Events.MessageCreate, (m) => {
      if (ids.has(m.id)) resolve();
    });
  });
  ids.add(fake.postUserMessage({ content: 'marker', channelId }).id);
  await arrived;
}

describe('fake Discord with several shards', () => {
  it('GIVEN a 2-shard fake WHEN two discord.js clients run one shard each THEN each gets READY, GUILD_CREATE and the messages, threads, interactions and removals of its own guilds only', async (t) => {
    const fake = await startFake(t, { ...FOUR_GUILDS, requireRegisteredCommands: false });
    const zeroA = guildIdNamed(fake, 'zero-a');
    const oneA = guildIdNamed(fake, 'one-a');
    const oneB = guildIdNamed(fake, 'one-b');
    assert.equal(shardOf(zeroA, 2), 0);
    assert.equal(shardOf(oneA, 2), 1);

    const zero = await connect(fake, [0], 2);
    const one = await connect(fake, [1], 2);
    const info = (await zero.client.rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    assert.equal(info.shards, 2);
    assert.equal(info.session_start_limit.max_concurrency, 1);
    assert.deepEqual(
      fake.identifyPayloads.map((p) => p.shard),
      [
        [0, 2],
        [1, 2],
      ],
    );
    assert.deepEqual(
      [...zero.client.guilds.cache.keys()].sort(),
      [zeroA, guildIdNamed(fake, 'zero-b')].sort(),
    );
    assert.deepEqual([...one.client.guilds.cache.keys()].sort(), [oneA, oneB].sort());

    one.client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.deferReply();
    });
    const zeroMessage = once(zero.client, Events.MessageCreate);
    const posted = fake.postUserMessage({
      content: 'hello zero',
      channelId: fake.channelByName('general', zeroA).id,
    });
    assert.equal((await zeroMessage)[0].id, posted.id);
    const thread = once(one.client, Events.ThreadCreate);
    fake.startUserThread({ name: 'on one', channelId: fake.channelByName('general', oneA).id });
    assert.equal((await thread)[0].guildId, oneA);
    const handle = fake.sendSlashCommand({
      name: 'summarize',
      channelId: fake.channelByName('general', oneA).id,
    });
    await handle.waitFor('ack');
    assert.equal(handle.callbackType, 5);
    const removed = once(one.client, Events.GuildDelete);
    fake.removeBotFromGuild(oneB);
    assert.equal((await removed)[0].id, oneB);

    await drain(fake, zero, 'zero-b');
    await drain(fake, one, 'one-a');
    const foreign = (bot: ShardClient, shard: number) =>
      bot.seen.filter((s) => s.guildId !== null && shardOf(s.guildId, 2) !== shard);
    assert.deepEqual(foreign(zero, 0), []);
    assert.deepEqual(foreign(one, 1), []);
    assert.deepEqual(
      one.seen.filter((s) => s.t === 'INTERACTION_CREATE' || s.t === 'THREAD_CREATE').map((s) => s.t),
      ['THREAD_CREATE', 'INTERACTION_CREATE'],
    );
    assert.equal(zero.seen.filter((s) => s.t === 'INTERACTION_CREATE').length, 0);
    assert.deepEqual([...zero.errors, ...one.errors], []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a DM WHEN two shards are connected THEN only shard 0 receives it', async (t) => {
    const fake = await startFake(t, FOUR_GUILDS);
    const zero = await connect(fake, [0], 2);
    const one = await connect(fake, [1], 2);
    const dm = fake.openDm();
    fake.postUserMessage({ content: 'a private word', channelId: dm.id });
    await drain(fake, zero, 'zero-a');
    await drain(fake, one, 'one-a');
    const dmSeen = (bot: ShardClient) =>
      bot.seen.filter((s) => s.t === 'MESSAGE_CREATE' && s.guildId === null).length;
    assert.equal(dmSeen(zero), 1);
    assert.equal(dmSeen(one), 0);
    assert.throws(
      () => fake.sendSlashCommand({ name: 'x', channelId: dm.id }),
      /not registered/u,
      'a DM interaction is routed to shard 0, which is connected',
    );
  });

  it('GIVEN a shard without a session WHEN an interaction comes from one of its guilds THEN the driver says no session receives it', async (t) => {
    const fake = await startFake(t, { ...FOUR_GUILDS, requireRegisteredCommands: false });
    await connect(fake, [0], 2);
    const channelId = fake.channelByName('general', guildIdNamed(fake, 'one-a')).id;
    assert.throws(
      () => fake.sendSlashCommand({ name: 'x', channelId }),
      /no gateway session receives guild/u,
    );
  });

  it('GIVEN shards: 3 and max_concurrency 3 WHEN a client asks for shards "auto" THEN it opens all three and caches every guild', async (t) => {
    const fake = await startFake(t, {
      shards: 3,
      maxConcurrency: 3,
      guilds: [0, 1, 2, 0].map((shard, i) => ({ name: `g${i}`, shard })),
    });
    const bot = await connect(fake, 'auto');
    assert.deepEqual(fake.identifyPayloads.map((p) => p.shard).sort(), [
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    assert.equal(bot.client.guilds.cache.size, 4);
    assert.deepEqual(bot.client.ws.shards.map((s) => s.id).sort(), [0, 1, 2]);
    for (const guild of bot.client.guilds.cache.values()) assert.equal(guild.shardId, shardOf(guild.id, 3));
    assert.deepEqual(
      fake.sessionShards().map(([, n]) => n),
      [3, 3, 3],
    );
    assert.deepEqual(bot.errors, []);
  });

  it('GIVEN a 2-shard fake WHEN a discord.js client identifies as shard 2 of 2 THEN the gateway closes with 4010 and login fails', async (t) => {
    const fake = await startFake(t, FOUR_GUILDS);
    const client = new Client({ intents: INTENTS, rest: { api: fake.apiUrl }, shards: [2], shardCount: 2 });
    clientsOf.get(fake)?.push(client);
    await assert.rejects(client.login(fake.token));
    assert.deepEqual(
      fake.gatewayStats.closes.filter((c) => c.by === 'server').map((c) => c.code),
      [4010],
    );
    assert.deepEqual(
      fake.identifyPayloads.map((p) => p.shard),
      [[2, 2]],
    );
  });
});

/** Polls until `check` holds (raw sockets do not wake the fake's waiters). */
async function until(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A raw gateway connection that identifies with `shard` and collects dispatches. Resolves with
 * 'ready' once READY and its GUILD_CREATEs have arrived, or with the close code.
 */
async function rawSession(t: TestContext, fake: FakeDiscord, shard: unknown) {
  const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
  const dispatches: { t: string; d: Record<string, unknown> }[] = [];
  socket.on('message', (data) => {
    const payload = JSON.parse(String(data)) as { op: number; t: string; d: Record<string, unknown> };
    if (payload.op === 0) dispatches.push({ t: payload.t, d: payload.d });
  });
  let closeCode: number | null = null;
  socket.on('close', (code) => {
    closeCode = code;
  });
  t.after(() => socket.terminate());
  await once(socket, 'open');
  socket.send(
    JSON.stringify({
      op: 2,
      d: { token: fake.token, intents: INTENTS.reduce((a, b) => a | b, 0), properties: {}, shard },
    }),
  );
  const readyGuilds = () =>
    (dispatches.find((d) => d.t === 'READY')?.d.guilds as unknown[] | undefined)?.length;
  const count = (t: string) => dispatches.filter((d) => d.t === t).length;
  await until(() => closeCode !== null || count('GUILD_CREATE') === readyGuilds(), 'READY or a close');
  return {
    socket,
    dispatches,
    count,
    outcome: closeCode ?? ('ready' as const),
    ready: dispatches.find((d) => d.t === 'READY')?.d,
  };
}

describe('fake Discord gateway: shard ids in IDENTIFY', () => {
  for (const shard of [[2, 2], [0, 0], [-1, 2], [0.5, 2], [0], 'zero']) {
    it(`GIVEN IDENTIFY with shard ${JSON.stringify(shard)} THEN the gateway closes with 4010 Invalid shard`, async (t) => {
      const fake = await startFake(t, { shards: 2 });
      const session = await rawSession(t, fake, shard);
      assert.equal(session.outcome, 4010);
      assert.equal(fake.gatewayStats.identifies, 0);
    });
  }

  it('GIVEN two sessions identified as the same shard THEN both receive its guilds’ events (Discord allows it) until one closes', async (t) => {
    const fake = await startFake(t, FOUR_GUILDS);
    const first = await rawSession(t, fake, [1, 2]);
    const second = await rawSession(t, fake, [1, 2]);
    assert.equal(first.outcome, 'ready');
    assert.equal(second.outcome, 'ready');
    const channelId = fake.channelByName('general', guildIdNamed(fake, 'one-a')).id;

    fake.postUserMessage({ content: 'to both', channelId });
    await until(() => first.count('MESSAGE_CREATE') === 1 && second.count('MESSAGE_CREATE') === 1, 'both');

    first.socket.close(1000);
    await once(first.socket, 'close');
    await fake.waitForGateway((s) => s.closes.some((c) => c.by === 'client' && c.code === 1000));
    fake.postUserMessage({ content: 'to the second only', channelId });
    await until(() => second.count('MESSAGE_CREATE') === 2, 'the second session');
    assert.equal(first.count('MESSAGE_CREATE'), 1);
    assert.deepEqual(fake.sessionShards(), [[1, 2]]);
  });

  it('GIVEN a 2-shard fake WHEN sessions identify as [0, 1] and [0, 2] THEN each is routed by its own count', async (t) => {
    const fake = await startFake(t, FOUR_GUILDS);
    const whole = await rawSession(t, fake, [0, 1]);
    const half = await rawSession(t, fake, [0, 2]);
    assert.deepEqual(whole.ready?.shard, [0, 1]);
    assert.equal(whole.count('GUILD_CREATE'), 4);
    assert.deepEqual(half.ready?.shard, [0, 2]);
    assert.deepEqual(
      half.dispatches.filter((d) => d.t === 'GUILD_CREATE').map((d) => d.d.name),
      ['zero-a', 'zero-b'],
    );
  });

  it('GIVEN no shard in IDENTIFY THEN the session is [0, 1] and receives every guild', async (t) => {
    const fake = await startFake(t, FOUR_GUILDS);
    const session = await rawSession(t, fake, undefined);
    assert.equal(session.outcome, 'ready');
    assert.deepEqual(fake.sessionShards(), [[0, 1]]);
    assert.deepEqual(session.ready?.shard, [0, 1]);
    assert.equal(session.count('GUILD_CREATE'), 4);
  });
});

describe('guild ids on chosen shards', () => {
  it('GIVEN any shard of any count THEN guildIdOnShard lands on it, looks like a snowflake, and differs per seq', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 64 })
          .chain((count) =>
            fc.tuple(
              fc.constant(count),
              fc.integer({ min: 0, max: count - 1 }),
              fc.integer({ min: 0, max: 10_000 }),
            ),
          ),
        ([count, shard, seq]) => {
          const id = guildIdOnShard(shard, count, seq);
          assert.match(id, /^\d{17,19}$/u);
          assert.equal(shardOf(id, count), shard);
          assert.notEqual(guildIdOnShard(shard, count, seq + 1), id);
        },
      ),
    );
  });

  it('GIVEN a seed whose id is on another shard than its `shard` THEN the fake refuses to start', async () => {
    await assert.rejects(
      startFakeDiscord({ shards: 2, guilds: [{ id: guildIdOnShard(1, 2), shard: 0 }] }),
      /is on shard 1, not 0/u,
    );
  });

  it('GIVEN a guild seeded with members THEN only they can use commands or post there', async (t) => {
    const fake = await startFake(t, {
      requireRegisteredCommands: false,
      guilds: [{ name: 'bob only', members: ['bob'] }],
    });
    await connect(fake, [0], 1);
    const bob = fake.userByName('bob');
    assert.throws(() => fake.sendSlashCommand({ name: 'x' }), /is not a member of guild/u);
    assert.throws(() => fake.postUserMessage({ content: 'hi' }), /is not a member of guild/u);
    assert.equal(fake.sendSlashCommand({ name: 'x', user: bob }).userId, bob.id);
  });
});
