import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startBareClientProcess } from '../../../../testkit/fakes/discord/bare-client-process.js';
import { startFakeDiscord } from '../../../../testkit/fakes/discord/index.js';

describe('bare discord.js client (the acknowledgement baseline)', () => {
  it('GIVEN the bare client in its own process on shard 1 of 2 WHEN 20 interactions arrive at once on that shard THEN it defers every one and reports each, and the fake measures every acknowledgement', async (t) => {
    const fake = await startFakeDiscord({
      shards: 2,
      requireRegisteredCommands: false,
      guilds: [
        { name: 'zero', shard: 0 },
        { name: 'one', shard: 1 },
      ],
    });
    const bare = await startBareClientProcess({
      apiUrl: fake.apiUrl,
      token: fake.token,
      shards: [1],
      shardCount: 2,
    });
    t.after(async () => {
      await bare.stop();
      await fake.close();
    });
    const guildOne = [...fake.world.guilds.values()].find((g) => g.name === 'one');
    assert.ok(guildOne);
    const channelId = fake.channelByName('general', guildOne.id).id;

    const handles = Array.from({ length: 20 }, (_, i) =>
      fake.sendSlashCommand({ name: 'summarize', options: { url: `https://example.com/${i}` }, channelId }),
    );
    await Promise.all(handles.map((h) => h.waitFor('ack', 10_000)));

    assert.deepEqual(
      handles.map((h) => h.callbackType),
      handles.map(() => 5),
    );
    assert.ok(handles.every((h) => (h.ackLatencyMs ?? -1) >= 0));
    await bare.waitForDeferrals(20);
    assert.deepEqual(new Set(bare.deferred().map((d) => d.id)), new Set(handles.map((h) => h.id)));
    assert.ok(bare.deferred().every((d) => Number.isFinite(d.ms) && d.ms >= 0));
    assert.deepEqual(bare.errors(), []);
    assert.deepEqual(fake.problems(), []);

    await bare.stop();
    assert.equal(bare.process.exitCode, 0);
  });
});
