import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notices } from '../../src/discord/texts.js';
import {
  type ArticleServer,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pasted } from '../../testkit/discord/pages.js';
import { DEFAULT_BOT_PERMISSIONS, Permission } from '../../testkit/fakes/discord/index.js';
import type { InteractionHandle } from '../../testkit/fakes/discord/interaction-record.js';
import { assertQuotesFromArticle, assertWithinLimits, embedsOf, finalReply } from './views.js';

let h: Harness;
let articles: ArticleServer;
let guildId: string;
let otherGuildId: string;

const bob = () => ({ id: h.fake.userByName('bob').id });
const carol = () => ({ id: h.fake.userByName('carol').id });

/** Discord's route for reading one message, as the fake keys it. */
const MESSAGE_ROUTE = 'GET /channels/:channel/messages/:message';

const link = (guild: string, channel: string, message: string, host = 'discord.com') =>
  `https://${host}/channels/${guild}/${channel}/${message}`;

before(async () => {
  articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
  h = await startHarness(null, {
    articles,
    fake: {
      rateLimits: WIDE_BUCKETS,
      messageContentEnabled: true,
      // alice owns the servers (an owner sees every channel); bob and carol are members.
      users: [{ username: 'alice' }, { username: 'bob' }, { username: 'carol' }],
      guilds: [
        {
          name: 'Harbor News',
          channels: [
            { name: 'general' },
            { name: 'staff', hiddenFrom: ['bob'] },
            { name: 'closed', botPermissions: DEFAULT_BOT_PERMISSIONS & ~Permission.ViewChannel },
            { name: 'no-history', botPermissions: DEFAULT_BOT_PERMISSIONS & ~Permission.ReadMessageHistory },
          ],
        },
        { name: 'Elsewhere', channels: [{ name: 'lobby' }] },
      ],
    },
  });
  guildId = h.fake.guildId;
  otherGuildId = [...h.fake.world.guilds.keys()].find((id) => id !== guildId) ?? '';
});
after(async () => {
  await h.close();
  await articles.close();
});

/**
 * Waits until a public request was refused privately with text alone, and returns that text: the
 * link is opened after the (public) deferral, so the pending reply is removed and the sentence
 * comes as a private follow-up.
 */
async function privateAnswer(handle: InteractionHandle): Promise<string> {
  await handle.waitFor('followup');
  assert.equal(handle.originalDeleted, true, 'the pending public reply is removed');
  assert.equal(handle.followups.length, 1);
  const [answer] = handle.followups;
  assert.equal(answer?.ephemeral, true, 'answered privately');
  assert.equal(answer?.embeds.length ?? 0, 0);
  return answer?.content ?? '';
}

