import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANSWER_OUTPUT_TOKENS,
  estimateAnswerTokens,
  estimateSummaryTokens,
  estimateTextTokens,
  nextUtcMidnight,
  PROMPT_TOKENS_PER_CALL,
  REPAIR_TOKENS,
  resolveLimits,
  SUMMARY_OUTPUT_TOKENS,
} from '../../src/app/budget.js';
import { RESULT_CACHE_NAMESPACE } from '../../src/app/result-cache.js';
import type { SummaryRequest } from '../../src/app/summaries.js';
import { type App, createSystem, type System } from '../../src/app/system.js';
import { makeArticle } from '../../src/article/article.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { UNSET_SERVER_DEFAULTS, utcDay } from '../../src/store/store.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, type FakeReply, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { readFixture } from '../helpers/fixtures.js';

const text = readFixture('discord', 'article.html')
  .split('\n')
  .filter((l) => l.startsWith('<p>'))
  .map((l) => l.replace(/<[^>]+>/gu, ''))
  .join('\n\n');

/** 22:00 UTC, two hours before the budgets reset. */
const T0 = Date.UTC(2026, 10, 29, 22, 0, 0);
const MIDNIGHT = Date.UTC(2026, 10, 30);
/** What the fake model reports for every call: 2,000 tokens. */
const CALL_USAGE = { prompt_tokens: 1500, completion_tokens: 500 };

const OPERATOR = { BUDGET_GUILD_DAILY_TOKENS: 1_000_000, BUDGET_USER_DAILY_TOKENS: 100_000 };

describe('budget estimates and limits', () => {
  it('GIVEN English and non-Latin text THEN tokens are estimated at ~4 ASCII or ~2 other characters each', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.equal(estimateTextTokens('abcd'.repeat(100)), 100);
    assert.equal(estimateTextTokens('Кириллица'), 5);
    assert.equal(estimateTextTokens('日本語のテキスト'), 4);
  });

  it('GIVEN an article that fits one call or needs map and reduce THEN the summary estimate counts each call', () => {
    const short = makeArticle('word '.repeat(400));
    const one = estimateTextTokens(short.text) + PROMPT_TOKENS_PER_CALL + SUMMARY_OUTPUT_TOKENS.standard;
    assert.equal(estimateSummaryTokens(short, 'standard', 48_000), one + REPAIR_TOKENS);
    assert.ok(
      estimateSummaryTokens(short, 'detailed', 48_000) > estimateSummaryTokens(short, 'short', 48_000),
    );
    const long = makeArticle('word '.repeat(20_000));
    const chunked = estimateSummaryTokens(long, 'standard', 48_000);
    const calls = Math.ceil(long.text.length / 48_000) + 1;
    assert.equal(
      chunked,
      estimateTextTokens(long.text) +
        12_000 +
        calls * (PROMPT_TOKENS_PER_CALL + SUMMARY_OUTPUT_TOKENS.standard) +
        REPAIR_TOKENS,
    );
    const answer = estimateAnswerTokens(long, 'Who?', [], 8_000);
    assert.equal(answer, 2_000 + 1 + PROMPT_TOKENS_PER_CALL + ANSWER_OUTPUT_TOKENS + REPAIR_TOKENS);
    assert.ok(estimateAnswerTokens(long, 'Who?', [{ question: 'q', answer: [] }], 8_000) > answer);
  });

  it('GIVEN operator limits and a guild’s own THEN the lower applies, a higher one is cut to the ceiling, 0 is no limit for the operator', () => {
    assert.deepEqual(resolveLimits(OPERATOR, undefined, true), {
      limits: { guild: 1_000_000, member: 100_000 },
      sources: { guild: 'default', member: 'default' },
    });
    const own = (dailyTokens: number | null, memberDailyTokens: number | null) => ({
      guildId: 'g',
      dailyTokens,
      memberDailyTokens,
      ...UNSET_SERVER_DEFAULTS,
      updatedBy: 'admin',
      updatedAt: 0,
    });
    assert.deepEqual(resolveLimits(OPERATOR, own(50_000, 5_000_000), true), {
      limits: { guild: 50_000, member: 100_000 },
      sources: { guild: 'guild', member: 'ceiling' },
    });
    assert.deepEqual(resolveLimits(OPERATOR, own(0, null), true).limits, { guild: 0, member: 100_000 });
    const unlimited = { BUDGET_GUILD_DAILY_TOKENS: 0, BUDGET_USER_DAILY_TOKENS: 0 };
    assert.deepEqual(resolveLimits(unlimited, undefined, true).limits, { guild: null, member: null });
    assert.deepEqual(resolveLimits(unlimited, own(7, 3), true).limits, { guild: 7, member: 3 });
    assert.deepEqual(
      resolveLimits(OPERATOR, undefined, false).limits,
      { guild: null, member: 100_000 },
      'in DMs only the user limit applies',
    );
  });

  it('GIVEN any time of a UTC day THEN the budget resets at the next UTC midnight', () => {
    assert.equal(nextUtcMidnight(T0), MIDNIGHT);
    assert.equal(nextUtcMidnight(MIDNIGHT), MIDNIGHT + 86_400_000);
    assert.equal(nextUtcMidnight(MIDNIGHT - 1), MIDNIGHT);
  });
});

