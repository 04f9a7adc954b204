import { FairLimit } from '../core/fair-limit.js';
import { defaultShareOf } from '../core/fair-queue.js';
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
  readonly #limit: FairLimit;
  readonly #maxWaiting: number;

  constructor(maxActive: number, maxWaiting: number, maxPerOwner = defaultShareOf(maxActive)) {
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('maxWaiting must be ≥ 0');
    this.#limit = new FairLimit(maxActive, maxPerOwner);
    this.#maxWaiting = maxWaiting;
  }

  get active(): number {
    return this.#limit.active;
  }
  get waiting(): number {
    return this.#limit.waiting;
  }

  /**
   * Runs `task` when a slot is free and its owner's turn has come. Resolves to `busy` without running
   * it when it would have to wait and the line is full.
   */
  async run<T>(task: () => Promise<Result<T>>, options: GateOptions = {}): Promise<Result<T>> {
    if (this.#limit.wouldWait(options.owner) && this.#limit.waiting >= this.#maxWaiting) {
      return fail('busy', 'Too many requests are being worked on; try again shortly.', {
        active: this.#limit.active,
        waiting: this.#limit.waiting,
      });
    }
    return this.#limit.run(options.owner, task, options.onWait);
  }
}
