import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobOwners } from '../../src/app/job-owners.js';
import type { JobRunner, RunOptions } from '../../src/article/worker/index.js';
import { ok } from '../../src/core/result.js';

/** A job runner that records the options each job was given (the pool's side of the boundary). */
function recordingRunner(): JobRunner & { readonly seen: (RunOptions | undefined)[] } {
  const seen: (RunOptions | undefined)[] = [];
  return {
    seen,
    run: async (_name, _args, options) => {
      seen.push(options);
      return ok({ text: '', pages: 0, title: null }) as never;
    },
    close: async () => undefined,
  };
}

describe('JobOwners', () => {
  it('GIVEN jobs started deep inside two users’ requests at once THEN each carries its own user', async () => {
    const owners = new JobOwners();
    const runner = recordingRunner();
    const pool = owners.stamp(runner);
    const request = async (delayMs: number) => {
      await sleep(delayMs);
      await pool.run('pdfToText', [new Uint8Array(1)]);
    };
    await Promise.all([
      owners.onBehalfOf('user-a', () => request(20)),
      owners.onBehalfOf('user-b', () => request(5)),
    ]);
    assert.deepEqual(runner.seen, [{ owner: 'user-b' }, { owner: 'user-a' }]);
  });

  it('GIVEN no owner, or an owner given to the job THEN the job keeps what it was given', async () => {
    const owners = new JobOwners();
    const runner = recordingRunner();
    const pool = owners.stamp(runner);
    await pool.run('pdfToText', [new Uint8Array(1)], { timeoutMs: 5 });
    await owners.onBehalfOf(null, () => pool.run('pdfToText', [new Uint8Array(1)]));
    await owners.onBehalfOf('user-a', () => pool.run('pdfToText', [new Uint8Array(1)], { owner: 'warm-up' }));
    assert.deepEqual(runner.seen, [{ timeoutMs: 5 }, {}, { owner: 'warm-up' }]);
    assert.equal(owners.current, undefined);
  });
});
