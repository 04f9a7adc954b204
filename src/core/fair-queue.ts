/**
 * Waiting work in one line per owner (a user), taken in turn across owners instead of in arrival
 * order: the next item comes from the owner served longest ago, so a newcomer goes ahead of anyone's
 * backlog, and one owner's ten queued jobs delay another's one job by at most one job per owner.
 * Within an owner, first in, first out. Owners are forgotten once their line is empty.
 */
export class FairQueue<T> {
  readonly #lines = new Map<string, { readonly items: T[]; servedAt: number }>();
  #size = 0;
  #served = 0;

  /** Items waiting, across every owner. */
  get size(): number {
    return this.#size;
  }

  /** Items waiting for `owner`. */
  waitingFor(owner: string): number {
    return this.#lines.get(owner)?.items.length ?? 0;
  }

  push(owner: string, item: T): void {
    const line = this.#lines.get(owner);
    if (line) line.items.push(item);
    else this.#lines.set(owner, { items: [item], servedAt: -1 });
    this.#size++;
  }

  /**
   * Takes the next item in turn among the owners `mayTake` allows (all by default): the first
   * waiting item of the owner with the least work running (`running`, e.g. jobs on workers: an owner
   * whose work started without waiting is not a newcomer), then of the one served longest ago (never
   * served: first), ties in order of arrival. Undefined when nothing waits or every waiting owner is
   * held back.
   */
  shift(
    mayTake: (owner: string) => boolean = () => true,
    running: (owner: string) => number = () => 0,
  ): { owner: string; item: T } | undefined {
    let chosen: string | undefined;
    let least = Number.POSITIVE_INFINITY;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [owner, line] of this.#lines) {
      if (!mayTake(owner)) continue;
      const load = running(owner);
      if (load < least || (load === least && line.servedAt < oldest)) {
        chosen = owner;
        least = load;
        oldest = line.servedAt;
      }
    }
    if (chosen === undefined) return undefined;
    const line = this.#lines.get(chosen);
    const item = line?.items.shift();
    if (line === undefined || item === undefined) return undefined;
    line.servedAt = this.#served++;
    if (line.items.length === 0) this.#lines.delete(chosen);
    this.#size--;
    return { owner: chosen, item };
  }

  /** Removes `item` (a cancelled request); says whether it was waiting. */
  remove(item: T): boolean {
    for (const [owner, line] of this.#lines) {
      const at = line.items.indexOf(item);
      if (at === -1) continue;
      line.items.splice(at, 1);
      if (line.items.length === 0) this.#lines.delete(owner);
      this.#size--;
      return true;
    }
    return false;
  }

  /** Empties the queue, returning everything that waited (in no particular order). */
  drain(): T[] {
    const all = [...this.#lines.values()].flatMap((line) => line.items);
    this.#lines.clear();
    this.#size = 0;
    return all;
  }
}

/**
 * How many of `capacity` slots one owner may hold at once: half, rounded up (1 of 2 worker threads,
 * 2 of 4 engine slots), so the rest stay free for everyone else however much one owner sends.
 */
export function defaultShareOf(capacity: number): number {
  return Math.max(1, Math.ceil(capacity / 2));
}
