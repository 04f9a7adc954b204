import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import {
  siblingModule,
  WorkerCrashedError,
  WorkerJobError,
  WorkerPool,
} from '../../../src/article/worker/index.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { expectFailure, expectValue } from '../fetch/local-server.js';
import type { jobs as sampleJobs } from './sample-jobs.js';

const jobsModule = siblingModule('./sample-jobs.js', import.meta.url);

describe('WorkerPool with the sample jobs', () => {
  const pool = new WorkerPool<typeof sampleJobs>({ size: 2, timeoutMs: 5000, jobsModule });
  after(() => pool.close());

  test('GIVEN a job with a byte array THEN the result comes back and the buffer was moved, not copied', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const result = expectValue(await pool.run('echo', [bytes, 'four']));
    assert.deepEqual(result, { label: 'four', length: 4, sum: 10 });
    assert.equal(bytes.byteLength, 0, 'the whole-buffer array was transferred');
  });

  test('GIVEN a view into a larger buffer THEN it is copied and the caller keeps its memory', async () => {
    const backing = new Uint8Array([5, 6, 7, 8]);
    const view = backing.subarray(1, 3);
    assert.equal(expectValue(await pool.run('echo', [view, 'view'])).sum, 13);
    assert.equal(backing.byteLength, 4);
  });

  test('GIVEN a job returning bytes THEN they arrive intact', async () => {
    const { bytes } = expectValue(await pool.run('bytesBack', [1000]));
    assert.equal(bytes.byteLength, 1000);
    assert.equal(bytes[999], 9);
  });

  test('GIVEN a job that returns a failure THEN the failure value is passed through', async () => {
    const error = expectFailure(await pool.run('refuse', []));
    assert.equal(error.code, 'unreadable');
    assert.equal(error.details.reason, 'test');
  });

  test('GIVEN a job that throws THEN run rejects with WorkerJobError naming the job and error', async () => {
    await assert.rejects(pool.run('explode', ['kaboom']), (error: unknown) => {
      assert.ok(error instanceof WorkerJobError);
      assert.equal(error.job, 'explode');
      assert.equal(error.remoteName, 'RangeError');
      assert.match(error.message, /kaboom/);
      return true;
    });
  });

  test('GIVEN a name outside the allow-list THEN run rejects and nothing runs', async () => {
    const unchecked = pool as unknown as WorkerPool;
    await assert.rejects(unchecked.run('pdfToText', [new Uint8Array(1)]), /no job named "pdfToText"/);
    await assert.rejects(
      (pool as unknown as { run(name: string, args: unknown[]): Promise<unknown> }).run('constructor', []),
      WorkerJobError,
    );
  });

  test('GIVEN a job past its time limit THEN timeout, the worker is replaced and the next job runs', async () => {
    const started = performance.now();
    const error = expectFailure(await pool.run('spin', [10_000], { timeoutMs: 200 }));
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.job, 'spin');
    assert.ok(performance.now() - started < 4000);
    assert.ok(expectValue(await pool.run('spin', [5])) > 0);
  });

  test('GIVEN a worker that dies mid-job THEN WorkerCrashedError, and the pool recovers', async () => {
    await assert.rejects(
      pool.run('crash', []),
      (error: unknown) => error instanceof WorkerCrashedError && error.exitCode === 3,
    );
    assert.equal(expectValue(await pool.run('echo', [new Uint8Array([1]), 'after'])).length, 1);
  });

  test('GIVEN a job that outgrows the worker heap limit THEN too_large with reason memory, and the pool recovers', async () => {
    const small = new WorkerPool<typeof sampleJobs>({
      timeoutMs: 60_000,
      jobsModule,
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    try {
      const error = expectFailure(await small.run('hog', []));
      assert.equal(error.code, 'too_large');
      assert.equal(error.details.reason, 'memory');
      assert.equal(error.details.job, 'hog');
      assert.equal(error.details.limitMb, 32);
      assert.equal(expectValue(await small.run('echo', [new Uint8Array([1]), 'after'])).length, 1);
    } finally {
      await small.close();
    }
  });

  test('GIVEN a 600 ms CPU-bound job THEN the main event loop keeps ticking meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const job = pool.run('spin', [600]);
    const lagStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lag = performance.now() - lagStart - 50;
    expectValue(await job);
    clearInterval(timer);
    assert.ok(ticks >= 25, `only ${ticks} ticks of 10 ms during a 600 ms job`);
    assert.ok(lag < 250, `a 50 ms timer was ${lag.toFixed(0)} ms late`);
  });

  test('GIVEN more jobs than workers THEN they queue and all finish; beyond maxQueue THEN busy', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => pool.run('echo', [new Uint8Array(n), String(n)])),
    );
    assert.deepEqual(
      results.map((r) => expectValue(r).length),
      [1, 2, 3, 4, 5],
    );
    const tiny = new WorkerPool<typeof sampleJobs>({ size: 1, maxQueue: 1, jobsModule });
    try {
      const running = tiny.run('spin', [100]);
      const queued = tiny.run('spin', [1]);
      const refused = await tiny.run('spin', [1]);
      assert.equal(expectFailure(refused).code, 'busy');
      expectValue(await running);
      expectValue(await queued);
    } finally {
      await tiny.close();
    }
  });

  test('GIVEN a closed pool THEN queued and new jobs answer busy', async () => {
    const closing = new WorkerPool<typeof sampleJobs>({ size: 1, jobsModule });
    const running = closing.run('spin', [2000]);
    await closing.close();
    assert.equal(expectFailure(await running).code, 'busy');
    assert.equal(expectFailure(await closing.run('spin', [1])).code, 'busy');
    assert.equal(closing.workerCount, 0);
  });
});

