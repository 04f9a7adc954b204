import { fail, type Result } from '../core/result.js';

/**
 * Bounds how much engine work runs at once across every user and guild: `maxActive` tasks run, up
 * to `maxWaiting` more wait in arrival order, and anything beyond is refused at once with `busy`
 * so a user hears "try again shortly" instead of waiting behind a queue that cannot drain in time.
 */
export class ConcurrencyGate {
  readonly #maxActive: number;
  readonly #maxWaiting: number;
  readonly #waiting: (() => void)[] = [];
  #active = 0;

  constructor(maxActive: number, maxWaiting: number) {
    if (!Number.isInteger(maxActive) || maxActive < 1) throw new RangeError('maxActive must be ≥ 1');
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError('maxWaiting must be ≥ 0');
    this.#maxActive = maxActive;
    this.#maxWaiting = maxWaiting;
  }

  get active(): number {
    return this.#active;
  }
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when a slot is free; `onWait` is called once if it has to wait. Resolves to `busy`
   * without running it when the line is full.
   */
  async run<T>(task: () => Promise<Result<T>>, onWait?: () => void): Promise<Result<T>> {
    if (this.#active >= this.#maxActive) {
      if (this.#waiting.length >= this.#maxWaiting) {
        return fail('busy', 'Too many requests are being worked on; try again shortly.', {
          active: this.#active,
          waiting: this.#waiting.length,
        });
      }
      onWait?.();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#active++;
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next waiter, so `active` never dips below the line.
      if (next) next();
      else this.#active--;
    }
  }
}
