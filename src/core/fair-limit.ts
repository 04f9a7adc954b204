import { defaultShareOf, FairQueue } from './fair-queue.js';

/**
 * At most `maxActive` tasks at once, and at most `maxPerOwner` of one owner's (default half,
 * rounded up); tasks that cannot start wait in a `FairQueue`, let in owner by owner in turn. A task
 * with no owner is an owner of its own, so unowned tasks keep their arrival order. Waiting is
 * unbounded here: a caller that must refuse instead checks `wouldWait` and `waiting` first.
 */
export class FairLimit {
  readonly #maxActive: number;
  readonly #maxPerOwner: number;
  readonly #waiting = new FairQueue<() => void>();
  readonly #activeBy = new Map<string, number>();
  #active = 0;
  #anonymous = 0;

  constructor(maxActive: number, maxPerOwner = defaultShareOf(maxActive)) {
    if (!Number.isInteger(maxActive) || maxActive < 1) throw new RangeError('maxActive must be ≥ 1');
    if (!Number.isInteger(maxPerOwner) || maxPerOwner < 1) throw new RangeError('maxPerOwner must be ≥ 1');
    this.#maxActive = maxActive;
    this.#maxPerOwner = maxPerOwner;
  }

  get active(): number {
    return this.#active;
  }
  get waiting(): number {
    return this.#waiting.size;
  }

  /** Whether a task of `owner` asked now would have to wait. */
  wouldWait(owner: string | null | undefined): boolean {
    return this.#active >= this.#maxActive || (owner != null && !this.#mayEnter(owner));
  }

  /** Runs `task` once a slot is free and its owner's turn has come; `onWait` is called if it waits. */
  async run<T>(owner: string | null | undefined, task: () => Promise<T>, onWait?: () => void): Promise<T> {
    // No Discord id starts with a control character.
    const key = owner ?? `\u0000task ${++this.#anonymous}`;
    if (this.#active >= this.#maxActive || !this.#mayEnter(key)) {
      onWait?.();
      // The slot is taken for this task by `#letIn` before it resolves.
      await new Promise<void>((resolve) => this.#waiting.push(key, resolve));
    } else {
      this.#enter(key);
    }
    try {
      return await task();
    } finally {
      this.#leave(key);
      this.#letIn();
    }
  }

  #mayEnter(owner: string): boolean {
    return (this.#activeBy.get(owner) ?? 0) < this.#maxPerOwner;
  }

  #enter(owner: string): void {
    this.#active++;
    this.#activeBy.set(owner, (this.#activeBy.get(owner) ?? 0) + 1);
  }

  #leave(owner: string): void {
    this.#active--;
    const left = (this.#activeBy.get(owner) ?? 1) - 1;
    if (left > 0) this.#activeBy.set(owner, left);
    else this.#activeBy.delete(owner);
  }

  #letIn(): void {
    while (this.#active < this.#maxActive) {
      const next = this.#waiting.shift(
        (owner) => this.#mayEnter(owner),
        (owner) => this.#activeBy.get(owner) ?? 0,
      );
      if (next === undefined) return;
      this.#enter(next.owner);
      next.item();
    }
  }
}
