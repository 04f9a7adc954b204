import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChannelType, PermissionFlagsBits as P } from 'discord.js';
import { judgePlace, noThreadNotice, type PlaceFacts } from '../../src/discord/where.js';

const ALL =
  P.ViewChannel |
  P.SendMessages |
  P.SendMessagesInThreads |
  P.EmbedLinks |
  P.ReadMessageHistory |
  P.CreatePublicThreads;
const guild = (channelType: number, permissions = ALL, extra: Partial<PlaceFacts> = {}): PlaceFacts => ({
  channelType,
  inGuild: true,
  botPresent: true,
  permissions,
  ...extra,
});

describe('judgePlace', () => {
  it('GIVEN a text or announcement channel with every permission THEN the bot may post, embed, reply and open a thread', () => {
    for (const type of [ChannelType.GuildText, ChannelType.GuildAnnouncement]) {
      const place = judgePlace(guild(type));
      assert.equal(place.kind, 'channel');
      assert.deepEqual(
        [place.canPost, place.canEmbed, place.canReply, place.thread.ok],
        [true, true, true, true],
      );
      assert.equal(noThreadNotice(place), null);
    }
  });

  it('GIVEN missing thread permissions THEN no thread, and the notice names them as Discord shows them', () => {
    const place = judgePlace(
      guild(ChannelType.GuildText, ALL & ~P.CreatePublicThreads & ~P.SendMessagesInThreads),
    );
    assert.deepEqual(place.thread, {
      ok: false,
      code: 'missing_permissions',
      missing: ['Create Public Threads', 'Send Messages in Threads'],
    });
    assert.match(
      noThreadNotice(place) ?? '',
      /missing the Create Public Threads and Send Messages in Threads permissions/u,
    );
  });

  it('GIVEN no Embed Links THEN it may post but not embed; GIVEN no Read Message History THEN it may not reply; GIVEN no Send Messages THEN nothing', () => {
    const noEmbeds = judgePlace(guild(ChannelType.GuildText, ALL & ~P.EmbedLinks));
    assert.deepEqual(
      [noEmbeds.canPost, noEmbeds.canEmbed, noEmbeds.missingToEmbed],
      [true, false, ['Embed Links']],
    );
    const noHistory = judgePlace(guild(ChannelType.GuildText, ALL & ~P.ReadMessageHistory));
    assert.deepEqual([noHistory.canPost, noHistory.canReply], [true, false]);
    const mute = judgePlace(guild(ChannelType.GuildText, ALL & ~P.SendMessages));
    assert.deepEqual(
      [mute.canPost, mute.canEmbed, mute.canReply, mute.missingToPost],
      [false, false, false, ['Send Messages']],
    );
  });

  it('GIVEN a thread or forum post THEN posting needs Send Messages in Threads (not Send Messages), a locked one needs Manage Threads, and no thread nests', () => {
    const thread = judgePlace(guild(ChannelType.PublicThread, ALL & ~P.SendMessages));
    assert.deepEqual([thread.kind, thread.canPost, thread.thread.ok], ['thread', true, false]);
    assert.equal(noThreadNotice(thread), null);
    const locked = judgePlace(guild(ChannelType.PublicThread, ALL, { locked: true }));
    assert.deepEqual([locked.canPost, locked.missingToPost], [false, ['Manage Threads']]);
    assert.equal(
      judgePlace(guild(ChannelType.PublicThread, ALL | P.ManageThreads, { locked: true })).canPost,
      true,
    );
  });

  it('GIVEN voice text chat, a DM, a server without the bot, a group DM and an unknown channel type THEN each is judged without throwing', () => {
    const voice = judgePlace(guild(ChannelType.GuildVoice));
    assert.deepEqual([voice.kind, voice.canPost, voice.thread.ok], ['chat', true, false]);
    assert.match(noThreadNotice(voice) ?? '', /no threads/u);
    const dm = judgePlace({
      channelType: ChannelType.DM,
      inGuild: false,
      botPresent: true,
      permissions: null,
    });
    assert.deepEqual([dm.kind, dm.canPost, dm.canEmbed, noThreadNotice(dm)], ['dm', true, true, null]);
    const userInstall = judgePlace({
      channelType: null,
      inGuild: true,
      botPresent: false,
      permissions: P.EmbedLinks,
    });
    assert.deepEqual([userInstall.kind, userInstall.canPost], ['elsewhere', false]);
    assert.match(noThreadNotice(userInstall) ?? '', /not a member of this server/u);
    const groupDm = judgePlace({
      channelType: ChannelType.GroupDM,
      inGuild: false,
      botPresent: false,
      permissions: null,
    });
    assert.deepEqual([groupDm.kind, groupDm.canPost], ['elsewhere', false]);
    for (const type of [99, ChannelType.GuildForum, ChannelType.GuildCategory]) {
      const odd = judgePlace(guild(type));
      assert.deepEqual([odd.kind, odd.canPost, odd.thread.ok], ['elsewhere', false, false], String(type));
    }
  });
});
