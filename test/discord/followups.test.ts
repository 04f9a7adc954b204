import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  eventually,
  type Harness,
  modelEnv,
  problems,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { pasted } from '../../testkit/discord/pages.js';
import type { StoredMessage } from '../../testkit/fakes/discord/index.js';
import { realisticReply, taggedBlock, taskOf } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { assertQuotesFromArticle, embedsOf, finalReply, replyTo } from './views.js';

/** Posts a summary of the pasted article and returns its thread id and invitation message. */
async function summaryThread(
  h: Harness,
  text = pasted,
): Promise<{ threadId: string; invite: StoredMessage }> {
  const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text } });
  const summary = await finalReply(handle);
  const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
  const invite = await h.fake.waitForMessage(thread.id, (m) => m.content.startsWith('Reply to this message'));
  return { threadId: thread.id, invite };
}

const answerTo = (h: Harness, threadId: string, question: StoredMessage, timeoutMs = 10_000) =>
  replyTo(h.fake, threadId, question, timeoutMs);

describe('follow-up questions with the offline engine', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(null, { fake: { rateLimits: WIDE_BUCKETS } });
  });
  after(() => h.close());

  it('GIVEN a summary thread WHEN someone mentions the bot with a question THEN it answers from the article, with quotes', async () => {
    const { threadId } = await summaryThread(h);
    const question = h.fake.postUserMessage({
      channelId: threadId,
      content: 'how much do the insurers lower premiums?',
      mentionsBot: true,
      user: h.fake.userByName('bob').id,
    });
    const answer = await answerTo(h, threadId, question);
    assert.deepEqual(answer.api.mentions, [], 'the answer does not ping the asker');
    assert.ok(assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('15 percent')));
    assert.ok(h.fake.typing(threadId).length > 0, 'typing shown while answering');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a question the article does not answer THEN the bot says the article doesn’t say', async () => {
    const { threadId, invite } = await summaryThread(h);
    const question = h.fake.postUserMessage({
      channelId: threadId,
      content: 'What is the capital of Mongolia?',
      replyToMessageId: invite.id,
    });
    const answer = await answerTo(h, threadId, question);
    assert.match(embedsOf(answer)[0]?.description ?? '', /The article doesn’t say\.$/u);
  });

  it('GIVEN /ask in a summary thread THEN the interaction reply is the answer; outside one THEN a private hint', async () => {
    const { threadId } = await summaryThread(h);
    const handle = h.fake.sendSlashCommand({
      name: 'ask',
      options: { question: 'In how many minutes can a gate be lowered?' },
      channelId: threadId,
    });
    const answer = await finalReply(handle);
    assert.equal(handle.callbackType, 5);
    assert.ok(assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('eleven minutes')));

    const outside = h.fake.sendSlashCommand({ name: 'ask', options: { question: 'Anything?' } });
    await outside.waitFor('responded');
    assert.equal(outside.callbackType, 4, 'refused at once, without deferring');
    assert.equal(outside.ephemeral, true);
    assert.match(outside.original?.content ?? '', /inside the thread under one of my summaries/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a reply without a ping THEN the bot, which cannot see its text, asks for the mention instead of guessing', async () => {
    const { threadId, invite } = await summaryThread(h);
    const quiet = h.fake.postUserMessage({
      channelId: threadId,
      content: 'How much did it cost?',
      replyToMessageId: invite.id,
      pingReply: false,
    });
    const hint = await answerTo(h, threadId, quiet);
    assert.match(hint.content, /keep the @ mention on/u);
    assert.equal(hint.embeds.length, 0, 'no answer to a question it could not read');
  });
});

