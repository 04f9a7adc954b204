import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defaultShareOf, FairQueue } from '../../src/core/fair-queue.js';

const takeAll = <T>(queue: FairQueue<T>, mayTake?: (owner: string) => boolean): T[] => {
  const taken: T[] = [];
  for (let next = queue.shift(mayTake); next; next = queue.shift(mayTake)) taken.push(next.item);
  return taken;
};

describe('FairQueue', () => {
  it('GIVEN one owner THEN items come out in arrival order', () => {
    const queue = new FairQueue<number>();
    for (const n of [1, 2, 3]) queue.push('a', n);
    assert.deepEqual(takeAll(queue), [1, 2, 3]);
    assert.equal(queue.size, 0);
  });

  it('GIVEN one owner’s backlog partly served THEN a newcomer’s item is next, and then turns alternate', () => {
    const queue = new FairQueue<string>();
    for (const n of [1, 2, 3, 4, 5]) queue.push('a', `a${n}`);
    assert.equal(queue.shift()?.item, 'a1');
    assert.equal(queue.shift()?.item, 'a2');
    queue.push('b', 'b1');
    queue.push('b', 'b2');
    assert.deepEqual(takeAll(queue), ['b1', 'a3', 'b2', 'a4', 'a5']);
  });

  it('GIVEN an owner held back THEN the others are served and its items stay in place', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('b', 'b1');
    queue.push('a', 'a2');
    assert.deepEqual(
      takeAll(queue, (owner) => owner !== 'a'),
      ['b1'],
    );
    assert.equal(queue.waitingFor('a'), 2);
    assert.equal(
      queue.shift((owner) => owner !== 'a'),
      undefined,
    );
    assert.deepEqual(takeAll(queue), ['a1', 'a2']);
  });

  it('GIVEN an owner whose work started without waiting THEN a newcomer with nothing running goes first', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a3');
    queue.push('b', 'b1');
    const running: Record<string, number> = { a: 2, b: 0 };
    assert.equal(queue.shift(undefined, (owner) => running[owner] ?? 0)?.item, 'b1');
  });

  it('GIVEN remove and drain THEN the removed item is gone and drain empties the queue', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a1');
    queue.push('b', 'b1');
    queue.push('b', 'b2');
    assert.equal(queue.remove('b1'), true);
    assert.equal(queue.remove('b1'), false);
    assert.deepEqual(queue.drain().sort(), ['a1', 'b2']);
    assert.equal(queue.size, 0);
    assert.equal(queue.shift(), undefined);
  });

  it('GIVEN any arrivals THEN every item comes out once, each owner’s in order, and no owner waits more than one turn per other owner', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), (owners) => {
        const queue = new FairQueue<{ owner: string; n: number }>();
        owners.forEach((owner, n) => {
          queue.push(owner, { owner, n });
        });
        const out = takeAll(queue);
        assert.equal(out.length, owners.length);
        for (const owner of new Set(owners)) {
          const mine = out.filter((x) => x.owner === owner).map((x) => x.n);
          assert.deepEqual(
            mine,
            [...mine].sort((x, y) => x - y),
          );
        }
        // Between two of one owner's items, at most one item of each other owner.
        for (let i = 0; i < out.length; i++) {
          const next = out.findIndex((x, j) => j > i && x.owner === out[i]?.owner);
          if (next === -1) continue;
          const between = out.slice(i + 1, next).map((x) => x.owner);
          assert.equal(new Set(between).size, between.length);
        }
      }),
    );
  });

  it('GIVEN a capacity THEN one owner’s share is half of it, rounded up, at least 1', () => {
    assert.deepEqual([1, 2, 3, 4, 64].map(defaultShareOf), [1, 1, 2, 2, 32]);
  });
});