describe('WorkerPool with the default jobs', () => {
  test('GIVEN the sample PDF THEN pdfToText runs off the main thread', async () => {
    const pool = new WorkerPool({ size: 1, timeoutMs: 20_000 });
    try {
      const bytes = new Uint8Array(readFileSync(fixturePath('fetch', 'sample.pdf')));
      const result = expectValue(await pool.run('pdfToText', [bytes]));
      assert.equal(result.pages, 2);
      assert.match(result.text, /^Verbatim test document\n\nThe first paragraph/);
    } finally {
      await pool.close();
    }
  });
});

describe('WorkerPool shared between users', () => {
  /**
   * User A queues four slow CPU jobs, then user B one quick job. In arrival order (the pool before
   * owners) B waits for all of A's; taken by owner, B's job starts on the worker A may not hold.
   */
  test('GIVEN one user’s slow jobs filling the pool THEN another user’s job starts before them and finishes within a bound', async () => {
    const pool = new WorkerPool<typeof sampleJobs>({ size: 2, timeoutMs: 20_000, jobsModule });
    try {
      await Promise.all([pool.run('spin', [1]), pool.run('spin', [1])]);
      const done: string[] = [];
      const slowMs = 1500;
      const slow = [1, 2, 3, 4].map((n) =>
        pool.run('spin', [slowMs], { owner: 'user-a' }).then((r) => {
          done.push(`a${n}`);
          return r;
        }),
      );
      const asked = performance.now();
      const quick = pool.run('spin', [20], { owner: 'user-b' }).then((r) => {
        done.push('b');
        return r;
      });
      expectValue(await quick);
      const latency = performance.now() - asked;
      await Promise.all(slow);
      assert.equal(done[0], 'b', `finished in the order ${done.join(', ')}`);
      assert.ok(latency < slowMs, `B waited ${latency.toFixed(0)} ms behind A's ${slowMs} ms jobs`);
    } finally {
      await pool.close();
    }
  });

  test('GIVEN one user alone THEN their jobs hold at most half the workers, and every job still runs', async () => {
    const pool = new WorkerPool<typeof sampleJobs>({ size: 2, timeoutMs: 20_000, jobsModule });
    try {
      const started = performance.now();
      const results = await Promise.all([1, 2, 3].map(() => pool.run('spin', [300], { owner: 'user-a' })));
      for (const r of results) expectValue(r);
      assert.ok(performance.now() - started >= 900, 'three 300 ms jobs ran one at a time');
    } finally {
      await pool.close();
    }
  });

  test('GIVEN jobs with no owner THEN they keep arrival order and may fill the pool', async () => {
    const pool = new WorkerPool<typeof sampleJobs>({ size: 2, timeoutMs: 20_000, jobsModule });
    try {
      await Promise.all([pool.run('spin', [1]), pool.run('spin', [1])]);
      const started = performance.now();
      const done: number[] = [];
      await Promise.all([1, 2, 3, 4].map((n) => pool.run('spin', [250 - n * 40]).then(() => done.push(n))));
      // Two at a time: ~300 ms; one at a time would be 600 ms.
      assert.ok(performance.now() - started < 550, 'two at a time');
      assert.deepEqual(done.slice(0, 2).sort(), [1, 2], 'the first two started first');
    } finally {
      await pool.close();
    }
  });

  test('GIVEN a timed-out job of one user THEN the user’s share is freed for the next job', async () => {
    const pool = new WorkerPool<typeof sampleJobs>({ size: 2, timeoutMs: 20_000, jobsModule });
    try {
      const first = pool.run('spin', [10_000], { owner: 'user-a', timeoutMs: 200 });
      const second = pool.run('spin', [5], { owner: 'user-a' });
      assert.equal(expectFailure(await first).code, 'timeout');
      expectValue(await second);
    } finally {
      await pool.close();
    }
  });
});