describe('/summarize with a Discord message link', () => {
  it('GIVEN a link to a message of prose, on any of Discord’s hosts THEN that text is summarized, and the title and every quote link point to the message', async () => {
    const general = h.fake.channelByName('general').id;
    const posted = h.fake.postUserMessage({ channelId: general, content: pasted, user: bob() });
    for (const host of ['discord.com', 'canary.discord.com', 'ptb.discord.com', 'discordapp.com']) {
      const handle = h.fake.sendSlashCommand({
        name: 'summarize',
        options: { url: link(guildId, general, posted.id, host) },
      });
      const summary = await finalReply(handle);
      const embeds = embedsOf(summary);
      const jump = link(guildId, general, posted.id);
      assert.equal(embeds[0]?.title, 'Harbor Town Opens Its Tidal Barrier');
      assert.equal(embeds[0]?.url, jump);
      assertQuotesFromArticle(embeds, pasted);
      const links = JSON.stringify(embeds).match(/\]\((https?:[^)]+)\)/gu) ?? [];
      assert.ok(links.length > 0, 'quotes link somewhere');
      for (const l of links) assert.equal(l, `](${jump})`, 'quote links open the message, no text fragment');
      assertWithinLimits(summary);
    }
    assert.equal(articles.hits.size, 0, 'nothing fetched over HTTP');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a link to a message with a short note and a text file THEN the file is summarized, pointing to the message', async () => {
    const general = h.fake.channelByName('general').id;
    const file = h.fake.addAttachment('barrier.txt', 'text/plain', pasted);
    const posted = h.fake.postUserMessage({
      channelId: general,
      content: 'The council’s notes, as promised',
      attachments: [file],
      user: bob(),
    });
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { url: link(guildId, general, posted.id) } }),
    );
    const embeds = embedsOf(summary);
    assert.equal(embeds[0]?.url, link(guildId, general, posted.id));
    assertQuotesFromArticle(embeds, pasted);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a link to a message that shares a link THEN the linked page is summarized as a page', async () => {
    const general = h.fake.channelByName('general').id;
    const url = articles.url('/news/tidal-barrier');
    const posted = h.fake.postUserMessage({
      channelId: general,
      content: `Worth a read, see ${link(guildId, general, '1234567890123456789')} and <${url}>.`,
      user: bob(),
    });
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { url: link(guildId, general, posted.id) } }),
    );
    const embeds = embedsOf(summary);
    assert.equal(embeds[0]?.url, url);
    assert.equal(articles.hits.get('/news/tidal-barrier'), 1);
    assert.match(JSON.stringify(embeds), /#:~:text=/u, 'quotes open the page at the quote');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN links the requester may not open (a hidden channel, another server, a DM, a deleted or missing message, a channel the bot cannot read) THEN each gets the same private sentence, and nothing of the message is shown', async () => {
    const general = h.fake.channelByName('general').id;
    const staff = h.fake.channelByName('staff').id;
    const closed = h.fake.channelByName('closed').id;
    const noHistory = h.fake.channelByName('no-history').id;
    const lobby = h.fake.channelByName('lobby', otherGuildId).id;
    const secret = 'The staff will move the harbour festival to the old quay';
    const hidden = h.fake.postUserMessage({
      channelId: staff,
      content: `${secret}. ${pasted}`,
    });
    const inClosed = h.fake.postUserMessage({ channelId: closed, content: pasted, user: bob() });
    const inNoHistory = h.fake.postUserMessage({ channelId: noHistory, content: pasted, user: bob() });
    const elsewhere = h.fake.postUserMessage({ channelId: lobby, content: pasted, user: bob() });
    const deleted = h.fake.postUserMessage({ channelId: general, content: pasted, user: bob() });
    h.fake.world.deleteMessage(deleted);
    const dm = h.fake.openDm(h.fake.userByName('bob').id);

    const cases: Record<string, string> = {
      'hidden channel': link(guildId, staff, hidden.id),
      'missing message in a visible channel': link(guildId, general, '1234567890123456789'),
      'missing message in a hidden channel': link(guildId, staff, '1234567890123456789'),
      'missing channel': link(guildId, '1234567890123456789', hidden.id),
      'bot cannot view': link(guildId, closed, inClosed.id),
      'bot cannot read history': link(guildId, noHistory, inNoHistory.id),
      'another server, in public': link(otherGuildId, lobby, elsewhere.id),
      'a server the bot is not in': link('1234567890123456789', general, hidden.id),
      'a direct message': link('@me', dm.id, '1234567890123456789'),
      'a deleted message': link(guildId, general, deleted.id),
    };
    const answers = new Map<string, string>();
    for (const [name, url] of Object.entries(cases)) {
      const handle = h.fake.sendSlashCommand({ name: 'summarize', user: bob(), options: { url } });
      answers.set(name, await privateAnswer(handle));
    }
    for (const [name, text] of answers) assert.equal(text, notices.cannotOpenMessage, name);
    const everything = JSON.stringify(h.fake.recordedPayloads());
    assert.ok(!everything.includes(secret), 'the hidden message never reaches a payload');

    // The same hidden message opens for carol, who may see the channel; and another server's
    // message opens when only the requester will see the summary.
    const forCarol = await finalReply(
      h.fake.sendSlashCommand({
        name: 'summarize',
        user: carol(),
        options: { url: cases['hidden channel'] ?? '' },
      }),
    );
    assert.equal(embedsOf(forCarol)[0]?.url, link(guildId, staff, hidden.id));
    const privately = await finalReply(
      h.fake.sendSlashCommand({
        name: 'summarize',
        user: bob(),
        options: { url: cases['another server, in public'] ?? '', private: true },
      }),
    );
    assert.equal(privately.ephemeral, true);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN Discord slow to return the linked message THEN the request is still acknowledged within 3 seconds, and the summary arrives', async () => {
    const general = h.fake.channelByName('general').id;
    const posted = h.fake.postUserMessage({ channelId: general, content: pasted, user: bob() });
    h.fake.delayRoute(MESSAGE_ROUTE, 3500);
    try {
      const handle = h.fake.sendSlashCommand({
        name: 'summarize',
        options: { url: link(guildId, general, posted.id) },
      });
      await handle.waitFor('ack');
      assert.ok(
        (handle.ackLatencyMs ?? Number.POSITIVE_INFINITY) < 3000,
        `acknowledged in ${handle.ackLatencyMs} ms`,
      );
      const summary = await finalReply(handle);
      assert.equal(embedsOf(summary)[0]?.url, link(guildId, general, posted.id));
      assert.deepEqual(handle.rejections, [], 'no late acknowledgement');
    } finally {
      h.fake.delayRoute(MESSAGE_ROUTE, 0);
    }
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a user over their summaries per minute THEN their message link is not read: they are told when to try again', async (t) => {
    const limited = await startHarness(t, {
      env: { DISCORD_USER_SUMMARIES_PER_MINUTE: '1' },
      fake: { messageContentEnabled: true },
    });
    const general = limited.fake.channelByName('general').id;
    const posted = limited.fake.postUserMessage({ channelId: general, content: pasted });
    const url = link(limited.fake.guildId, general, posted.id);
    const messageReads = () =>
      limited.fake.requests().filter((r) => r.route === MESSAGE_ROUTE && r.path.endsWith(`/${posted.id}`))
        .length;
    await finalReply(limited.fake.sendSlashCommand({ name: 'summarize', options: { url } }));
    assert.equal(messageReads(), 1);
    const again = limited.fake.sendSlashCommand({ name: 'summarize', options: { url } });
    await again.waitFor('responded');
    assert.equal(again.ephemeral, true);
    assert.match(again.original?.content ?? '', /Try again in (59|60) seconds\./u);
    assert.equal(messageReads(), 1, 'the rate-limited request read no message');
    assert.deepEqual(problems(limited), []);
  });

  it('GIVEN any other discord.com address THEN it is not fetched as a web page: the requester is told how to summarize a message', async () => {
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: 'https://discord.com/channels/@me' },
    });
    await handle.waitFor('followup');
    assert.equal(handle.followups[0]?.ephemeral, true);
    const text = handle.followups[0]?.content ?? '';
    assert.match(text, /I read Discord messages only through `\/summarize url:`/u);
    assert.deepEqual(problems(h), []);
  });
});
