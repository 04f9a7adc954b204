import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { createInflate } from 'node:zlib';
import { WebSocket } from 'ws';
import { type FakeDiscord, startFakeDiscord } from '../../../../testkit/fakes/discord/index.js';

/** A raw gateway client: collects payloads, so tests see exactly what the fake sends. */
async function rawConnect(t: TestContext, fake: FakeDiscord, query = 'v=10&encoding=json') {
  const socket = new WebSocket(`${fake.gatewayUrl}/?${query}`);
  const payloads: { op: number; t?: string | null; d?: unknown; s?: number | null }[] = [];
  socket.on('message', (data, isBinary) => {
    if (!isBinary) payloads.push(JSON.parse(String(data)));
  });
  t.after(() => socket.terminate());
  await once(socket, 'open');
  return { socket, payloads };
}

async function closeCode(socket: WebSocket): Promise<number> {
  const [code] = (await once(socket, 'close')) as [number];
  return code;
}

describe('fake Discord gateway, spoken to directly', () => {
  it('GIVEN a wrong token WHEN identifying THEN the gateway closes with 4004', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const { socket } = await rawConnect(t, fake);
    const closed = closeCode(socket);
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {}, shard: [0, 1] } }));
    assert.equal(await closed, 4004);
  });

  it('GIVEN no identify WHEN sending a presence update THEN the gateway closes with 4003', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const { socket } = await rawConnect(t, fake);
    const closed = closeCode(socket);
    socket.send(JSON.stringify({ op: 3, d: { status: 'online', activities: [], since: null, afk: false } }));
    assert.equal(await closed, 4003);
  });

  it('GIVEN an unknown session WHEN resuming THEN the gateway answers op 9 not resumable', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const { socket, payloads } = await rawConnect(t, fake);
    socket.send(JSON.stringify({ op: 6, d: { token: fake.token, session_id: 'nope', seq: 1 } }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      payloads.map((p) => [p.op, p.d]).filter(([op]) => op === 9),
      [[9, false]],
    );
  });

  it('GIVEN compress=zlib-stream THEN payloads are one deflate stream flushed per payload', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json&compress=zlib-stream`);
    t.after(() => socket.terminate());
    const inflate = createInflate();
    const texts: string[] = [];
    inflate.on('data', (chunk: Buffer) => texts.push(chunk.toString('utf8')));
    const hello = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer, isBinary) => {
        assert.equal(isBinary, true);
        inflate.write(data, () => resolve());
      });
    });
    await hello;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const payload = JSON.parse(texts.join('')) as { op: number; d: { heartbeat_interval: number } };
    assert.equal(payload.op, 10);
    assert.equal(payload.d.heartbeat_interval, 41_250);
  });

  it('GIVEN an identify THEN READY precedes one GUILD_CREATE per guild with its channels', async (t) => {
    const fake = await startFakeDiscord({
      guilds: [{ name: 'one', channels: [{ name: 'news' }, { name: 'chat' }] }, { name: 'two' }],
    });
    t.after(() => fake.close());
    const { socket, payloads } = await rawConnect(t, fake);
    socket.send(
      JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [0, 1] } }),
    );
    await fake.waitForGateway((s) => s.identifies === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const dispatches = payloads.filter((p) => p.op === 0);
    assert.deepEqual(
      dispatches.map((p) => [p.t, p.s]),
      [
        ['READY', 1],
        ['GUILD_CREATE', 2],
        ['GUILD_CREATE', 3],
      ],
    );
    const first = dispatches[1]?.d as { channels: { name: string }[] };
    assert.deepEqual(
      first.channels.map((c) => c.name),
      ['news', 'chat'],
    );
  });
});
