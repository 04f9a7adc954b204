import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { REDIS_URL, testRedis } from './redis.js';

/** Resolves with the first `count` jobs a worker completes. */
function completions(worker: Worker, count: number, timeoutMs = 15_000): Promise<Job[]> {
  return new Promise((resolve, reject) => {
    const done: Job[] = [];
    const timer = setTimeout(() => reject(new Error(`${done.length} of ${count} jobs completed`)), timeoutMs);
    worker.on('completed', (job) => {
      done.push(job);
      if (done.length === count) {
        clearTimeout(timer);
        resolve(done);
      }
    });
  });
}

describe('BullMQ 6.7.6 on the local Redis (the queue issue 12 builds on)', () => {
  it('GIVEN a worker with concurrency 3 WHEN 9 jobs wait THEN several run at once, never more than 3, and all complete with their results', async (t) => {
    const { prefix, connection, own } = await testRedis(t);
    const queue = own(new Queue('work', { connection: connection(), prefix }));
    await queue.addBulk(Array.from({ length: 9 }, (_, n) => ({ name: 'job', data: { n } })));
    let active = 0;
    let maxActive = 0;
    const worker = own(
      new Worker<{ n: number }, { doubled: number }>(
        'work',
        async (job) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          await sleep(150);
          active -= 1;
          // An object: BullMQ stores a falsy return value (0, '', false) as undefined.
          return { doubled: job.data.n * 2 };
        },
        { connection: connection(), prefix, concurrency: 3 },
      ),
    );
    const done = await completions(worker, 9);
    assert.deepEqual(
      done.map((j) => j.returnvalue.doubled).sort((a, b) => a - b),
      [0, 2, 4, 6, 8, 10, 12, 14, 16],
    );
    assert.ok(maxActive <= 3, `at most 3 at once (saw ${maxActive})`);
    assert.ok(maxActive >= 2, `jobs ran in parallel (saw ${maxActive})`);
  });

  it('GIVEN attempts 3 with exponential backoff WHEN a job fails twice THEN it is retried after ≥ 200 then ≥ 400 ms and completes; an UnrecoverableError is not retried', async (t) => {
    const { prefix, connection, own } = await testRedis(t);
    const queue = own(new Queue('flaky', { connection: connection(), prefix }));
    const options = { attempts: 3, backoff: { type: 'exponential', delay: 200 } } as const;
    await queue.add('transient', {}, options);
    await queue.add('permanent', {}, options);
    const starts: number[] = [];
    const failures: string[] = [];
    const worker = own(
      new Worker(
        'flaky',
        async (job) => {
          if (job.name === 'permanent') throw new UnrecoverableError('paywalled: retrying cannot help');
          starts.push(Date.now());
          if (job.attemptsMade < 2) throw new Error('connection reset');
          return 'ok';
        },
        { connection: connection(), prefix },
      ),
    );
    worker.on('failed', (job) => failures.push(`${job?.name} ${job?.attemptsMade}`));
    const [done] = await completions(worker, 1);
    assert.equal(done?.returnvalue, 'ok');
    assert.equal(done?.attemptsMade, 3);
    assert.equal(starts.length, 3);
    const [a = 0, b = 0, c = 0] = starts;
    assert.ok(b - a >= 200, `first retry after ${b - a} ms`);
    assert.ok(c - b >= 400, `second retry after ${c - b} ms`);
    const permanent = (await queue.getJobs(['failed'])).find((j) => j.name === 'permanent');
    assert.equal(permanent?.attemptsMade, 1, 'no retry after UnrecoverableError');
    assert.ok(failures.includes('permanent 1'));
  });

  it('GIVEN a worker process SIGKILLed mid-job THEN the stalled check of another worker puts the job back and it completes there', async (t) => {
    const { prefix, connection, own } = await testRedis(t);
    const queue = own(new Queue('stall', { connection: connection(), prefix }));
    await queue.add('summarize', { url: 'https://example.com/a' }, { jobId: 'i-1' });

    const script = fileURLToPath(new URL('./stalling-worker.js', import.meta.url));
    const child = spawn(process.execPath, [script, REDIS_URL, prefix, 'stall', '1000', '300'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    const [line] = (await Promise.race([
      once(createInterface({ input: child.stdout }), 'line'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the stalling worker exited (${code}) before taking the job`);
      }),
    ])) as [string];
    assert.equal(line, 'started i-1');
    assert.equal(await (await queue.getJob('i-1'))?.getState(), 'active');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    const stalled: string[] = [];
    const worker = own(
      new Worker<{ url: string }, string>('stall', async (job) => `summary of ${job.data.url}`, {
        connection: connection(),
        prefix,
        stalledInterval: 300,
      }),
    );
    worker.on('stalled', (jobId) => stalled.push(jobId));
    const [done] = await completions(worker, 1);
    assert.equal(done?.id, 'i-1');
    assert.equal(done?.returnvalue, 'summary of https://example.com/a');
    assert.deepEqual(stalled, ['i-1']);
    assert.equal(done?.stalledCounter, 1);
  });

  it('GIVEN a custom job id WHEN the same id is added again, before or after the job ran THEN it runs once; digit-only ids and ":" are refused', async (t) => {
    const { prefix, connection, own } = await testRedis(t);
    const queue = own(
      new Queue('ids', {
        connection: connection(),
        prefix,
        // Completed jobs are kept an hour: a removed job's id would be accepted again.
        defaultJobOptions: { removeOnComplete: { age: 3600 } },
      }),
    );
    const first = await queue.add('summarize', { n: 1 }, { jobId: 'i-1234567890123456789' });
    const second = await queue.add('summarize', { n: 2 }, { jobId: 'i-1234567890123456789' });
    assert.equal(second.id, first.id);
    let runs = 0;
    const worker = own(
      new Worker(
        'ids',
        async (job) => {
          runs += 1;
          return job.data;
        },
        { connection: connection(), prefix },
      ),
    );
    const [done] = await completions(worker, 1);
    assert.deepEqual(done?.returnvalue, { n: 1 }, 'the first data wins');
    const third = await queue.add('summarize', { n: 3 }, { jobId: 'i-1234567890123456789' });
    assert.equal(await third.getState(), 'completed', 'not queued again');
    assert.equal(runs, 1);

    // A bare snowflake is refused when it prints back the same through a JS number, and only then.
    await assert.rejects(
      queue.add('x', {}, { jobId: '1234567890123456000' }),
      /Custom Id cannot be integers/u,
    );
    assert.equal((await queue.add('x', {}, { jobId: '1234567890123456789' })).id, '1234567890123456789');
    await assert.rejects(queue.add('x', {}, { jobId: 'thread:1' }), /Custom Id cannot contain :/u);
  });

  it('GIVEN three requests for one URL at once WHEN each adds the fetch job under the URL’s id and waits for it THEN the fetch runs once, all three get its result, and a later request reuses it while the job is kept', async (t) => {
    const { prefix, connection, own } = await testRedis(t);
    const queue = own(
      new Queue('fetches', {
        connection: connection(),
        prefix,
        defaultJobOptions: { removeOnComplete: { age: 60 } },
      }),
    );
    const events = own(new QueueEvents('fetches', { connection: connection(), prefix }));
    await events.waitUntilReady();
    let fetches = 0;
    own(
      new Worker<{ url: string }, { text: string }>(
        'fetches',
        async (job) => {
          fetches += 1;
          await sleep(200);
          return { text: `body of ${job.data.url}` };
        },
        { connection: connection(), prefix, concurrency: 4 },
      ),
    );
    const url = 'https://example.com/article';
    const request = async () => {
      const job = await queue.add(
        'fetch',
        { url },
        { jobId: `fetch-${Buffer.from(url).toString('base64url')}` },
      );
      return job.waitUntilFinished(events, 10_000) as Promise<{ text: string }>;
    };
    const results = await Promise.all([request(), request(), request()]);
    assert.deepEqual(
      results.map((r) => r.text),
      Array.from({ length: 3 }, () => `body of ${url}`),
    );
    assert.equal(fetches, 1);
    assert.equal((await request()).text, `body of ${url}`, 'a later request reuses the kept result');
    assert.equal(fetches, 1);
  });
});
