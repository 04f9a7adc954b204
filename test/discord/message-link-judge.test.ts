import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PermissionFlagsBits as P } from 'discord.js';
import { judgeMessageLink, type MessageLinkFacts } from '../../src/discord/message-link.js';

const READ = P.ViewChannel | P.ReadMessageHistory;
const ok: MessageLinkFacts = {
  linkGuildId: '1',
  hereGuildId: '1',
  seenOnlyByRequester: false,
  channelFound: true,
  requesterPermissions: READ | P.SendMessages,
  requesterInPrivateThread: null,
  botPermissions: READ,
};

describe('judging a message link', () => {
  it('GIVEN the requester and the bot can both view the channel and read its history THEN it may be opened', () => {
    assert.equal(judgeMessageLink(ok), true);
    assert.equal(judgeMessageLink({ ...ok, requesterInPrivateThread: true }), true);
  });

  it('GIVEN any one thing missing THEN it may not', () => {
    const refused: [string, Partial<MessageLinkFacts>][] = [
      ['a DM', { linkGuildId: null }],
      ['another server, shown in public', { hereGuildId: '2' }],
      ['no channel', { channelFound: false }],
      ['requester not a member', { requesterPermissions: null }],
      ['requester cannot view', { requesterPermissions: P.ReadMessageHistory }],
      ['requester cannot read history', { requesterPermissions: P.ViewChannel }],
      ['bot cannot view', { botPermissions: P.ReadMessageHistory }],
      ['bot cannot read history', { botPermissions: P.ViewChannel }],
      ['bot permissions unknown', { botPermissions: null }],
      ['private thread the requester is not in', { requesterInPrivateThread: false }],
    ];
    for (const [name, change] of refused) assert.equal(judgeMessageLink({ ...ok, ...change }), false, name);
  });

  it('GIVEN another server’s message WHEN only the requester will see the summary THEN it may be opened', () => {
    assert.equal(judgeMessageLink({ ...ok, hereGuildId: '2', seenOnlyByRequester: true }), true);
    assert.equal(judgeMessageLink({ ...ok, hereGuildId: null, seenOnlyByRequester: true }), true);
  });
});
