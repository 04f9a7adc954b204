import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Message,
  MessageFlags,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
  TextChannel,
  type ThreadAutoArchiveDuration,
} from 'discord.js';
import {
  DEFAULT_MEMBER_PERMISSIONS,
  type FakeDiscord,
  Permission,
  startFakeDiscord,
} from '../../../../testkit/fakes/discord/index.js';
import { type Bot, DEFAULT_INTENTS, startBot } from '../../../helpers/fake-discord-client.js';

function assertHealthy(bot: Bot): void {
  assert.deepEqual(bot.errors, []);
  assert.deepEqual(bot.fake.problems(), []);
}

function textChannel(client: Client, id: string): TextChannel {
  const channel = client.channels.cache.get(id);
  assert.ok(channel instanceof TextChannel, `channel ${id} is a cached text channel`);
  return channel;
}

/** Resolves with the next message the client receives that matches. */
function nextMessage(client: Client, predicate: (m: Message) => boolean, timeoutMs = 3000): Promise<Message> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(Events.MessageCreate, listener);
      reject(new Error('no matching messageCreate'));
    }, timeoutMs);
    const listener = (m: Message): void => {
      if (!predicate(m)) return;
      clearTimeout(timer);
      client.off(Events.MessageCreate, listener);
      resolve(m);
    };
    client.on(Events.MessageCreate, listener);
  });
}