interface Setup {
  readonly service: App;
  readonly system: System;
  readonly openai: FakeOpenAI;
  readonly clock: { t: number };
}

/** The real system, the real model engine against the fake OpenAI server, SQLite in memory. */
async function startService(
  t: TestContext,
  env: Record<string, string>,
  handler: (r: Parameters<typeof realisticReply>[0]) => FakeReply | Promise<FakeReply> = withUsage,
): Promise<Setup> {
  const openai = await startFakeOpenAI({ handler });
  const config = parseConfig({
    VERBATIM_ENGINE: 'openai',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
    DATABASE_PATH: ':memory:',
    WORKER_THREADS: '1',
    ...env,
  });
  const clock = { t: T0 };
  const system = await createSystem(config, createLogger('silent'), { run: 'workers', now: () => clock.t });
  t.after(async () => {
    await system.close();
    await openai.close();
  });
  await system.open();
  return { service: system.app, system, openai, clock };
}

function withUsage(request: Parameters<typeof realisticReply>[0]): FakeReply {
  const r = realisticReply(request);
  return r.kind === 'json' ? { ...r, usage: CALL_USAGE } : r;
}

/** A distinct article text (so no cache answers). */
const copy = (n: number): string => `${text}\n\nThis is copy number ${n} of the article.`;

/** Summarizing `copy(n)`, asked by `userId` in `guildId`. */
function ask(n: number, guildId: string | null, userId: string): SummaryRequest {
  return {
    source: { kind: 'text', text: copy(n), source: 'discord:text' },
    length: 'standard',
    lang: null,
    requester: { guildId, userId },
  };
}

