import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import {
  ApplicationIntegrationType,
  DiscordAPIError,
  ChannelType as DjsChannelType,
  Events,
  InteractionContextType,
  type Message,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
import { ChannelType, DEFAULT_BOT_PERMISSIONS, Permission } from '../../../../testkit/fakes/discord/index.js';
import { startBot } from '../../../helpers/fake-discord-client.js';

const isApiError =
  (code: number) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof DiscordAPIError, `expected DiscordAPIError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };

const embed = { title: 'Summary', description: 'A point.' };

describe('fake Discord: channel kinds, permissions and user installs', () => {
  it('GIVEN text, announcement, voice, forum and unknown-type channels THEN discord.js caches the known ones (forum posts as threads) and skips the unknown one without an error', async (t) => {
    const bot = await startBot(t, {
      guilds: [
        {
          channels: [
            { name: 'general' },
            { name: 'news', type: ChannelType.GuildAnnouncement },
            { name: 'lounge', type: ChannelType.GuildVoice },
            { name: 'help', type: ChannelType.GuildForum, threads: [{ name: 'How do I…' }] },
            { name: 'future', type: 99 },
          ],
        },
      ],
    });
    const { fake, client } = bot;
    const typeOf = (name: string) => client.channels.cache.get(fake.channelByName(name).id)?.type;
    assert.equal(typeOf('news'), DjsChannelType.GuildAnnouncement);
    assert.equal(typeOf('lounge'), DjsChannelType.GuildVoice);
    assert.equal(typeOf('help'), DjsChannelType.GuildForum);
    assert.equal(typeOf('future'), undefined, 'an unknown type is not cached');
    const post = [...client.channels.cache.values()].find((c) => c.isThread() && c.name === 'How do I…');
    assert.equal(post?.isThread() && post.parentId, fake.channelByName('help').id);
    assert.deepEqual(fake.threads(), [], 'seeded threads are not listed as made at runtime');
    assert.deepEqual(bot.errors, []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a forum and a thread THEN posting in the forum itself is refused (50008) and a thread cannot start from a message inside a thread (50024)', async (t) => {
    const bot = await startBot(t, {
      guilds: [
        {
          channels: [
            { name: 'general' },
            { name: 'help', type: ChannelType.GuildForum, threads: [{ name: 'Post' }] },
          ],
        },
      ],
    });
    const { fake, client } = bot;
    await assert.rejects(
      client.rest.post(Routes.channelMessages(fake.channelByName('help').id), { body: { content: 'hi' } }),
      isApiError(50008),
    );
    const post = fake.channelByName('Post');
    const sent = (await client.rest.post(Routes.channelMessages(post.id), {
      body: { content: 'in the post' },
    })) as {
      id: string;
    };
    await assert.rejects(
      client.rest.post(Routes.threads(post.id, sent.id), { body: { name: 'nested' } }),
      isApiError(50024),
    );
    assert.throws(
      () => fake.postUserMessage({ channelId: fake.channelByName('help').id, content: 'x' }),
      /takes no messages/,
    );
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN no Embed Links and no Read Message History THEN the bot’s own embeds and replies are refused (50013), plain messages and interaction responses with embeds are not', async (t) => {
    const bot = await startBot(t, {
      guilds: [
        {
          botPermissions: DEFAULT_BOT_PERMISSIONS & ~Permission.EmbedLinks & ~Permission.ReadMessageHistory,
        },
      ],
    });
    const { fake, client } = bot;
    const route = Routes.channelMessages(fake.channelId);
    await assert.rejects(client.rest.post(route, { body: { embeds: [embed] } }), isApiError(50013));
    const user = fake.postUserMessage({ content: 'hello', mentionsBot: true });
    await assert.rejects(
      client.rest.post(route, { body: { content: 'hi', message_reference: { message_id: user.id } } }),
      isApiError(50013),
    );
    await client.rest.post(route, { body: { content: 'plain text is fine' } });

    await client.application?.commands.set([{ name: 'summarize', description: 'Summarize' }]);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ embeds: [embed] });
    });
    const handle = fake.sendSlashCommand({ name: 'summarize' });
    await handle.waitFor('responded');
    assert.equal(handle.original?.embeds.length, 1, 'interaction responses may always embed');
    assert.deepEqual(handle.rejections, []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN an archived thread THEN a message unarchives it; GIVEN a locked one THEN the bot is refused (160005) unless it has Manage Threads, and only moderators can post', async (t) => {
    const bot = await startBot(t, {
      guilds: [
        {
          channels: [
            {
              name: 'general',
              threads: [
                { name: 'old', archived: true },
                { name: 'closed', archived: true, locked: true },
              ],
            },
            {
              name: 'mods',
              botPermissions: DEFAULT_BOT_PERMISSIONS | Permission.ManageThreads,
              threads: [{ name: 'closed-too', archived: true, locked: true }],
            },
          ],
        },
      ],
    });
    const { fake, client } = bot;
    const old = fake.channelByName('old');
    const arrived = new Promise<Message>((resolve) =>
      client.on(Events.MessageCreate, (m) => {
        if (m.channelId === old.id) resolve(m);
      }),
    );
    fake.postUserMessage({ channelId: old.id, content: 'still there?', mentionsBot: true });
    assert.equal((await arrived).channelId, old.id, 'discord.js sees the message once the thread is back');
    assert.equal(fake.channel(old.id).thread_metadata?.archived, false);

    const closed = fake.channelByName('closed');
    assert.throws(() => fake.postUserMessage({ channelId: closed.id, content: 'x' }), /locked thread/);
    await assert.rejects(
      client.rest.post(Routes.channelMessages(closed.id), { body: { content: 'x' } }),
      isApiError(160005),
    );
    const closedToo = fake.channelByName('closed-too');
    await client.rest.post(Routes.channelMessages(closedToo.id), { body: { content: 'as a moderator' } });
    assert.equal(fake.channel(closedToo.id).thread_metadata?.archived, false);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a server where only the user installed the app THEN it is not in READY, its interactions carry the user-install owner and response-only permissions, its channels refuse the bot (50001), and guild-only commands are not offered', async (t) => {
    const bot = await startBot(t, {
      guilds: [{}, { name: 'Elsewhere', botMember: false, channels: [{ name: 'chat' }] }],
    });
    const { fake, client } = bot;
    const elsewhere = [...fake.world.guilds.values()].find((g) => !g.botMember);
    assert.ok(elsewhere);
    assert.equal(client.guilds.cache.has(elsewhere.id), false);
    const chat = fake.channelByName('chat', elsewhere.id);
    await client.application?.commands.set([
      {
        name: 'summarize',
        description: 'Summarize',
        integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
        contexts: [InteractionContextType.Guild],
      },
      { name: 'guildonly', description: 'Only where the bot is' },
    ]);
    assert.throws(
      () => fake.sendSlashCommand({ name: 'guildonly', channelId: chat.id }),
      /not user-installable/,
    );
    const seen = once(client, Events.InteractionCreate);
    const handle = fake.sendSlashCommand({ name: 'summarize', channelId: chat.id });
    const [interaction] = (await seen) as [
      { channel: unknown; guildId: string | null; reply: (o: unknown) => Promise<unknown> },
    ];
    assert.deepEqual(handle.payload.authorizing_integration_owners, { '1': fake.user.id });
    const appPermissions = BigInt(String(handle.payload.app_permissions));
    assert.equal(appPermissions & PermissionFlagsBits.EmbedLinks, PermissionFlagsBits.EmbedLinks);
    assert.equal(appPermissions & PermissionFlagsBits.SendMessages, 0n);
    assert.equal(interaction.guildId, elsewhere.id);
    assert.equal(interaction.channel, null, 'discord.js has no channel for a guild it does not know');
    await interaction.reply({ embeds: [embed] });
    await handle.waitFor('responded');
    await assert.rejects(
      client.rest.post(Routes.channelMessages(chat.id), { body: { content: 'x' } }),
      isApiError(50001),
    );
    assert.deepEqual(bot.errors, []);
    assert.deepEqual(fake.problems(), []);
  });
});

describe('fake Discord: nonce and enforce_nonce on channel posts', () => {
  it('GIVEN enforce_nonce WHEN the bot posts twice with one nonce THEN the second post returns the first message and nothing new is made or dispatched', async (t) => {
    const bot = await startBot(t);
    const { fake, client } = bot;
    const channel = client.channels.cache.get(fake.channelId);
    assert.ok(channel?.isSendable());
    const first = await channel.send({ content: 'Summary', nonce: 'job-42-summary', enforceNonce: true });
    const again = await channel.send({
      content: 'Summary (retry)',
      nonce: 'job-42-summary',
      enforceNonce: true,
    });
    assert.equal(again.id, first.id);
    assert.equal(again.content, 'Summary');
    assert.deepEqual(
      fake.messages(fake.channelId).map((m) => m.content),
      ['Summary'],
    );
    // The gateway delivers in order: once a later user message arrives, any second create would have.
    const markerId = new Promise<string>((resolve) =>
      client.on(Events.MessageCreate, (m) => {
        if (m.author.id !== fake.botUser.id) resolve(m.id);
      }),
    );
    const marker = fake.postUserMessage({ content: 'later' });
    assert.equal(await markerId, marker.id);
    const seen = bot.received.filter((m) => m.author.id === fake.botUser.id).map((m) => m.id);
    assert.deepEqual(seen, [first.id], 'one MESSAGE_CREATE');
    assert.deepEqual(bot.errors, []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a nonce without enforce_nonce THEN each post makes a message; and an enforced nonce is forgotten after the window', async (t) => {
    const { fake, client } = await startBot(t);
    const post = (body: Record<string, unknown>) =>
      client.rest.post(Routes.channelMessages(fake.channelId), { body }) as Promise<{ id: string }>;
    const a = await post({ content: 'a', nonce: 'n1' });
    const b = await post({ content: 'b', nonce: 'n1' });
    assert.notEqual(a.id, b.id);
    assert.equal((await post({ content: 'c', nonce: 'n1', enforce_nonce: true })).id, a.id);
    fake.advanceTime(5 * 60_000 + 1);
    const later = await post({ content: 'd', nonce: 'n1', enforce_nonce: true });
    assert.ok(![a.id, b.id].includes(later.id));
  });

  it('GIVEN the first message was deleted WHEN the post is repeated with enforce_nonce THEN Discord answers 10008 instead of posting again; a nonce over 25 characters is 50035', async (t) => {
    const { fake, client } = await startBot(t);
    const route = Routes.channelMessages(fake.channelId);
    const first = (await client.rest.post(route, {
      body: { content: 'x', nonce: 'gone', enforce_nonce: true },
    })) as { id: string };
    await client.rest.delete(Routes.channelMessage(fake.channelId, first.id));
    await assert.rejects(
      client.rest.post(route, { body: { content: 'x', nonce: 'gone', enforce_nonce: true } }),
      isApiError(10008),
    );
    await assert.rejects(
      client.rest.post(route, { body: { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true } }),
      isApiError(50035),
    );
    assert.equal(fake.messages(fake.channelId).length, 0);
  });
});
