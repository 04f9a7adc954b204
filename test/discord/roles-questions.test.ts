import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { notices } from '../../src/discord/texts.js';
import { type BotProcess, stopBotProcess } from '../../testkit/discord/bot-process.js';
import { eventually, WIDE_BUCKETS } from '../../testkit/discord/harness.js';
import { pasted } from '../../testkit/discord/pages.js';
import { countJobRows } from '../../testkit/discord/split-roles.js';
import type { FakeDiscord, StoredMessage } from '../../testkit/fakes/discord/index.js';
import { realisticReply, taskOf, userMessage } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { REDIS_URL } from '../redis/redis.js';
import { startSplitRoles } from './split-roles-setup.js';
import { assertQuotesFromArticle, embedsOf, finalReply, replyTo } from './views.js';

/** When the fake model answered one question: from its arrival to its reply, in ms since the test began. */
interface AnswerCall {
  readonly question: string;
  readonly start: number;
  readonly end: number;
}

interface Roles {
  readonly fake: FakeDiscord;
  readonly gateway: BotProcess;
  readonly workers: BotProcess[];
  /** The workers' model: answer calls take `answerDelay(question)` ms. */
  readonly model: FakeOpenAI;
  /** The gateway's own model server: it must never be called. */
  readonly gatewayModel: FakeOpenAI;
  /** Every answer call the workers' model finished, in the order they finished. */
  readonly answers: AnswerCall[];
  jobRows(): Promise<number>;
}

/**
 * A fresh database and Redis prefix, the fake Discord (one guild), the fake models and the processes:
 * one gateway, then `workers` workers. Questions name themselves first ("A2: …"): the fake model
 * waits `answerDelay` for each before answering from the article.
 */
async function startRoles(
  t: TestContext,
  options: {
    readonly workers: number;
    readonly answerDelay: (question: string) => number;
    readonly workerEnv?: Record<string, string>;
    readonly gatewayEnv?: Record<string, string>;
    /** The gateway's DATABASE_URL from the test database's (a relay to it). */
    readonly gatewayDatabase?: (url: string) => Promise<string>;
    /** Called once each answer call has its reply, before it is sent. */
    readonly onAnswer?: (call: AnswerCall) => void;
  },
): Promise<Roles> {
  const began = performance.now();
  const answers: AnswerCall[] = [];
  const model = await startFakeOpenAI({
    handler: async (request: FakeRequest) => {
      if (taskOf(request.body) !== 'answer') return realisticReply(request);
      const question = /^Question: (.*)$/mu.exec(userMessage(request.body))?.[1] ?? '';
      const start = performance.now() - began;
      await sleep(options.answerDelay(question));
      const call = { question, start, end: performance.now() - began };
      answers.push(call);
      options.onAnswer?.(call);
      return realisticReply(request);
    },
  });
  t.after(() => model.close());
  const gatewayModel = await startFakeOpenAI({ handler: realisticReply });
  t.after(() => gatewayModel.close());
  const { fake, databaseUrl, start } = await startSplitRoles(t, {
    database: 'verbatim_roles_questions',
    discord: { rateLimits: WIDE_BUCKETS },
    env: {
      VERBATIM_ENGINE: 'openai',
      OPENAI_API_KEY: 'test-key',
      OPENAI_MODEL: 'fake-model',
      OPENAI_MAX_RETRIES: '0',
      DISCORD_USER_QUESTIONS_PER_MINUTE: '0',
    },
  });
  // The gateway first: it migrates the fresh database before the workers open it.
  const gateway = await start({
    VERBATIM_ROLE: 'gateway',
    OPENAI_BASE_URL: gatewayModel.baseURL,
    DATABASE_URL: (await options.gatewayDatabase?.(databaseUrl)) ?? databaseUrl,
    ...options.gatewayEnv,
  });
  const workers: BotProcess[] = [];
  for (let i = 0; i < options.workers; i++) {
    workers.push(
      await start({ VERBATIM_ROLE: 'worker', OPENAI_BASE_URL: model.baseURL, ...options.workerEnv }),
    );
  }
  return {
    fake,
    gateway,
    workers,
    model,
    gatewayModel,
    answers,
    jobRows: () => countJobRows(databaseUrl),
  };
}

