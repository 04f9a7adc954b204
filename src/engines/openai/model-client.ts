import { FairLimit } from '../../core/fair-limit.js';
import { type Failure, fail, ok, type Result } from '../../core/result.js';
import type { Logger } from '../../log.js';
import type { Usage } from '../engine.js';
import type { ReplyOf, TaskName } from './schemas.js';

export interface Messages {
  readonly system: string;
  readonly user: string;
}

export interface ModelReply<T> {
  readonly data: T;
  /** Tokens of every attempt the call took, as the server reported them. */
  readonly usage: Usage;
}

/**
 * What the model engine needs of a model API: one structured-output chat call. A task names the
 * reply's zod schema (schemas.ts); the reply comes back validated against it, with its usage, or
 * as a Failure with a reason code (rate limited, bad key, timeout, refused, context too long…).
 * Never throws for expected failures. The openai SDK client (`OpenAIClient`, any OpenAI-compatible
 * server) is one implementation; another API implements this, usually by extending
 * `StructuredChatClient` and building only its own requests.
 */
export interface ModelClient {
  readonly model: string;
  call<T extends TaskName>(
    task: T,
    messages: Messages,
    signal?: AbortSignal,
  ): Promise<Result<ModelReply<ReplyOf<T>>>>;
}

/** One attempt at a call, as an implementation reports it. */
export type Attempt =
  | { readonly kind: 'ok'; readonly data: unknown; readonly usage?: Usage }
  /** The reply was not valid JSON of the task's shape (or was cut off): asked again once. */
  | { readonly kind: 'invalid'; readonly problem: string; readonly usage?: Usage }
  | { readonly kind: 'failure'; readonly failure: Failure; readonly usage?: Usage };

/** Attempts per call when the reply is not valid JSON of the right shape: the first and one retry. */
export const INVALID_REPLY_ATTEMPTS = 2;

/**
 * What every model API shares, written once: a cap on calls in flight (taken by users in turn), one more attempt when a
 * reply is invalid (then `engine_failed`), and usage summed over attempts. A subclass builds and
 * sends one request (`attempt`) and says how it went — the way openai-node's AzureOpenAI overrides
 * only how requests are built and authorized.
 */
export abstract class StructuredChatClient implements ModelClient {
  readonly model: string;
  protected readonly logger: Logger | undefined;
  readonly #limit: FairLimit;
  readonly #currentOwner: () => string | undefined;

  constructor(options: {
    readonly model: string;
    readonly concurrency: number;
    readonly logger?: Logger | undefined;
    /**
     * Who the running request is for (a Discord user id), read when a call is made: calls waiting for
     * one of the `concurrency` slots are let in owner by owner in turn, so one user's long article
     * (dozens of map calls) does not hold up another user's one call. Absent: arrival order.
     */
    readonly currentOwner?: (() => string | undefined) | undefined;
  }) {
    this.model = options.model;
    this.logger = options.logger;
    const concurrency = Math.max(1, options.concurrency);
    // Turns, not shares: a user alone keeps every slot (model calls wait on the network, not on our
    // CPU), and another user's call still goes next when a slot frees.
    this.#limit = new FairLimit(concurrency, concurrency);
    this.#currentOwner = options.currentOwner ?? (() => undefined);
  }

  /** Sends one request for `task` and validates its reply against the task's schema. */
  protected abstract attempt(
    task: TaskName,
    messages: Messages,
    signal: AbortSignal | undefined,
  ): Promise<Attempt>;

  async call<T extends TaskName>(
    task: T,
    messages: Messages,
    signal?: AbortSignal,
  ): Promise<Result<ModelReply<ReplyOf<T>>>> {
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let lastProblem = '';
    for (let attempt = 1; attempt <= INVALID_REPLY_ATTEMPTS; attempt++) {
      const outcome = await this.#limit.run(this.#currentOwner(), () => this.attempt(task, messages, signal));
      if (outcome.usage) usage = addUsage(usage, outcome.usage);
      if (outcome.kind === 'failure') return { ok: false, error: outcome.failure };
      if (outcome.kind === 'ok') return ok({ data: outcome.data as ReplyOf<T>, usage });
      lastProblem = outcome.problem;
      this.logger?.warn({ task, attempt, problem: outcome.problem }, 'model reply invalid');
    }
    return fail('engine_failed', "The model's reply was not in the expected format.", {
      task,
      attempts: INVALID_REPLY_ATTEMPTS,
      problem: lastProblem,
    });
  }
}

export function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}