describe('follow-up questions with the model engine', () => {
  let h: Harness;
  let openai: FakeOpenAI;
  before(async () => {
    openai = await startFakeOpenAI({
      handler: async (request) => {
        // Answers take a while, so that questions overlap and the per-thread order shows.
        if (taskOf(request.body) === 'answer') await sleep(250);
        return realisticReply(request);
      },
    });
    h = await startHarness(null, {
      fake: { rateLimits: WIDE_BUCKETS },
      env: modelEnv(openai),
    });
  });
  after(async () => {
    await h.close();
    await openai.close();
  });

  it('GIVEN questions sent while an answer is being written THEN each thread answers in order, and threads do not wait for each other', async () => {
    const a = await summaryThread(h);
    const b = await summaryThread(
      h,
      `${pasted}\n\nA second copy of the article, so that it is a different text.`,
    );
    const questions = [
      'How much did the barrier cost?',
      'How much does each gate weigh?',
      'When is the drill held?',
    ];
    const asked = questions.map((content) =>
      h.fake.postUserMessage({ channelId: a.threadId, content, replyToMessageId: a.invite.id }),
    );
    const other = h.fake.postUserMessage({
      channelId: b.threadId,
      content: 'What did the fishers ask for?',
      replyToMessageId: b.invite.id,
    });
    const otherAnswer = await answerTo(h, b.threadId, other);
    const answers = await Promise.all(asked.map((q) => answerTo(h, a.threadId, q)));
    const order = h.fake
      .messages(a.threadId)
      .filter((m) => m.authorId === h.fake.botUser.id && m.api.message_reference)
      .map((m) => m.api.message_reference?.message_id);
    assert.deepEqual(
      order,
      asked.map((q) => q.id),
    );
    assert.ok(
      BigInt(otherAnswer.id) < BigInt(answers[2]?.id ?? 0),
      'the other thread was answered before the third question here',
    );
    assert.ok(
      assertQuotesFromArticle(embedsOf(answers[0] as StoredMessage), pasted).some((q) =>
        q.includes('310 million'),
      ),
    );
    assert.match(embedsOf(answers[0] as StoredMessage)[0]?.footer?.text ?? '', /openai · fake-model/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a restart in the middle of a thread THEN the next question is answered with the article and the earlier turns', async () => {
    const { threadId, invite } = await summaryThread(h);
    const first = h.fake.postUserMessage({
      channelId: threadId,
      content: 'Who opened the barrier ceremony?',
      replyToMessageId: invite.id,
    });
    await answerTo(h, threadId, first);

    await h.restart();
    await eventually(() => h.bot.client.isReady(), 5000, 'the new client');
    const before = openai.requests.length;
    const second = h.fake.postUserMessage({
      channelId: threadId,
      content: 'How often will the gates close at first?',
      mentionsBot: true,
    });
    const answer = await answerTo(h, threadId, second);
    assert.ok(
      assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('twelve times a year')),
    );
    const request = openai.requests.slice(before).find((r) => taskOf(r.body) === 'answer');
    assert.ok(request, 'the model was asked');
    assert.match(taggedBlock(request.body, 'history') ?? '', /Who opened the barrier ceremony\?/u);
    assert.match(taggedBlock(request.body, 'article') ?? '', /480 tonnes/u, 'the article, not the summary');
    assert.deepEqual(problems(h), []);
  });
});

describe('follow-up questions with the Message Content intent', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(null, {
      fake: { messageContentEnabled: true, rateLimits: WIDE_BUCKETS },
      env: { DISCORD_MESSAGE_CONTENT: 'true' },
    });
  });
  after(() => h.close());

  it('GIVEN the intent THEN plain messages in a summary thread are answered, and replies to other people are not', async () => {
    const { threadId } = await summaryThread(h);
    const plain = h.fake.postUserMessage({ channelId: threadId, content: 'How much did the barrier cost?' });
    const answer = await answerTo(h, threadId, plain);
    assert.ok(assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('310 million')));
    const aside = h.fake.postUserMessage({
      channelId: threadId,
      content: 'Thanks, that helps.',
      replyToMessageId: plain.id,
      user: h.fake.userByName('bob').id,
    });
    await sleep(400);
    assert.equal(
      h.fake.messages(threadId).filter((m) => m.api.message_reference?.message_id === aside.id).length,
      0,
    );
    assert.equal(
      h.fake.identifyPayloads[0]?.intents,
      (1 << 0) | (1 << 9) | (1 << 10) | (1 << 15),
      'Guilds, GuildMessages, GuildMessageReactions, MessageContent',
    );
    assert.deepEqual(problems(h), []);
  });
});

describe('direct messages', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(null, { global: true });
  });
  after(() => h.close());

  it('GIVEN /summarize in a DM THEN the summary arrives without a thread, and its button takes questions', async () => {
    const dm = h.fake.openDm();
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted },
      channelId: dm.id,
    });
    const summary = await finalReply(handle);
    assertQuotesFromArticle(embedsOf(summary), pasted);
    assert.equal(h.fake.threads().length, 0);
    const click = h.fake.sendButton({ customId: 'verbatim:ask', messageId: summary.id });
    await click.waitFor('modal');
    const submit = h.fake.sendModalSubmit({
      customId: `verbatim:ask-modal:${summary.id}`,
      fields: { question: 'How much did the barrier cost?' },
    });
    const answer = await finalReply(submit);
    assert.ok(assertQuotesFromArticle(embedsOf(answer), pasted).some((q) => q.includes('310 million')));
    assert.deepEqual(problems(h), []);
  });
});
