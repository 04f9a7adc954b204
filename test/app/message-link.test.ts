import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDiscordHost, parseMessageLink } from '../../src/app/message-link.js';

const G = '111111111111111111';
const C = '222222222222222222';
const M = '333333333333333333';

describe('Discord message links', () => {
  it('GIVEN a message link on discord.com, canary, ptb or discordapp.com THEN it is read, in canonical form', () => {
    for (const host of [
      'discord.com',
      'canary.discord.com',
      'ptb.discord.com',
      'discordapp.com',
      'PTB.Discord.com',
    ]) {
      assert.deepEqual(parseMessageLink(` https://${host}/channels/${G}/${C}/${M}/ `), {
        guildId: G,
        channelId: C,
        messageId: M,
        url: `https://discord.com/channels/${G}/${C}/${M}`,
      });
    }
    assert.equal(parseMessageLink(`https://discord.com/channels/@me/${C}/${M}`)?.guildId, null);
    assert.equal(parseMessageLink(`https://discord.com/channels/${G}/${C}/${M}?x=1#y`)?.messageId, M);
  });

  it('GIVEN anything else THEN it is not a message link', () => {
    for (const raw of [
      `https://discord.com/channels/${G}/${C}`,
      `https://discord.com/channels/${G}/${C}/${M}/4`,
      `https://discord.com/channels/${G}/${C}/abc`,
      `https://evil.example/channels/${G}/${C}/${M}`,
      `https://discord.com.evil.example/channels/${G}/${C}/${M}`,
      `https://discord.com:8443/channels/${G}/${C}/${M}`,
      `ftp://discord.com/channels/${G}/${C}/${M}`,
      'not a url',
    ]) {
      assert.equal(parseMessageLink(raw), null, raw);
    }
  });

  it('GIVEN Discord’s own hosts THEN they are recognized (never fetched as pages); look-alikes are not', () => {
    assert.equal(isDiscordHost('https://discord.com/blog/x'), true);
    assert.equal(isDiscordHost('http://canary.discordapp.com/'), true);
    assert.equal(isDiscordHost('https://notdiscord.com/'), false);
    assert.equal(isDiscordHost('https://discord.com.example/'), false);
  });
});
