import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BudgetLedger, estimateSummaryTokens, RESERVATION_TTL_MS } from '../../src/app/budget.js';
import type { SummaryRequest } from '../../src/app/summaries.js';
import { createSystem, type System } from '../../src/app/system.js';
import { makeArticle } from '../../src/article/article.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openStore, utcDay } from '../../src/store/store.js';
import { pastedBody } from '../../testkit/discord/pages.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { freshDatabase } from '../../testkit/services.js';
import { REDIS_URL, testRedis } from '../redis/redis.js';

/** A distinct text per `n` (10…99), all of one length, so every summary has the same estimate. */
const copy = (n: number): string => `${pastedBody}\n\nThis is copy number ${n} of the article.`;
const ESTIMATE = estimateSummaryTokens(makeArticle(copy(10)), 'standard', 48_000);

interface Setup {
  readonly systems: System[];
  readonly openai: FakeOpenAI;
  readonly databaseUrl: string;
}

/**
 * Worker Systems as separate processes would build them, on one fresh PostgreSQL database, with the
 * real model engine against a fake OpenAI that takes 300 ms and reports exactly `ESTIMATE` tokens
 * per call (so the calls admitted times the estimate is the usage recorded).
 */
async function startWorkers(
  t: TestContext,
  count: number,
  env: Record<string, string>,
  clock: () => number = Date.now,
): Promise<Setup> {
  const databaseUrl = await freshDatabase(t);
  const openai = await startFakeOpenAI({
    handler: async (r) => {
      await sleep(300);
      const reply = realisticReply(r);
      return reply.kind === 'json'
        ? { ...reply, usage: { prompt_tokens: ESTIMATE - 500, completion_tokens: 500 } }
        : reply;
    },
  });
  t.after(() => openai.close());
  const redis = await testRedis(t);
  const config = parseConfig({
    VERBATIM_ROLE: 'worker',
    VERBATIM_ENGINE: 'openai',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: redis.prefix,
    ...env,
  });
  const systems: System[] = [];
  t.after(async () => {
    for (const system of systems) await system.close();
  });
  for (let i = 0; i < count; i++) {
    const system = await createSystem(config, createLogger('silent'), { run: 'in-process', now: clock });
    systems.push(system);
    await system.open();
  }
  return { systems, openai, databaseUrl };
}

function ask(n: number, userId: string): SummaryRequest {
  return {
    source: { kind: 'text', text: copy(n), source: 'discord:text' },
    length: 'standard',
    lang: null,
    requester: { guildId: 'g1', userId },
  };
}

async function reservationRows(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM usage_reservations');
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe('budget reservations across worker processes', () => {
  it('GIVEN two worker Systems on one PostgreSQL, a guild budget of three calls and 16 summaries asked at once THEN exactly three calls are admitted and the budget holds', async (t) => {
    const limit = 3 * ESTIMATE + ESTIMATE / 2;
    const { systems, openai, databaseUrl } = await startWorkers(t, 2, {
      BUDGET_GUILD_DAILY_TOKENS: String(Math.floor(limit)),
    });
    const [a, b] = systems as [System, System];
    assert.equal(
      new Set([10, 55, 99].map((n) => estimateSummaryTokens(makeArticle(copy(n)), 'standard', 48_000))).size,
      1,
      'every copy has the same estimate',
    );
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).app.summaries.summarize(ask(10 + i, `u${i}`))),
    );
    const engines = results.map((r) => (r.ok ? r.value.result.engine : r.error.code));
    assert.equal(
      engines.filter((e) => e === 'openai').length,
      3,
      `each process reserving alone would admit three: ${engines.join(', ')}`,
    );
    assert.equal(openai.requests.length, 3);
    assert.ok(
      results.every(
        (r) =>
          !r.ok || r.value.result.engine === 'openai' || r.value.result.fallback?.code === 'budget_exhausted',
      ),
      'the others were summarized offline, over budget',
    );
    const used = await a.store.getUsage({ guildId: 'g1', day: utcDay(Date.now()) });
    assert.equal(used.inputTokens + used.outputTokens, 3 * ESTIMATE);
    assert.ok(used.inputTokens + used.outputTokens <= limit, 'within the budget');
    assert.equal(await reservationRows(databaseUrl), 0, 'every reservation was settled');
  });

  it('GIVEN a call that runs longer than the reservation TTL THEN its holder’s renewals keep it counting until it is settled', async (t) => {
    const databaseUrl = await freshDatabase(t);
    const stores = [await openStore({ url: databaseUrl }), await openStore({ url: databaseUrl })];
    t.after(async () => {
      for (const store of stores) await store.close();
    });
    const limits = { BUDGET_GUILD_DAILY_TOKENS: 1000, BUDGET_USER_DAILY_TOKENS: 0 };
    const [holder, other] = stores.map((store) => new BudgetLedger(store, limits, Date.now, 600)) as [
      BudgetLedger,
      BudgetLedger,
    ];
    const long = await holder.admit({ guildId: 'g1', userId: 'u1' }, 600);
    assert.ok(long.ok);
    await sleep(2000);
    const refused = await other.admit({ guildId: 'g1', userId: 'u2' }, 600);
    assert.deepEqual(
      refused.ok ? 'admitted' : refused.note.scope,
      'guild',
      'more than three TTLs later, still reserved',
    );
    await long.permit.settle({ inputTokens: 150, outputTokens: 50 });
    const admitted = await other.admit({ guildId: 'g1', userId: 'u2' }, 600);
    assert.ok(admitted.ok, '200 used + 600 fit once the long call settled');
    await admitted.permit.release();
    assert.deepEqual(await stores[0]?.getUsage({ guildId: 'g1', day: utcDay(Date.now()) }), {
      requests: 1,
      inputTokens: 150,
      outputTokens: 50,
    });
  });

  it('GIVEN a process killed while it holds a reservation THEN the budget it held is free again once the reservation expires', async (t) => {
    const clock = { offset: 0 };
    const { systems, openai, databaseUrl } = await startWorkers(
      t,
      1,
      { BUDGET_GUILD_DAILY_TOKENS: String(2 * ESTIMATE) },
      () => Date.now() + clock.offset,
    );
    const [worker] = systems as [System];
    const script = fileURLToPath(new URL('./shared-holder.js', import.meta.url));
    const holder = spawn(
      process.execPath,
      [script, databaseUrl, 'reserve', 'g1', 'dead', String(ESTIMATE + 1)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    t.after(() => holder.kill('SIGKILL'));
    const [line] = (await Promise.race([
      once(createInterface({ input: holder.stdout }), 'line'),
      once(holder, 'exit').then(([code]) => {
        throw new Error(`the holder exited (${code}) before reserving`);
      }),
    ])) as [string];
    assert.equal(line, 'holding');
    const exited = once(holder, 'exit');
    holder.kill('SIGKILL');
    await exited;

    const refused = await worker.app.summaries.summarize(ask(10, 'u1'));
    assert.ok(refused.ok);
    assert.equal(
      refused.value.result.fallback?.code,
      'budget_exhausted',
      'the dead process’s reservation still counts',
    );
    assert.equal(openai.requests.length, 0);

    clock.offset = RESERVATION_TTL_MS + 1000;
    const admitted = await worker.app.summaries.summarize(ask(11, 'u1'));
    assert.ok(admitted.ok);
    assert.equal(admitted.value.result.engine, 'openai', 'expired: its tokens count no more');
    assert.equal(openai.requests.length, 1);
    assert.equal(await reservationRows(databaseUrl), 0, 'the expired reservation was deleted');
  });
});
