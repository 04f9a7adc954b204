import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyGate } from '../../src/app/gate.js';
import { ok } from '../../src/core/result.js';

/** A task that records when it started and ended, in `log`. */
const recorded = (log: string[], name: string, ms: number) => async () => {
  log.push(`start ${name}`);
  await sleep(ms);
  log.push(`end ${name}`);
  return ok(name);
};

describe('ConcurrencyGate between users', () => {
  it('GIVEN one user’s burst filling the gate THEN another user’s task goes ahead of the burst’s waiters', async () => {
    const gate = new ConcurrencyGate(2, 10);
    const log: string[] = [];
    const burst = [1, 2, 3, 4].map((n) => gate.run(recorded(log, `a${n}`, 200), { owner: 'a' }));
    await sleep(10);
    const asked = performance.now();
    const b = await gate.run(recorded(log, 'b', 5), { owner: 'b' });
    const latency = performance.now() - asked;
    await Promise.all(burst);
    assert.deepEqual(b, ok('b'));
    assert.ok(log.indexOf('start b') < log.indexOf('start a2'), log.join(', '));
    assert.ok(latency < 150, `B waited ${latency.toFixed(0)} ms`);
    assert.equal(gate.active, 0);
    assert.equal(gate.waiting, 0);
  });

  it('GIVEN two users waiting THEN they are let in turn by turn', async () => {
    const gate = new ConcurrencyGate(1, 10);
    const log: string[] = [];
    const first = gate.run(recorded(log, 'x', 30), { owner: 'x' });
    const waiters = [
      gate.run(recorded(log, 'a1', 5), { owner: 'a' }),
      gate.run(recorded(log, 'a2', 5), { owner: 'a' }),
      gate.run(recorded(log, 'a3', 5), { owner: 'a' }),
      gate.run(recorded(log, 'b1', 5), { owner: 'b' }),
      gate.run(recorded(log, 'b2', 5), { owner: 'b' }),
    ];
    await Promise.all([first, ...waiters]);
    const starts = log.filter((e) => e.startsWith('start')).map((e) => e.slice(6));
    assert.deepEqual(starts, ['x', 'a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('GIVEN a user at their share with a slot free THEN their next task waits and counts against the line', async () => {
    const gate = new ConcurrencyGate(4, 1);
    const held = [1, 2].map(() => gate.run(() => sleep(100).then(() => ok(1)), { owner: 'a' }));
    let waited = false;
    const third = gate.run(async () => ok(3), { owner: 'a', onWait: () => (waited = true) });
    assert.equal(gate.active, 2);
    assert.equal(gate.waiting, 1);
    const refused = await gate.run(async () => ok(4), { owner: 'a' });
    assert.equal(!refused.ok && refused.error.code, 'busy');
    assert.deepEqual(await gate.run(async () => ok('b'), { owner: 'b' }), ok('b'));
    assert.deepEqual(await third, ok(3));
    assert.equal(waited, true);
    await Promise.all(held);
    assert.equal(gate.active, 0);
  });

  it('GIVEN a task that throws THEN its slot and its owner’s share are released', async () => {
    const gate = new ConcurrencyGate(1, 1, 1);
    await assert.rejects(
      gate.run(
        async () => {
          throw new Error('boom');
        },
        { owner: 'a' },
      ),
      /boom/,
    );
    assert.deepEqual(await gate.run(async () => ok('again'), { owner: 'a' }), ok('again'));
    assert.equal(gate.active, 0);
  });
});
