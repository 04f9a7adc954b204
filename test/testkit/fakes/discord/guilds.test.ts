import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, DiscordAPIError, Events, type Guild, Routes } from 'discord.js';
import type { FakeDiscord } from '../../../../testkit/fakes/discord/index.js';
import { startBot } from '../../../helpers/fake-discord-client.js';

/** A fake with two guilds and a real discord.js client logged into it, torn down after the test. */
async function twoGuilds(t: TestContext): Promise<{ fake: FakeDiscord; client: Client; other: string }> {
  const { fake, client } = await startBot(t, { guilds: [{ name: 'one' }, { name: 'two' }] });
  const other = [...fake.world.guilds.keys()].find((id) => id !== fake.guildId);
  assert.ok(other);
  return { fake, client, other };
}

describe('fake Discord: the bot leaves a guild, or a guild has an outage', () => {
  it('GIVEN removeBotFromGuild THEN discord.js emits guildDelete, its channels answer 403, and a new session’s READY omits it', async (t) => {
    const { fake, client, other } = await twoGuilds(t);
    const channelId = fake.channelByName('general', other).id;
    const readyGuilds: string[][] = [];
    client.on(Events.Raw, (packet: { t?: string; d?: { guilds?: { id: string }[] } }) => {
      if (packet.t === 'READY') readyGuilds.push((packet.d?.guilds ?? []).map((g) => g.id));
    });

    const deleted = once(client, Events.GuildDelete) as Promise<[Guild]>;
    fake.removeBotFromGuild(other);
    const [guild] = await deleted;
    assert.equal(guild.id, other);
    assert.equal(client.guilds.cache.has(other), false);
    assert.equal(client.guilds.cache.has(fake.guildId), true);

    const refused = await client.rest
      .post(Routes.channelMessages(channelId), { body: { content: 'still here?' } })
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DiscordAPIError);
    assert.equal(refused.code, 50001);
    assert.throws(
      () => fake.sendSlashCommand({ name: 'x', channelId }),
      /no longer in guild/u,
      'no interaction can come from a guild the bot is not in',
    );

    fake.invalidateSession();
    await fake.waitForGateway((s) => s.identifies >= 2, 10_000);
    await sleep(50);
    assert.deepEqual(readyGuilds.at(-1), [fake.guildId]);
  });

  it('GIVEN guildOutage THEN discord.js emits guildUnavailable, not guildDelete, and guildRecovered makes it available again', async (t) => {
    const { fake, client, other } = await twoGuilds(t);
    const deletes: string[] = [];
    client.on(Events.GuildDelete, (g) => deletes.push(g.id));

    const unavailable = once(client, Events.GuildUnavailable) as Promise<[Guild]>;
    fake.guildOutage(other);
    const [guild] = await unavailable;
    assert.equal(guild.id, other);
    assert.equal(client.guilds.cache.get(other)?.available, false);

    const available = once(client, Events.GuildAvailable) as Promise<[Guild]>;
    fake.guildRecovered(other);
    assert.equal((await available)[0].id, other);
    assert.equal(client.guilds.cache.get(other)?.available, true);
    assert.deepEqual(deletes, []);
    assert.deepEqual(fake.problems(), []);
  });
});
