import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobRunner, JobTable, RunOptions } from '../article/worker/index.js';
import type { Result } from '../core/result.js';

/**
 * Who the work running now is for, so that the worker-pool jobs a request starts deep inside
 * (parsing its upload, the offline engine summarizing it) wait their user's turn in the pool. It
 * rides along with the request's asynchronous context, like a request id, because the engines and
 * loaders in between rightly know nothing of users. One per system, never module-wide.
 */
export class JobOwners {
  readonly #current = new AsyncLocalStorage<string>();

  /** Runs `work` on behalf of `owner` (a Discord user id); null: nobody's, each job an owner of its own. */
  onBehalfOf<T>(owner: string | null, work: () => Promise<T>): Promise<T> {
    return owner === null ? work() : this.#current.run(owner, work);
  }

  /** The owner of the work running now, if any. */
  get current(): string | undefined {
    return this.#current.getStore();
  }

  /** `pool` whose jobs carry the current owner unless given one. */
  stamp<J extends JobTable>(pool: JobRunner<J>): JobRunner<J> {
    return {
      run: <N extends keyof J & string>(
        name: N,
        args: Parameters<J[N]>,
        options: RunOptions = {},
      ): Promise<Awaited<ReturnType<J[N]>> | Result<never>> => {
        const owner = options.owner ?? this.current;
        return pool.run(name, args, owner === undefined ? options : { ...options, owner });
      },
      close: () => pool.close(),
    };
  }
}
