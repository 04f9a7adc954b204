import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { REDIS_URL, testRedis } from './redis.js';
import { ask, drainThread, threadKeys } from './thread-drainer.js';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('questions in one thread, one at a time and in order, across BullMQ workers', () => {
  it('GIVEN 3 threads of 8 questions asked over time WHEN 2 workers of concurrency 4 drain them THEN each thread is answered in order, never two at once, each question once, and threads run in parallel', async (t) => {
    const { redis, prefix, connection, own } = await testRedis(t);
    const queue = own(new Queue('threads', { connection: connection(), prefix }));
    const threads = ['a', 'b', 'c'];
    const answers = new Map<string, string[]>(threads.map((th) => [th, []]));
    const inThread = new Map<string, number>();
    let maxInThread = 0;
    let inAll = 0;
    let maxInAll = 0;
    const answer = async (thread: string, question: string): Promise<void> => {
      inThread.set(thread, (inThread.get(thread) ?? 0) + 1);
      inAll += 1;
      maxInThread = Math.max(maxInThread, inThread.get(thread) ?? 0);
      maxInAll = Math.max(maxInAll, inAll);
      await sleep(15 + Math.random() * 25);
      answers.get(thread)?.push(question);
      inThread.set(thread, (inThread.get(thread) ?? 0) - 1);
      inAll -= 1;
    };
    for (let w = 0; w < 2; w += 1) {
      const redisOfWorker = connection();
      own(
        new Worker('threads', drainThread(redisOfWorker, prefix, answer), {
          connection: redisOfWorker,
          prefix,
          concurrency: 4,
        }),
      );
    }

    for (let q = 0; q < 8; q += 1) {
      for (const thread of threads) {
        await ask(redis, queue, prefix, thread, `${thread}${q}`);
        await sleep(Math.random() * 20);
      }
    }
    await until(
      async () =>
        (await Promise.all(threads.map((th) => redis.llen(threadKeys(prefix, th).answered)))).every(
          (n) => n === 8,
        ),
      'every question answered',
    );

    for (const thread of threads) {
      const expected = Array.from({ length: 8 }, (_, q) => `${thread}${q}`);
      assert.deepEqual(answers.get(thread), expected, `thread ${thread} in order, each once`);
      assert.deepEqual(await redis.lrange(threadKeys(prefix, thread).answered, 0, -1), expected);
    }
    assert.equal(maxInThread, 1, 'never two questions of one thread at once');
    assert.ok(maxInAll >= 2, `different threads ran in parallel (saw ${maxInAll})`);
  });

  it('GIVEN the worker draining a thread is SIGKILLed mid-answer THEN another worker takes the thread over after the stalled check and answers the rest in order, each recorded once', async (t) => {
    const { redis, prefix, connection, own } = await testRedis(t);
    const queue = own(new Queue('threads', { connection: connection(), prefix }));
    for (const q of ['q0', 'q1', 'q2']) await ask(redis, queue, prefix, 't', q);

    const script = fileURLToPath(new URL('./drain-worker.js', import.meta.url));
    const child = spawn(process.execPath, [script, REDIS_URL, prefix, 'threads', 'q1'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    await until(
      async () => lines.includes('answering q1') || child.exitCode !== null,
      'the child to reach q1',
    );
    assert.deepEqual(lines, ['answering q0', 'answering q1']);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await ask(redis, queue, prefix, 't', 'q3');

    const answered: string[] = [];
    const redisOfWorker = connection();
    own(
      new Worker(
        'threads',
        drainThread(redisOfWorker, prefix, async (_thread, question) => {
          answered.push(question);
        }),
        { connection: redisOfWorker, prefix, lockDuration: 1000, stalledInterval: 300 },
      ),
    );
    await until(async () => (await redis.llen(threadKeys(prefix, 't').answered)) === 4, 'q0–q3 recorded');
    assert.deepEqual(await redis.lrange(threadKeys(prefix, 't').answered, 0, -1), ['q0', 'q1', 'q2', 'q3']);
    assert.deepEqual(answered, ['q1', 'q2', 'q3'], 'the new worker resumed at the unrecorded question');
  });
});
