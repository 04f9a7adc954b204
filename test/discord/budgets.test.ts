import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nextUtcMidnight } from '../../src/app/budget.js';
import {
  eventually,
  type Harness,
  modelEnv,
  problems,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { pastedBody as pasted } from '../../testkit/discord/pages.js';
import {
  DEFAULT_MEMBER_PERMISSIONS,
  type InteractionHandle,
  Permission,
} from '../../testkit/fakes/discord/index.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { assertQuotesFromArticle, embedsOf, finalReply } from './views.js';

/** A distinct copy of the article, so that no cached summary answers. */
const copy = (n: number): string => `${pasted}\n\nThis is copy number ${n} of the article.`;
const footerOf = (m: { embeds: unknown[] }) => embedsOf(m).at(-1)?.footer?.text ?? '';

/** The private reply of `/usage` or `/budget` once it is final. */
async function privateText(handle: InteractionHandle): Promise<string> {
  await handle.waitFor((x) => x.ephemeral && x.original !== null && x.original.content !== '', 10_000);
  return handle.original?.content ?? '';
}

describe('daily model budgets on Discord', () => {
  let h: Harness;
  let openai: FakeOpenAI;
  let guildA: string;
  let guildB: string;
  let guildC: string;
  let generalA: string;
  let generalB: string;
  let generalC: string;
  let alice: string;
  let bob: string;
  let firstSummaryId: string;
  before(async () => {
    // Every model call reports 2,000 tokens; a summary of this article is estimated at ~3,100 tokens
    // and an answer at ~2,700, so after one summary a server's 4,500 cover neither.
    openai = await startFakeOpenAI({
      handler: (request) => {
        const r = realisticReply(request);
        return r.kind === 'json' ? { ...r, usage: { prompt_tokens: 1500, completion_tokens: 500 } } : r;
      },
    });
    h = await startHarness(null, {
      global: true,
      fake: {
        rateLimits: WIDE_BUCKETS,
        guilds: [{ name: 'Guild A' }, { name: 'Guild B' }, { name: 'Guild C' }],
      },
      env: {
        ...modelEnv(openai),
        BUDGET_GUILD_DAILY_TOKENS: '4500',
        BUDGET_USER_DAILY_TOKENS: '100000',
      },
    });
    [guildA = '', guildB = '', guildC = ''] = [...h.fake.world.guilds.keys()];
    generalA = h.fake.channelByName('general', guildA).id;
    generalB = h.fake.channelByName('general', guildB).id;
    generalC = h.fake.channelByName('general', guildC).id;
    alice = h.fake.userByName('alice').id;
    bob = h.fake.userByName('bob').id;
    for (const guildId of [guildA, guildB, guildC]) {
      h.fake.setMemberPermissions(alice, DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild, guildId);
      h.fake.setMemberPermissions(bob, DEFAULT_MEMBER_PERMISSIONS, guildId);
    }
  });
  after(async () => {
    await h.close();
    await openai.close();
  });

  it('GIVEN a small server budget THEN the first summary uses the model and /usage shows it', async () => {
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: copy(1) },
      channelId: generalA,
      user: alice,
    });
    const summary = await finalReply(handle);
    firstSummaryId = summary.id;
    assert.match(footerOf(summary), /· openai · fake-model$/u);
    assert.equal(openai.requests.length, 1);

    const usage = h.fake.sendSlashCommand({ name: 'usage', channelId: generalA, user: alice });
    const text = await privateText(usage);
    assert.match(text, /This server: 2,000 tokens of 4,500 \(1 model request\), 2,500 left/u);
    assert.match(text, /You: 2,000 tokens of 100,000 \(1 model request\), 98,000 left/u);
    assert.match(text, /Server limit: 4,500 tokens a day \(the bot’s default\)/u);
    assert.ok(text.includes(`<t:${nextUtcMidnight(Date.now()) / 1000}:R>`), 'says when it resets');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the next summary would overrun the budget THEN the offline engine answers, says the budget has too little left and when it resets, and the model is not asked', async () => {
    const before = openai.requests.length;
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: copy(2) },
      channelId: generalA,
      user: bob,
    });
    const summary = await finalReply(handle);
    assert.match(
      footerOf(summary),
      /· extractive · not enough of this server’s model budget left today$/u,
      'the footer names whose budget, without a time it cannot show in the reader’s zone',
    );
    const description = embedsOf(summary)[0]?.description ?? '';
    assert.match(
      description,
      /This server’s AI model budget for today has too little left for this, so my offline engine wrote it/u,
    );
    assert.ok(description.includes(`resets <t:${nextUtcMidnight(Date.now()) / 1000}:R>`));
    assert.match(description, /`\/usage` shows what is left/u, 'says where to look next');
    assertQuotesFromArticle(embedsOf(summary), copy(2));
    assert.equal(openai.requests.length, before, 'no request reached the model');
    assert.match(
      await h.bot.context.metrics.render(),
      /verbatim_budget_fallbacks_total\{scope="guild"\} 1\n/u,
    );

    const other = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: copy(3) },
      channelId: generalB,
      user: bob,
    });
    assert.match(
      footerOf(await finalReply(other)),
      /· openai · fake-model$/u,
      'another server is unaffected',
    );
    assert.equal(openai.requests.length, before + 1);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a spent budget THEN follow-up questions in its thread are answered offline too', async () => {
    const thread = await eventually(
      () => h.fake.threads().find((t) => t.id === firstSummaryId),
      5000,
      'thread',
    );
    const before = openai.requests.length;
    const handle = h.fake.sendSlashCommand({
      name: 'ask',
      options: { question: 'In how many minutes can a gate be lowered?' },
      channelId: thread.id,
      user: alice,
    });
    const answer = await finalReply(handle);
    assert.match(footerOf(answer), /extractive · not enough of this server’s model budget left today/u);
    assert.match(embedsOf(answer)[0]?.description ?? '', /budget for today has too little left/u);
    assert.equal(openai.requests.length, before, 'no request reached the model');
  });

  it('GIVEN /budget THEN a member without Manage Server cannot run it, and an admin’s value above the operator’s is cut to it', async () => {
    assert.throws(
      () =>
        h.fake.sendSlashCommand({
          name: 'budget',
          options: { server_tokens: 1 },
          channelId: generalC,
          user: bob,
        }),
      /lacks the permissions \/budget/u,
    );
    const raised = h.fake.sendSlashCommand({
      name: 'budget',
      options: { server_tokens: 9_000_000 },
      channelId: generalC,
      user: alice,
    });
    const text = await privateText(raised);
    assert.match(text, /^Budget updated\. Now in force:\nServer: 4,500 tokens a day \(the bot’s maximum\)/u);
    assert.match(
      text,
      /You asked for 9,000,000 tokens; the bot’s operator allows at most 4,500 tokens a day/u,
    );
    assert.equal(raised.callbackType, 5);
    assert.equal(raised.ephemeral, true);
  });

  it('GIVEN an admin sets 0 tokens per member THEN members get the offline engine, and reset restores the defaults', async () => {
    const closed = h.fake.sendSlashCommand({
      name: 'budget',
      options: { member_tokens: 0 },
      channelId: generalC,
      user: alice,
    });
    assert.match(
      await privateText(closed),
      /Each member: 0 tokens, offline engine only \(set by this server’s admins\)/u,
    );
    const before = openai.requests.length;
    const summary = await finalReply(
      h.fake.sendSlashCommand({
        name: 'summarize',
        options: { text: copy(4) },
        channelId: generalC,
        user: bob,
      }),
    );
    assert.match(footerOf(summary), /not enough of your model budget left today/u);
    assert.match(
      embedsOf(summary)[0]?.description ?? '',
      /Your AI model budget for today has too little left/u,
    );
    assert.equal(openai.requests.length, before);

    const shown = await privateText(
      h.fake.sendSlashCommand({ name: 'budget', channelId: generalC, user: alice }),
    );
    assert.match(
      shown,
      /^This server’s daily AI model budget:\nServer: 4,500 tokens a day \(the bot’s maximum\)/u,
    );
    const reset = await privateText(
      h.fake.sendSlashCommand({ name: 'budget', options: { reset: true }, channelId: generalC, user: alice }),
    );
    assert.match(
      reset,
      /Server: 4,500 tokens a day \(the bot’s default\)\nEach member: 100,000 tokens a day \(the bot’s default\)/u,
    );
    assert.match(
      await h.bot.context.metrics.render(),
      /verbatim_budget_fallbacks_total\{scope="user"\} 1\n/u,
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN /usage in a direct message THEN only the caller’s usage and limit are shown', async () => {
    const dm = h.fake.openDm(bob);
    const text = await privateText(h.fake.sendSlashCommand({ name: 'usage', channelId: dm.id, user: bob }));
    assert.doesNotMatch(text, /This server/u);
    assert.match(text, /You: 0 tokens of 100,000 \(0 model requests\), 100,000 left/u);
    assert.match(text, /Limit in direct messages: 100,000 tokens a day/u);
  });
});

describe('budgets without a model', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(null, { fake: { rateLimits: WIDE_BUCKETS } });
    h.fake.setMemberPermissions(h.fake.user.id, Permission.Administrator);
  });
  after(() => h.close());

  it('GIVEN only the offline engine THEN /usage and /budget say no budget applies', async () => {
    const usage = h.fake.sendSlashCommand({ name: 'usage' });
    await usage.waitFor('responded');
    assert.match(
      usage.original?.content ?? '',
      /No AI model is set up: my offline engine writes every summary/u,
    );
    const budget = h.fake.sendSlashCommand({ name: 'budget', options: { server_tokens: 10 } });
    await budget.waitFor('responded');
    assert.equal(budget.ephemeral, true);
    assert.match(budget.original?.content ?? '', /no budget applies/u);
    assert.deepEqual(problems(h), []);
  });
});