describe('budgets enforced by the service', () => {
  it('GIVEN a small guild budget THEN the model answers until the next call would overrun it, then the offline engine, until midnight', async (t) => {
    const { service, system, openai, clock } = await startService(t, { BUDGET_GUILD_DAILY_TOKENS: '5000' });
    const first = await service.summaries.summarize(ask(1, 'g1', 'u1'));
    assert.ok(first.ok);
    assert.equal(first.value.result.engine, 'openai');
    const calls = openai.requests.length;
    assert.equal(calls, 1);
    const day = utcDay(T0);
    assert.deepEqual(await system.store.getUsage({ guildId: 'g1', userId: 'u1', day }), {
      requests: 1,
      inputTokens: 1500,
      outputTokens: 500,
    });

    const second = await service.summaries.summarize(ask(2, 'g1', 'u2'));
    assert.ok(second.ok);
    assert.equal(second.value.result.engine, 'extractive');
    assert.deepEqual(second.value.result.fallback, {
      from: 'openai',
      code: 'budget_exhausted',
      budget: { scope: 'guild', resetsAt: MIDNIGHT },
    });
    assert.ok(second.value.result.summary.length > 0, 'the offline engine still summarizes');
    assert.equal(openai.requests.length, calls, 'the model was not asked');
    assert.equal(
      await system.store.cache.get(RESULT_CACHE_NAMESPACE, second.value.requestKey),
      undefined,
      'a budget fallback is not kept as the model’s result',
    );

    const again = await service.summaries.summarize(ask(1, 'g1', 'u2'));
    assert.ok(again.ok);
    assert.equal(again.value.summaryFromCache, true, 'a cached model summary costs nothing');
    assert.equal(again.value.result.engine, 'openai');

    const elsewhere = await service.summaries.summarize(ask(3, 'g2', 'u1'));
    assert.ok(elsewhere.ok);
    assert.equal(elsewhere.value.result.engine, 'openai', 'another guild has its own budget');
    const dm = await service.summaries.summarize(ask(4, null, 'u1'));
    assert.ok(dm.ok);
    assert.equal(dm.value.result.engine, 'openai');
    assert.equal((await system.store.getUsage({ guildId: '@me', userId: 'u1', day })).requests, 1);

    const report = await service.budgets.usageToday({ guildId: 'g1', userId: 'u1' });
    assert.deepEqual(report.guild, { requests: 1, inputTokens: 1500, outputTokens: 500 });
    assert.deepEqual(report.limits, { guild: 5000, member: 100_000 });
    assert.equal(report.resetsAt, MIDNIGHT);

    clock.t = MIDNIGHT + 1;
    const tomorrow = await service.summaries.summarize(ask(5, 'g1', 'u2'));
    assert.ok(tomorrow.ok);
    assert.equal(tomorrow.value.result.engine, 'openai', 'the budget reset at midnight UTC');
  });

  it('GIVEN a small per-user budget THEN one user falls back while another in the same guild still gets the model', async (t) => {
    const { service, openai } = await startService(t, { BUDGET_USER_DAILY_TOKENS: '5000' });
    assert.equal((await service.summaries.summarize(ask(1, 'g1', 'u1'))).ok, true);
    const spent = await service.summaries.summarize(ask(2, 'g1', 'u1'));
    assert.ok(spent.ok);
    assert.equal(spent.value.result.fallback?.budget?.scope, 'user');
    const other = await service.summaries.summarize(ask(3, 'g1', 'u2'));
    assert.ok(other.ok);
    assert.equal(other.value.result.engine, 'openai');
    assert.equal(openai.requests.length, 2);
  });

  it('GIVEN concurrent requests THEN reservations admit only what the budget covers, and nothing stays reserved', async (t) => {
    const slow = async (r: Parameters<typeof realisticReply>[0]) => {
      await sleep(150);
      return withUsage(r);
    };
    const { service, system, openai } = await startService(t, { BUDGET_GUILD_DAILY_TOKENS: '7200' }, slow);
    const estimate = estimateSummaryTokens(makeArticle(copy(1)), 'standard', 48_000);
    assert.ok(2 * estimate <= 7200 && 3 * estimate > 7200, `two estimates (${estimate}) fit, three do not`);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => service.summaries.summarize(ask(n, 'g1', `u${n}`))),
    );
    const engines = results.map((r) => (r.ok ? r.value.result.engine : r.error.code));
    assert.deepEqual(
      engines.filter((e) => e === 'openai').length,
      2,
      `without reservations all four would call the model: ${engines.join(', ')}`,
    );
    assert.equal(openai.requests.length, 2);
    const used = await system.store.getUsage({ guildId: 'g1', day: utcDay(T0) });
    assert.equal(used.inputTokens + used.outputTokens, 4000, 'within the budget');
    const after = await service.summaries.summarize(ask(9, 'g1', 'u9'));
    assert.ok(after.ok);
    assert.equal(
      after.value.result.engine,
      'openai',
      'released reservations no longer count: 4,000 + estimate fits',
    );
  });

  it('GIVEN a spent budget THEN follow-up answers come from the offline engine with the budget note', async (t) => {
    const { service, system, openai } = await startService(t, { BUDGET_GUILD_DAILY_TOKENS: '4500' });
    const summary = await service.summaries.summarize(ask(1, 'g1', 'u1'));
    assert.ok(summary.ok);
    await service.conversations.open({
      id: 'th-1',
      guildId: 'g1',
      channelId: 'c-1',
      requesterId: 'u1',
      articleHash: summary.value.article.contentHash,
      requestKey: summary.value.requestKey,
      createdAt: T0,
    });
    const conversation = await service.conversations.get('th-1');
    assert.ok(conversation?.article);
    const article = conversation.article;
    const calls = openai.requests.length;
    const answered = await service.conversations.answer(
      { ...conversation, article },
      'Who paid for the barrier?',
      'u2',
    );
    assert.ok(answered.ok);
    assert.equal(
      answered.value.fallback?.code,
      'budget_exhausted',
      '2,000 used + the estimate exceeds 4,500',
    );
    assert.equal(answered.value.fallback?.budget?.scope, 'guild');
    assert.equal(answered.value.engine, 'extractive');
    assert.equal(openai.requests.length, calls, 'the model was not asked');
    assert.equal((await system.store.recentTurns('th-1', 5)).length, 1, 'the turn is kept');
  });

  it('GIVEN an admin’s settings THEN lower limits apply, higher ones are cut to the operator’s, 0 keeps the model out, reset restores', async (t) => {
    const { service, openai } = await startService(t, { BUDGET_GUILD_DAILY_TOKENS: '50000' });
    const raised = await service.budgets.setGuildBudget('g1', { dailyTokens: 9_000_000 }, 'admin');
    assert.equal(raised.report.limits.guild, 50_000);
    assert.equal(raised.report.sources.guild, 'ceiling');
    assert.equal(raised.settings.dailyTokens, 9_000_000, 'kept as asked, cut when read');
    const closed = await service.budgets.setGuildBudget('g1', { memberDailyTokens: 0 }, 'admin');
    assert.deepEqual(closed.report.limits, { guild: 50_000, member: 0 });
    const refused = await service.summaries.summarize(ask(1, 'g1', 'u1'));
    assert.ok(refused.ok);
    assert.equal(refused.value.result.fallback?.budget?.scope, 'user');
    assert.equal(openai.requests.length, 0);
    const reset = await service.budgets.setGuildBudget(
      'g1',
      { dailyTokens: null, memberDailyTokens: null },
      'admin',
    );
    assert.deepEqual(reset.report.sources, { guild: 'default', member: 'default' });
    const allowed = await service.summaries.summarize(ask(1, 'g1', 'u1'));
    assert.ok(allowed.ok);
    assert.equal(allowed.value.result.engine, 'openai');
  });
});
