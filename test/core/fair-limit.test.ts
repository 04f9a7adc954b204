import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FairLimit } from '../../src/core/fair-limit.js';

describe('FairLimit', () => {
  it('GIVEN turns without shares (maxPerOwner = maxActive) THEN one owner alone fills every slot, and a newcomer goes next', async () => {
    const limit = new FairLimit(2, 2);
    const started: string[] = [];
    const task = (name: string) => async () => {
      started.push(name);
      await sleep(30);
      return name;
    };
    const burst = ['a1', 'a2', 'a3', 'a4'].map((name) => limit.run('a', task(name)));
    assert.equal(limit.active, 2, 'both slots taken by one owner');
    let waited = false;
    const b = limit.run('b', task('b'), () => {
      waited = true;
    });
    await Promise.all([...burst, b]);
    assert.deepEqual(started, ['a1', 'a2', 'b', 'a3', 'a4']);
    assert.equal(waited, true);
    assert.equal(limit.active, 0);
  });

  it('GIVEN tasks with no owner THEN they run in arrival order and wouldWait follows the free slots', async () => {
    const limit = new FairLimit(1);
    const started: number[] = [];
    assert.equal(limit.wouldWait(null), false);
    const runs = [1, 2, 3].map((n) =>
      limit.run(undefined, async () => {
        started.push(n);
        await sleep(5);
      }),
    );
    assert.equal(limit.wouldWait(null), true);
    assert.equal(limit.waiting, 2);
    await Promise.all(runs);
    assert.deepEqual(started, [1, 2, 3]);
  });
});
