import { defaultShareOf, FairQueue } from '../core/fair-queue.js';
import { fail, type Result } from '../core/result.js';

/** How one task passes the gate. */
export interface GateOptions {
  /**
   * Who the task is for (a Discord user id). Waiters are let in turn by turn across owners, and one
   * owner holds at most `maxPerOwner` slots; a task with no owner is an owner of its own.
   */
  readonly owner?: string | null;
  /** Called once if the task has to wait. */
  readonly onWait?: () => void;
}

/**
 * Bounds how much engine work runs at once across every user and guild: `maxActive` tasks run, up
 * to `maxWaiting` more wait, and anything beyond is refused at once with `busy` so a user hears "try
 * again shortly" instead of waiting behind a queue that cannot drain in time. Fair across users:
 * one user holds at most `maxPerOwner` slots (default half, rounded up), and waiters are let in by
 * owner in turn, so one user's burst of slow requests never holds up everyone else's.
 */
export class ConcurrencyGate {
  readonly #maxActive: number;
  readonly #maxWaiting: number;
  readonly #maxPerOwner: number;
  readonly #waiting = new FairQueue<() => void>();
  readonly #activeBy = new Map<string, number>();
  #active = 0;
  #anonymous = 0;

  constructor(maxActive: number, maxWaiting: number, maxPerOwner = defaultShareOf(maxActive)) {
    if (!Number.isInteger(maxActive) || maxActive < 1) throw new RangeError('maxActive must be ≥ 1');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('maxWaiting must be ≥ 0');
    if (!Number.isInteger(maxPerOwner) || maxPerOwner < 1) throw new RangeError('maxPerOwner must be ≥ 1');
    this.#maxActive = maxActive;
    this.#maxWaiting = maxWaiting;
    this.#maxPerOwner = maxPerOwner;
  }

  get active(): number {
    return this.#active;
  }
  get waiting(): number {
    return this.#waiting.size;
  }

  /**
   * Runs `task` when a slot is free and its owner's turn has come. Resolves to `busy` without running
   * it when the line is full.
   */
  async run<T>(task: () => Promise<Result<T>>, options: GateOptions = {}): Promise<Result<T>> {
    const owner = options.owner ?? `\u0000task ${++this.#anonymous}`;
    if (this.#active >= this.#maxActive || !this.#mayEnter(owner)) {
      if (this.#waiting.size >= this.#maxWaiting) {
        return fail('busy', 'Too many requests are being worked on; try again shortly.', {
          active: this.#active,
          waiting: this.#waiting.size,
        });
      }
      options.onWait?.();
      // The slot is taken for this task by `#letIn` before it resolves.
      await new Promise<void>((resolve) => this.#waiting.push(owner, resolve));
    } else {
      this.#enter(owner);
    }
    try {
      return await task();
    } finally {
      this.#leave(owner);
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
      const next = this.#waiting.shift((owner) => this.#mayEnter(owner));
      if (next === undefined) return;
      this.#enter(next.owner);
      next.item();
    }
  }
}