/** A summary of `text` made by the workers: its message (and thread) id and the thread's invitation. */
async function summaryThread(
  fake: FakeDiscord,
  text: string,
): Promise<{ id: string; invite: StoredMessage }> {
  const summary = await finalReply(fake.sendSlashCommand({ name: 'summarize', options: { text } }), 60_000);
  const thread = await eventually(() => fake.threads().find((th) => th.id === summary.id), 10_000, 'thread');
  const invite = await fake.waitForMessage(thread.id, (m) => m.content.startsWith('Reply to this message'));
  return { id: summary.id, invite };
}

/** The bot's messages in `threadId` replying to `question`. */
const repliesTo = (fake: FakeDiscord, threadId: string, question: StoredMessage) =>
  fake.messages(threadId).filter((m) => m.api.message_reference?.message_id === question.id);

/** Asserts that the answer calls of the questions starting with `prefix` ran one at a time, in `order`. */
function assertOneAtATimeInOrder(answers: readonly AnswerCall[], prefix: string, order: readonly string[]) {
  const calls = answers.filter((a) => a.question.startsWith(prefix)).sort((a, b) => a.start - b.start);
  assert.deepEqual(
    calls.map((c) => c.question.split(':')[0]),
    order,
    `${prefix}: answered in the order asked`,
  );
  for (let i = 1; i < calls.length; i++) {
    const [before, after] = [calls[i - 1] as AnswerCall, calls[i] as AnswerCall];
    assert.ok(
      after.start >= before.end,
      `${after.question} started (${Math.round(after.start)} ms) after ${before.question} ended (${Math.round(before.end)} ms)`,
    );
  }
}

/**
 * A test service (Redis, PostgreSQL) behind a relay the test can cut: the gateway's view of it
 * going down (the service itself keeps running for everyone else). Returns `url` through the relay.
 */
async function relay(t: TestContext, url: string): Promise<{ readonly url: string; cut(): Promise<void> }> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === 'redis:' ? 6379 : 5432));
  const proxy = await startTcpProxy(t, target.hostname, port);
  return { url: proxy.through(url), cut: () => proxy.refuse() };
}

/** The same question, named by each of `labels` ("A1: …"), mentioned in a thread all at once. */
function askAtOnce(fake: FakeDiscord, threadId: string, labels: readonly string[]): StoredMessage[] {
  return labels.map((label) =>
    fake.postUserMessage({
      channelId: threadId,
      content: `${label}: How much did the barrier cost?`,
      mentionsBot: true,
    }),
  );
}

/** The worker whose thread drain has started answering. */
function drainingWorker(workers: readonly BotProcess[]): Promise<BotProcess> {
  const draining = (w: BotProcess) => w.lines().some((l) => l.msg === 'queued question started');
  return eventually(() => workers.find(draining), 10_000, 'the draining worker');
}

const otherText = `${pasted}\n\nA second copy of the article, so that it is a different text.`;