const isApiError =
  (code: number, status?: number) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof DiscordAPIError, `expected DiscordAPIError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (status !== undefined) assert.equal(error.status, status);
    return true;
  };

const SUMMARIZE: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: 'summarize',
  description: 'Summarize an article with verbatim quotes',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'url',
      description: 'Link to the article',
      required: true,
      max_length: 2000,
    },
    { type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The article as a file' },
  ],
};

describe('fake Discord with the real discord.js client', () => {
  it('GIVEN a client WHEN it logs in THEN clientReady fires with the guild and channel cached', async (t) => {
    const bot = await startBot(t);
    t.diagnostic(`login → clientReady: ${bot.readyMs.toFixed(0)} ms`);
    assert.ok(bot.readyMs < 2000, `ready in ${bot.readyMs} ms`);
    assert.equal(bot.client.user?.id, bot.fake.botUser.id);
    assert.equal(bot.client.application?.id, bot.fake.applicationId);
    assert.ok(bot.client.guilds.cache.has(bot.fake.guildId));
    assert.equal(textChannel(bot.client, bot.fake.channelId).name, 'general');
    assert.equal(bot.fake.gatewayStats.identifies, 1);
    assert.equal(bot.fake.identifyPayloads[0]?.intents, (1 << 0) | (1 << 9));

    const second = new Client({ intents: DEFAULT_INTENTS, rest: { api: bot.fake.apiUrl } });
    try {
      const ready = once(second, Events.ClientReady);
      const started = performance.now();
      await second.login(bot.fake.token);
      await ready;
      const warmMs = performance.now() - started;
      t.diagnostic(`login → clientReady, warm: ${warmMs.toFixed(0)} ms`);
      assert.ok(warmMs < 1000, `warm login in ${warmMs} ms`);
    } finally {
      await second.destroy();
    }
    assertHealthy(bot);
  });

  it('GIVEN a slash command WHEN the handler defers then edits THEN the fake records the ack before the edit', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await sleep(20);
      await interaction.editReply({ content: `Summary of ${interaction.options.getString('url', true)}` });
    });
    const handle = bot.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: 'https://example.com/a' },
    });
    await handle.waitFor('edited');
    assert.equal(handle.callbackType, 5);
    assert.ok(handle.ackedAt !== null && handle.ackedAt <= (handle.edits[0]?.at ?? 0));
    assert.ok((handle.ackLatencyMs ?? Infinity) < 3000);
    assert.equal(handle.original?.content, 'Summary of https://example.com/a');
    assert.equal(handle.original?.flags, 0, 'the loading flag is cleared by the edit');
    const [edit] = handle.edits;
    assert.ok(edit);
    assert.equal((edit.body as { content?: string }).content, 'Summary of https://example.com/a');
    assert.equal(handle.payload.locale, 'en-US');
    assertHealthy(bot);
  });

  it('GIVEN a command with default_member_permissions THEN only members holding them (or Administrator) can run it, and their permissions arrive', async (t) => {
    const bot = await startBot(t);
    const manageGuild = Permission.ManageGuild.toString();
    await bot.client.application?.commands.set([
      { name: 'admin', description: 'Admins only', default_member_permissions: manageGuild },
      { name: 'owner', description: 'Administrators only', default_member_permissions: '0' },
    ]);
    const seen: { user: string; canManage: boolean | undefined }[] = [];
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push({ user: interaction.user.id, canManage: interaction.memberPermissions?.has('ManageGuild') });
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    const alice = bot.fake.userByName('alice');
    const bob = bot.fake.userByName('bob');
    bot.fake.setMemberPermissions(alice.id, DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild);
    bot.fake.setMemberPermissions(bob.id, DEFAULT_MEMBER_PERMISSIONS);
    assert.throws(
      () => bot.fake.sendSlashCommand({ name: 'admin', user: bob }),
      /lacks the permissions \/admin/,
    );
    assert.throws(() => bot.fake.sendSlashCommand({ name: 'owner', user: alice }), /lacks the permissions/);
    await bot.fake.sendSlashCommand({ name: 'admin', user: alice }).waitFor('responded');
    bot.fake.setMemberPermissions(bob.id, Permission.Administrator);
    await bot.fake.sendSlashCommand({ name: 'owner', user: bob }).waitFor('responded');
    assert.deepEqual(seen, [
      { user: alice.id, canManage: true },
      { user: bob.id, canManage: true },
    ]);
    assertHealthy(bot);
  });

  it('GIVEN an unregistered command WHEN the driver sends it THEN the driver refuses', async (t) => {
    const bot = await startBot(t);
    assert.throws(
      () => bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'x' } }),
      /not registered/,
    );
    await bot.client.application?.commands.set([SUMMARIZE]);
    assert.throws(() => bot.fake.sendSlashCommand({ name: 'summarize', options: {} }), /needs option "url"/);
    assert.throws(
      () => bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'x'.repeat(2001) } }),
      /max_length 2000/,
    );
    assertHealthy(bot);
  });

  it('GIVEN a message WHEN the bot starts a thread and a user writes in it THEN the client receives the message', async (t) => {
    const bot = await startBot(t);
    const raw: string[] = [];
    bot.client.on(Events.Raw, (packet: { t: string | null }) => {
      if (packet.t) raw.push(packet.t);
    });
    const channel = textChannel(bot.client, bot.fake.channelId);
    const starter = await channel.send('Summary: three points, each with a quote.');
    const thread = await starter.startThread({
      name: 'Questions about the article',
      autoArchiveDuration: 1440,
    });
    assert.equal(thread.id, starter.id);
    assert.deepEqual(
      bot.fake
        .threads()
        .map((th) => [th.id, th.name, th.parent_id, th.thread_metadata?.auto_archive_duration]),
      [[starter.id, 'Questions about the article', bot.fake.channelId, 1440]],
    );

    const arrived = nextMessage(bot.client, (m) => m.channelId === thread.id && !m.author.bot);
    const posted = bot.fake.postUserMessage({
      channelId: thread.id,
      content: 'Who said that?',
      mentionsBot: true,
    });
    const message = await arrived;
    assert.equal(message.id, posted.id);
    assert.equal(message.content, `<@${bot.fake.botUser.id}> Who said that?`);
    assert.ok(raw.includes('THREAD_CREATE'));

    await message.reply('The minister said it.');
    const answer = await bot.fake.waitForMessage(thread.id, (m) => m.authorId === bot.fake.botUser.id);
    assert.equal(answer.content, 'The minister said it.');
    assert.equal(answer.api.message_reference?.message_id, posted.id);

    // discord.js refuses this itself once it has seen the thread; the fake refuses it too.
    await assert.rejects(
      bot.client.rest.post(Routes.threads(channel.id, starter.id), { body: { name: 'Again' } }),
      isApiError(160004, 400),
    );
    assertHealthy(bot);
  });

  it('GIVEN a user starts a thread on the bot’s message WHEN they ask in it THEN the client sees the thread and the question', async (t) => {
    const bot = await startBot(t);
    const created = once(bot.client, Events.ThreadCreate);
    const summary = await textChannel(bot.client, bot.fake.channelId).send('Summary with quotes');
    const thread = bot.fake.startUserThread({ messageId: summary.id, name: 'Follow-up' });
    const [cached] = (await created) as [{ id: string; ownerId: string | null }];
    assert.equal(cached.id, summary.id);
    assert.equal(cached.ownerId, bot.fake.user.id);
    const asked = nextMessage(bot.client, (m) => m.channelId === thread.id);
    bot.fake.postUserMessage({ channelId: thread.id, content: 'Is that quote exact?', mentionsBot: true });
    assert.match((await asked).content, /Is that quote exact\?$/);
    assert.throws(
      () => bot.fake.startUserThread({ messageId: summary.id, name: 'again' }),
      /already has a thread/,
    );
    assertHealthy(bot);
  });

  it('GIVEN no Message Content intent WHEN users post THEN only mentions and pinged replies to ordinary bot messages carry content', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply('Interaction summary');
    });
    const channel = textChannel(bot.client, bot.fake.channelId);
    const ordinary = await channel.send('Reply to this message to ask a question.');
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    await handle.waitFor('responded');
    const response = handle.original;
    assert.ok(response);

    const cases: [string, Parameters<FakeDiscord['postUserMessage']>[0], string][] = [
      ['plain', { content: 'plain words' }, ''],
      ['mention', { content: 'hello bot', mentionsBot: true }, `<@${bot.fake.botUser.id}> hello bot`],
      ['reply to ordinary', { content: 'reply with ping', replyToMessageId: ordinary.id }, 'reply with ping'],
      ['reply without ping', { content: 'quiet reply', replyToMessageId: ordinary.id, pingReply: false }, ''],
      ['reply to interaction response', { content: 'reply to response', replyToMessageId: response.id }, ''],
    ];
    for (const [label, input, expected] of cases) {
      const arrived = nextMessage(bot.client, (m) => !m.author.bot);
      const posted = bot.fake.postUserMessage({
        ...input,
        attachments: [bot.fake.addAttachment('a.txt', 'text/plain', 'x')],
      });
      const message = await arrived;
      assert.equal(message.id, posted.id, label);
      assert.equal(message.content, expected, label);
      assert.equal(message.attachments.size, expected === '' ? 0 : 1, label);
    }
    assertHealthy(bot);
  });

  it('GIVEN the Message Content intent enabled and requested WHEN a user posts THEN content arrives', async (t) => {
    const bot = await startBot(t, { messageContentEnabled: true }, [
      ...DEFAULT_INTENTS,
      GatewayIntentBits.MessageContent,
    ]);
    const arrived = nextMessage(bot.client, (m) => !m.author.bot);
    bot.fake.postUserMessage({ content: 'plain words' });
    assert.equal((await arrived).content, 'plain words');
    assertHealthy(bot);
  });

  it('GIVEN the Message Content intent not enabled WHEN the client requests it THEN login fails with 4014', async () => {
    const fake = await startFakeDiscord();
    const client = new Client({
      intents: [...DEFAULT_INTENTS, GatewayIntentBits.MessageContent],
      rest: { api: fake.apiUrl },
    });
    try {
      await assert.rejects(client.login(fake.token), /disallowed intents/i);
      assert.ok(fake.gatewayStats.closes.some((c) => c.code === 4014 && c.by === 'server'));
    } finally {
      await client.destroy();
      await fake.close();
    }
  });

  it('GIVEN a message context menu WHEN it targets a user message THEN the target arrives with its content', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([
      { type: ApplicationCommandType.Message, name: 'Summarize this' },
    ]);
    let seen = '';
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return;
      seen = interaction.targetMessage.content;
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    });
    const arrived = nextMessage(bot.client, (m) => !m.author.bot);
    const target = bot.fake.postUserMessage({ content: 'https://example.com/article' });
    assert.equal((await arrived).content, '', 'the gateway copy is stripped');
    const handle = bot.fake.sendMessageContextMenu({ name: 'Summarize this', targetMessageId: target.id });
    await handle.waitFor('responded');
    assert.equal(seen, 'https://example.com/article');
    assert.equal(handle.ephemeral, true);
    assert.ok(!bot.fake.messages(bot.fake.channelId).some((m) => m.id === handle.original?.id));
    assertHealthy(bot);
  });

  it('GIVEN a 2,001-character message WHEN the bot sends it THEN discord.js throws DiscordAPIError 50035', async (t) => {
    const bot = await startBot(t);
    const channel = textChannel(bot.client, bot.fake.channelId);
    await assert.rejects(channel.send('x'.repeat(2001)), (error: unknown) => {
      isApiError(50035, 400)(error);
      assert.match(
        String((error as Error).message),
        /content\[BASE_TYPE_MAX_LENGTH\]: Must be 2000 or fewer in length/,
      );
      return true;
    });
    await channel.send('😀'.repeat(2000));
    assert.equal(
      bot.fake.messages(bot.fake.channelId).length,
      1,
      'Discord counts code points, not UTF-16 units',
    );
    assertHealthy(bot);
  });

  it('GIVEN embeds over the limits WHEN the bot sends them THEN each is refused with 50035', async (t) => {
    // Refused requests count against the bucket as on Discord; widen it so the test does not wait.
    const bot = await startBot(t, {
      rateLimits: { 'POST /channels/:channel/messages': { limit: 50, windowMs: 1000 } },
    });
    const channel = textChannel(bot.client, bot.fake.channelId);
    const field = { name: 'n', value: 'v' };
    const bad = [
      { embeds: [{ title: 't'.repeat(257) }] },
      { embeds: [{ description: 'd'.repeat(4097) }] },
      { embeds: [{ fields: Array.from({ length: 26 }, () => field) }] },
      { embeds: [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }] },
      { embeds: [{ footer: { text: 'f'.repeat(2049) } }] },
      { embeds: [{ author: { name: 'a'.repeat(257) } }] },
      { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) },
      { embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1905) }] },
    ];
    for (const payload of bad) await assert.rejects(channel.send(payload), isApiError(50035, 400));
    await channel.send({ embeds: [{ description: 'd'.repeat(4096) }, { description: 'd'.repeat(1904) }] });
    assert.equal(bot.fake.messages(bot.fake.channelId).length, 1);
    assertHealthy(bot);
  });

  it('GIVEN components over the limits WHEN the bot sends them THEN they are refused with 50035', async (t) => {
    const bot = await startBot(t, {
      rateLimits: { 'POST /channels/:channel/messages': { limit: 50, windowMs: 1000 } },
    });
    const channel = textChannel(bot.client, bot.fake.channelId);
    const button = (id: string, label = 'Go') => ({
      type: ComponentType.Button as const,
      style: ButtonStyle.Primary,
      custom_id: id,
      label,
    });
    const row = (...buttons: ReturnType<typeof button>[]) => ({
      type: ComponentType.ActionRow as const,
      components: buttons,
    });
    const bad = [
      Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))),
      [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))],
      [row(button('x'.repeat(101)))],
      [row(button('a', 'l'.repeat(81)))],
      [row(button('same'), button('same'))],
    ];
    for (const components of bad)
      await assert.rejects(channel.send({ content: 'c', components }), isApiError(50035, 400));
    assertHealthy(bot);
  });

  it('GIVEN a bad thread name or archive duration WHEN the bot starts a thread THEN it is refused with 50035', async (t) => {
    const bot = await startBot(t);
    const channel = textChannel(bot.client, bot.fake.channelId);
    const starter = await channel.send('starter');
    await assert.rejects(starter.startThread({ name: 'n'.repeat(101) }), isApiError(50035, 400));
    await assert.rejects(
      starter.startThread({ name: 'ok', autoArchiveDuration: 30 as ThreadAutoArchiveDuration }),
      isApiError(50035, 400),
    );
    const thread = await channel.threads.create({ name: 'n'.repeat(100), autoArchiveDuration: 60 });
    assert.equal(bot.fake.channel(thread.id).name?.length, 100);
    assertHealthy(bot);
  });

  it('GIVEN a reply to a deleted message WHEN the bot replies THEN fail_if_not_exists makes it 50035', async (t) => {
    const bot = await startBot(t);
    const channel = textChannel(bot.client, bot.fake.channelId);
    const message = await channel.send('soon gone');
    await message.delete();
    await assert.rejects(message.reply('too late'), isApiError(50035, 400));
    assertHealthy(bot);
  });

  it('GIVEN an armed 429 WHEN the bot sends a message THEN discord.js waits Retry-After and retries', async (t) => {
    const bot = await startBot(t);
    const channel = textChannel(bot.client, bot.fake.channelId);
    bot.fake.rateLimitNext('POST /channels/{channel.id}/messages', 0.3);
    const started = performance.now();
    const sent = await channel.send('after the rate limit');
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290, `retried after ${elapsed} ms`);
    const attempts = bot.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    assert.deepEqual(
      attempts.map((r) => r.status),
      [429, 200],
    );
    assert.equal(bot.fake.message(sent.id)?.content, 'after the rate limit');
    assertHealthy(bot);
  });

  it('GIVEN a bucket of five messages WHEN the bot sends six THEN discord.js waits for the reset instead of overrunning', async (t) => {
    const bot = await startBot(t, {
      rateLimits: { 'POST /channels/:channel/messages': { limit: 5, windowMs: 400 } },
    });
    const channel = textChannel(bot.client, bot.fake.channelId);
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => channel.send(`message ${i}`)));
    assert.ok(performance.now() - started >= 300, 'the sixth waited for the bucket');
    assert.equal(bot.fake.messages(bot.fake.channelId).length, 6);
    const headers = bot.fake.requests().filter((r) => r.status === 429);
    assert.deepEqual(headers, [], 'no 429 was needed');
    assertHealthy(bot);
  });

  it('GIVEN a dropped connection WHEN the client reconnects THEN it resumes and receives missed and new dispatches', async (t) => {
    const bot = await startBot(t);
    const resumed = once(bot.client, Events.ShardResume);
    bot.fake.dropConnection();
    const missed = bot.fake.postUserMessage({ content: 'while away', mentionsBot: true });
    await resumed;
    assert.equal(bot.fake.gatewayStats.resumes, 1);
    assert.equal(bot.fake.gatewayStats.identifies, 1, 'resumed, not re-identified');
    const next = nextMessage(bot.client, (m) => m.content.endsWith('after resume'));
    bot.fake.postUserMessage({ content: 'after resume', mentionsBot: true });
    await next;
    assert.ok(
      bot.received.some((m) => m.id === missed.id),
      'the missed dispatch was replayed',
    );
    assertHealthy(bot);
  });

  it('GIVEN an acknowledgement after the deadline THEN Discord answers 10062 and records no ack', async (t) => {
    const bot = await startBot(t, { ackDeadlineMs: 100 });
    await bot.client.application?.commands.set([SUMMARIZE]);
    const failure = new Promise<unknown>((resolve) => {
      bot.client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await sleep(250);
        await interaction.deferReply().catch(resolve);
      });
    });
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    assert.ok(isApiError(10062, 404)(await failure));
    assert.equal(handle.ackedAt, null);
    assert.equal(handle.rejections[0]?.code, 10062);
    assertHealthy(bot);
  });

  it('GIVEN an acknowledged interaction WHEN it is acknowledged again THEN Discord answers 40060', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    const failure = new Promise<unknown>((resolve) => {
      bot.client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.reply('first');
        // discord.js refuses a second reply itself, so go around it to see Discord's answer.
        await bot.client.rest
          .post(Routes.interactionCallback(interaction.id, interaction.token), {
            body: { type: 4, data: { content: 'second' } },
            auth: false,
          })
          .catch(resolve);
      });
    });
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    assert.ok(isApiError(40060, 400)(await failure));
    assert.equal(handle.rejections[0]?.code, 40060);
    assert.equal(handle.original?.content, 'first');
    assertHealthy(bot);
  });

  it('GIVEN an interaction older than 15 minutes WHEN the bot edits its reply THEN the token is refused (50027) but the channel route works', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    const deferred = new Promise<ChatInputCommandInteraction>((resolve) => {
      bot.client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        await interaction.deferReply();
        resolve(interaction);
      });
    });
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    const interaction = await deferred;
    bot.fake.advanceTime(15 * 60 * 1000 + 1);
    await assert.rejects(interaction.editReply('too late'), isApiError(50027, 401));
    const original = handle.original;
    assert.ok(original);
    await textChannel(bot.client, bot.fake.channelId).messages.edit(
      original.id,
      'edited through the channel',
    );
    assert.equal(original.content, 'edited through the channel');
    assertHealthy(bot);
  });

  it('GIVEN a deferred reply WHEN the bot sends follow-ups THEN the first edits the loading message and the second is new', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply();
      await interaction.followUp('first follow-up');
      await interaction.followUp({ content: 'only for you', flags: MessageFlags.Ephemeral });
    });
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    await handle.waitFor((h) => h.followups.length === 2);
    assert.equal(handle.followups[0]?.id, handle.original?.id);
    assert.equal(handle.original?.content, 'first follow-up');
    assert.equal(handle.followups[1]?.ephemeral, true);
    assert.deepEqual(
      bot.fake.messages(bot.fake.channelId).map((m) => m.content),
      ['first follow-up'],
    );
    assertHealthy(bot);
  });

  it('GIVEN withResponse WHEN the bot replies THEN the callback answers with the created message', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    const created = new Promise<string | undefined>((resolve) => {
      bot.client.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        const response = await interaction.reply({
          content: 'Summary',
          embeds: [{ title: 'Key points', description: '1. "a quote"' }],
          allowedMentions: { parse: [] },
          withResponse: true,
        });
        resolve(response.resource?.message?.id);
      });
    });
    const handle = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    assert.equal(await created, (await handle.waitFor('responded')).original?.id);
    const [recorded] = bot.fake.recordedPayloads();
    assert.ok(recorded);
    const body = recorded.payload.body as { embeds?: unknown; allowed_mentions?: unknown };
    assert.deepEqual(body.embeds, [{ title: 'Key points', description: '1. "a quote"' }]);
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.equal(bot.fake.requests().find((r) => r.path.endsWith('/callback'))?.status, 200);
    assertHealthy(bot);
  });

  it('GIVEN a reply with a button WHEN the user clicks it and submits the modal THEN each step is recorded', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.reply({
          content: 'Summary',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Secondary,
                  custom_id: 'ask:open',
                  label: 'Ask',
                },
              ],
            },
          ],
        });
      } else if (interaction.isButton()) {
        await interaction.showModal({
          custom_id: 'ask:modal',
          title: 'Ask about the article',
          components: [
            {
              type: ComponentType.Label,
              label: 'Question',
              component: { type: ComponentType.TextInput, custom_id: 'question', style: 2 },
            },
          ],
        });
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({
          content: `Q: ${interaction.fields.getTextInputValue('question')}`,
          flags: MessageFlags.Ephemeral,
        });
      }
    });
    const command = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    await command.waitFor('responded');
    const summary = command.original;
    assert.ok(summary);
    assert.throws(() => bot.fake.sendButton({ customId: 'nope', messageId: summary.id }), /no button/);
    const click = bot.fake.sendButton({ customId: 'ask:open', messageId: summary.id });
    await click.waitFor('modal');
    assert.equal(click.callbackType, 9);
    const submit = bot.fake.sendModalSubmit({ customId: 'ask:modal', fields: { question: 'Who said it?' } });
    await submit.waitFor('responded');
    assert.equal(submit.original?.content, 'Q: Who said it?');
    assert.equal(submit.ephemeral, true);
    assert.throws(
      () => bot.fake.sendModalSubmit({ customId: 'ask:modal', fields: { question: 'again' } }),
      /already submitted/,
    );
    assertHealthy(bot);
  });

  it('GIVEN a deferred private reply with a button WHEN it is clicked THEN the app sees an ephemeral message it can update', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    let flags: number | null = null;
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply({
          content: 'Summary',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Secondary,
                  custom_id: 'refresh',
                  label: 'Refresh',
                },
              ],
            },
          ],
        });
      } else if (interaction.isButton()) {
        flags = interaction.message.flags.bitfield;
        await interaction.deferUpdate();
        await interaction.editReply({ content: 'Summary, refreshed' });
      }
    });
    const command = bot.fake.sendSlashCommand({ name: 'summarize', options: { url: 'https://example.com' } });
    await command.waitFor('edited');
    const summary = command.original;
    assert.ok(summary);
    const click = bot.fake.sendButton({ customId: 'refresh', messageId: summary.id });
    await click.waitFor((x) => x.original?.content === 'Summary, refreshed');
    assert.equal(click.callbackType, 6);
    assert.equal(((flags ?? 0) & MessageFlags.Ephemeral) !== 0, true, 'flag 64 from the deferral on');
    assert.equal(bot.fake.message(summary.id)?.content, 'Summary, refreshed');
    assertHealthy(bot);
  });

  it('GIVEN attachments WHEN the bot reads one and uploads another THEN both are served by the fake', async (t) => {
    const bot = await startBot(t);
    await bot.client.application?.commands.set([SUMMARIZE]);
    bot.client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const file = interaction.options.getAttachment('file', true);
      const text = await (await fetch(file.url)).text();
      await interaction.reply({
        content: `read ${text.length} chars`,
        files: [{ attachment: Buffer.from(text.toUpperCase()), name: 'upper.txt' }],
      });
    });
    const article = bot.fake.addAttachment('article.txt', 'text/plain', 'the quick brown fox');
    const handle = bot.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: 'https://example.com' },
      attachments: { file: article },
    });
    await handle.waitFor('responded');
    assert.equal(handle.original?.content, 'read 19 chars');
    const uploaded = handle.original?.attachments[0];
    assert.equal(uploaded?.filename, 'upper.txt');
    assert.equal(await (await fetch(uploaded?.url ?? '')).text(), 'THE QUICK BROWN FOX');
    assertHealthy(bot);
  });

  it('GIVEN an upload over the size limit WHEN the bot sends it THEN Discord answers 413 / 40005', async (t) => {
    const bot = await startBot(t, { maxUploadBytes: 1024 });
    const channel = textChannel(bot.client, bot.fake.channelId);
    await assert.rejects(
      channel.send({ files: [{ attachment: Buffer.alloc(2048), name: 'big.bin' }] }),
      isApiError(40005, 413),
    );
    assertHealthy(bot);
  });

  it('GIVEN command definitions WHEN a deploy script registers them THEN invalid ones are refused with 50035', async (t) => {
    const bot = await startBot(t);
    const rest = new REST({ api: bot.fake.apiUrl }).setToken(bot.fake.token);
    const route = Routes.applicationGuildCommands(bot.fake.applicationId, bot.fake.guildId);
    const string = (extra: object) => ({ type: 3, name: 'text', description: 'd', ...extra });
    const bad = [
      [{ name: 'Summarize', description: 'd' }],
      [{ name: 'x'.repeat(33), description: 'd' }],
      [{ name: 'ok', description: 'd'.repeat(101) }],
      [{ name: 'ok', description: '' }],
      [{ name: 'ok', description: 'd', options: [string({ max_length: 6001 })] }],
      [{ name: 'ok', description: 'd', options: [string({}), string({ name: 'other', required: true })] }],
      [{ type: 3, name: 'Summarize this', description: 'not allowed' }],
      [
        { name: 'same', description: 'd' },
        { name: 'same', description: 'd' },
      ],
    ];
    for (const body of bad) await assert.rejects(rest.put(route, { body }), isApiError(50035, 400));
    const ok = (await rest.put(route, {
      body: [
        { ...SUMMARIZE, options: [string({ max_length: 6000 })] },
        { type: 3, name: 'Summarize this' },
      ],
    })) as { id: string; name: string }[];
    assert.deepEqual(
      ok.map((c) => c.name),
      ['summarize', 'Summarize this'],
    );
    assert.deepEqual(
      bot.fake.commands(bot.fake.guildId).map((c) => c.id),
      ok.map((c) => c.id),
    );
    assert.equal(bot.fake.commandRegistrations.length, bad.length + 1);
    assertHealthy(bot);
  });

  it('GIVEN a short heartbeat interval THEN heartbeats are acknowledged and the client measures a ping', async (t) => {
    const bot = await startBot(t, { heartbeatIntervalMs: 100 });
    await bot.fake.waitForGateway((s) => s.heartbeatAcks >= 3, 3000);
    await sleep(20);
    assert.ok(bot.client.ws.ping >= 0, `ping ${bot.client.ws.ping}`);
    assertHealthy(bot);
  });

  it('GIVEN heartbeats that are not acknowledged THEN the client treats the connection as a zombie and resumes', async (t) => {
    const bot = await startBot(t, { heartbeatIntervalMs: 100 });
    bot.fake.setHeartbeatAcks(false);
    await bot.fake.waitForGateway((s) => s.resumes >= 1, 5000);
    bot.fake.setHeartbeatAcks(true);
    const next = nextMessage(bot.client, (m) => m.content.endsWith('still here'));
    bot.fake.postUserMessage({ content: 'still here', mentionsBot: true });
    await next;
    assert.equal(bot.fake.gatewayStats.identifies, 1);
    assertHealthy(bot);
  });

  it('GIVEN a request to a route the fake does not know THEN it answers 404 and records it', async (t) => {
    const bot = await startBot(t);
    await assert.rejects(bot.client.rest.get('/oauth2/applications/@me'), isApiError(0, 404));
    assert.deepEqual(
      bot.fake.unknownRoutes().map((r) => `${r.method} ${r.path}`),
      ['GET /oauth2/applications/@me'],
    );
    assert.deepEqual(bot.fake.problems(), ['unknown route GET /oauth2/applications/@me']);
    assert.deepEqual(bot.errors, []);
  });
});