describe('split roles: questions', () => {
  it('GIVEN one gateway and two workers WHEN questions are fired quickly into two threads, with /ask and the Ask form THEN the workers answer each once, one at a time and in order per thread, the threads in parallel, and the gateway calls no model', async (t) => {
    // Answers take varying time, so that a question overtaking another would show.
    const delays: Record<string, number> = { A1: 900, A2: 100, A3: 600, A4: 50, A5: 300, B1: 700, B2: 100 };
    const { fake, gateway, workers, gatewayModel, answers, jobRows } = await startRoles(t, {
      workers: 2,
      answerDelay: (q) => delays[q.split(':')[0] ?? ''] ?? 50,
      // One job per worker: the two threads' drains run on the two workers. (A worker taking both
      // would run them one user's half of its engine slots at a time — fair, but not parallel.)
      workerEnv: { ENGINE_MAX_ACTIVE: '1' },
    });
    const a = await summaryThread(fake, pasted);
    const b = await summaryThread(fake, otherText);
    const ask = (thread: string, label: string, question: string) =>
      fake.postUserMessage({ channelId: thread, content: `${label}: ${question}`, mentionsBot: true });
    const asked = [
      ask(a.id, 'A1', 'How much did the barrier cost?'),
      ask(a.id, 'A2', 'How much does each gate weigh?'),
      ask(b.id, 'B1', 'What did the fishers ask for?'),
      ask(a.id, 'A3', 'When is the drill held?'),
      ask(a.id, 'A4', 'In how many minutes can a gate be lowered?'),
      ask(b.id, 'B2', 'How much do the insurers lower premiums?'),
    ];
    // The way in after those are recorded: questions asked at the same moment by different ways are
    // answered in the order the gateway recorded them, which need not be the order they were sent.
    const queued = () => gateway.lines().filter((l) => l.msg === 'request queued').length;
    await eventually(() => queued() >= 2 + asked.length, 20_000, 'the questions recorded');
    const slash = fake.sendSlashCommand({
      name: 'ask',
      options: { question: 'A5: How much did the barrier cost?' },
      channelId: a.id,
    });
    const click = fake.sendButton({ customId: 'verbatim:ask', messageId: b.id });
    await click.waitFor('modal');
    const form = fake.sendModalSubmit({
      customId: `verbatim:ask-modal:${b.id}`,
      fields: { question: 'B3: In how many minutes can a gate be lowered?' },
    });

    for (const question of asked) {
      const answer = await replyTo(fake, question.channelId, question, 60_000);
      assertQuotesFromArticle(embedsOf(answer), question.channelId === a.id ? pasted : otherText);
    }
    const slashAnswer = await finalReply(slash, 60_000);
    assert.equal(slash.callbackType, 5, '/ask deferred by the gateway');
    assert.ok(embedsOf(slashAnswer).length > 0, '/ask answered in its reply');
    const formAnswer = await fake.waitForMessage(b.id, (m) => m.content.includes('asked:'), 60_000);
    assertQuotesFromArticle(embedsOf(formAnswer), otherText);
    await form.waitFor((h) => (h.original?.content ?? '').includes(`<#${b.id}>`), 10_000);
    assert.equal(form.ephemeral, true, 'the form acknowledged privately');

    t.diagnostic(
      answers
        .map((c) => `${c.question.split(':')[0]} ${Math.round(c.start)}–${Math.round(c.end)} ms`)
        .join(', '),
    );
    assertOneAtATimeInOrder(answers, 'A', ['A1', 'A2', 'A3', 'A4', 'A5']);
    assertOneAtATimeInOrder(answers, 'B', ['B1', 'B2', 'B3']);
    const [a1, b1] = [
      answers.find((c) => c.question.startsWith('A1')),
      answers.find((c) => c.question.startsWith('B1')),
    ];
    assert.ok(a1 && b1 && b1.start < a1.end && a1.start < b1.end, 'the two threads were answered at once');
    assert.equal(answers.length, 8, 'one model call per question');
    for (const question of asked) {
      assert.equal(
        repliesTo(fake, question.channelId, question).length,
        1,
        `${question.content}: answered once`,
      );
    }
    assert.equal(
      fake.messages(b.id).filter((m) => m.content.includes('asked:')).length,
      1,
      'the form answered once',
    );

    assert.equal(gatewayModel.requests.length, 0, 'the gateway called no model');
    assert.equal(
      gateway.lines().filter((l) => l.msg === 'request queued').length,
      2 + 8,
      'two summaries, eight questions',
    );
    assert.equal(
      gateway.lines().filter((l) => l.msg === 'answer posted').length,
      0,
      'the gateway answered nothing',
    );
    const answered = () => workers.flatMap((w) => w.lines().filter((l) => l.msg === 'answer posted'));
    await eventually(() => answered().length >= 8, 10_000, 'the workers’ logs');
    assert.equal(answered().length, 8, 'the workers answered each question once');
    await eventually(async () => (await jobRows()) === 0, 10_000, 'every job row finished');
    for (const p of [gateway, ...workers]) assert.deepEqual(p.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a worker SIGKILLed while it drains a thread, its answer posted but not recorded THEN another worker goes on: every question answered once, in order, the repeated post deduplicated by its nonce', async (t) => {
    let killPoint: (() => void) | null = null;
    const reachedA2 = new Promise<void>((resolve) => {
      killPoint = resolve;
    });
    const { fake, workers, answers, jobRows } = await startRoles(t, {
      workers: 2,
      answerDelay: () => 400,
      // A short lock: a dead worker's drain is found within seconds (the default is 30 s).
      workerEnv: { ENGINE_MAX_ACTIVE: '1', QUEUE_LOCK_MS: '2000' },
      onAnswer: (call) => {
        if (call.question.startsWith('A2') && killPoint) {
          // The answer's post is held at Discord until the worker that sent it is dead.
          fake.delayRoute('POST /channels/:channel/messages', 5000);
          killPoint?.();
          killPoint = null;
        }
      },
    });
    const a = await summaryThread(fake, pasted);
    const labels = ['A1', 'A2', 'A3', 'A4'];
    const asked = askAtOnce(fake, a.id, labels);
    await reachedA2;
    const victim = await drainingWorker(workers);
    const survivor = workers.find((w) => w !== victim) as BotProcess;
    // A2's answer is posted within 2 s of the model's reply (well within, even on a loaded machine);
    // Discord holds the post 5 s and stores it after its worker is dead: the answer is out, and not
    // recorded as answered.
    await sleep(2000);
    const killedAt = performance.now();
    victim.process.kill('SIGKILL');
    await once(victim.process, 'exit');
    fake.delayRoute('POST /channels/:channel/messages', 0);

    for (const question of asked) await replyTo(fake, a.id, question, 60_000);
    t.diagnostic(
      `from SIGKILL to the last answer: ${Math.round(performance.now() - killedAt)} ms (QUEUE_LOCK_MS 2000)`,
    );
    await eventually(async () => (await jobRows()) === 0, 30_000, 'every job row finished');
    assert.ok(
      survivor.lines().some((l) => l.msg === 'job of a worker that is gone runs again'),
      'the drain found by the stalled check',
    );
    for (const [i, question] of asked.entries()) {
      assert.equal(repliesTo(fake, a.id, question).length, 1, `${labels[i]}: one answer message`);
    }
    const a2Posts = fake
      .requests()
      .filter((r) => r.method === 'POST' && (r.body as { nonce?: unknown })?.nonce === `q${asked[1]?.id}.0`);
    assert.equal(
      a2Posts.length,
      2,
      'A2 posted twice (by the dead worker, then by the survivor) with the same nonce',
    );
    // In order: each question's answer message comes after the previous one's.
    const order = asked.map((q) => repliesTo(fake, a.id, q)[0]?.id ?? '');
    assert.deepEqual(
      [...order].sort((x, y) => x.length - y.length || (x < y ? -1 : 1)),
      order,
      'answer messages in the order asked',
    );
    // A2 was answered twice (the dead worker's call, then the survivor's), never beside another.
    assertOneAtATimeInOrder(answers, 'A', ['A1', 'A2', 'A2', 'A3', 'A4']);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN Redis unreachable from the gateway WHEN a question is asked in a thread or with /ask THEN the asker is told to try again shortly, nothing is answered and no job row is left', async (t) => {
    const redis = await relay(t, REDIS_URL);
    const { fake, gateway, answers, jobRows } = await startRoles(t, {
      workers: 1,
      answerDelay: () => 0,
      gatewayEnv: { REDIS_URL: redis.url },
    });
    const a = await summaryThread(fake, pasted);
    await redis.cut();
    const question = fake.postUserMessage({
      channelId: a.id,
      content: 'How much did the barrier cost?',
      mentionsBot: true,
    });
    const told = await replyTo(fake, a.id, question, 10_000);
    assert.equal(told.content, notices.queueDown);
    const slash = fake.sendSlashCommand({
      name: 'ask',
      options: { question: 'How much does each gate weigh?' },
      channelId: a.id,
    });
    await slash.waitFor((h) => h.followups.some((f) => f.content === notices.queueDown), 10_000);
    assert.ok((slash.ackLatencyMs ?? Infinity) < 3000, `acknowledged in ${slash.ackLatencyMs} ms`);
    assert.equal(slash.followups.length, 1, 'told once, privately');
    assert.equal(slash.followups[0]?.ephemeral, true);
    await eventually(
      () => gateway.lines().filter((l) => l.msg === 'could not queue the request').length === 2,
      5000,
      'the gateway’s log',
    );
    assert.equal(await jobRows(), 0, 'no job row left behind');
    await sleep(500);
    assert.equal(answers.length, 0, 'nothing answered');
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN PostgreSQL unreachable from the gateway WHEN a question is asked in a thread THEN the asker is told to try again shortly and nothing is answered', async (t) => {
    const database = { cut: () => undefined } as { cut(): void };
    const { fake, gateway, answers } = await startRoles(t, {
      workers: 1,
      answerDelay: () => 0,
      gatewayDatabase: async (url) => {
        const db = await relay(t, url);
        database.cut = db.cut;
        return db.url;
      },
    });
    const a = await summaryThread(fake, pasted);
    await database.cut();
    const question = fake.postUserMessage({
      channelId: a.id,
      content: 'How much did the barrier cost?',
      mentionsBot: true,
    });
    const told = await replyTo(fake, a.id, question, 10_000);
    assert.equal(told.content, notices.queueDown);
    await eventually(
      () => gateway.lines().some((l) => l.msg === 'could not read the store'),
      5000,
      'the gateway’s log',
    );
    await sleep(500);
    assert.equal(answers.length, 0, 'nothing answered');
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a worker stopped with SIGTERM while it drains a thread THEN it finishes the question it answers and hands the rest back: the other worker answers them at once, each once, in order', async (t) => {
    let answeredA1: (() => void) | null = null;
    const reachedA1 = new Promise<void>((resolve) => {
      answeredA1 = resolve;
    });
    const { fake, workers, answers, jobRows } = await startRoles(t, {
      workers: 2,
      answerDelay: () => 800,
      // The default lock (30 s): a drain taken over only after its lock lapsed would show.
      workerEnv: { ENGINE_MAX_ACTIVE: '1' },
      onAnswer: (call) => {
        if (call.question.startsWith('A1')) answeredA1?.();
      },
    });
    const a = await summaryThread(fake, pasted);
    const labels = ['A1', 'A2', 'A3', 'A4'];
    const asked = askAtOnce(fake, a.id, labels);
    await reachedA1;
    const stopped = await drainingWorker(workers);
    const survivor = workers.find((w) => w !== stopped) as BotProcess;
    const stoppedAt = performance.now();
    await stopBotProcess(stopped);

    for (const question of asked) await replyTo(fake, a.id, question, 20_000);
    const tookMs = performance.now() - stoppedAt;
    t.diagnostic(`from SIGTERM to the last answer: ${Math.round(tookMs)} ms`);
    assert.ok(tookMs < 15_000, `the rest answered without waiting for the lock (${Math.round(tookMs)} ms)`);
    assert.ok(stopped.lines().some((l) => l.msg === 'thread handed back at shutdown'));
    assert.ok(!survivor.lines().some((l) => l.msg === 'job of a worker that is gone runs again'));
    for (const [i, question] of asked.entries()) {
      assert.equal(repliesTo(fake, a.id, question).length, 1, `${labels[i]}: one answer message`);
    }
    assertOneAtATimeInOrder(answers, 'A', labels);
    await eventually(async () => (await jobRows()) === 0, 10_000, 'every job row finished');
    assert.deepEqual(stopped.warnings(), []);
    assert.deepEqual(fake.problems(), []);
  });
});
