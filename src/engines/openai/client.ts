import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Failure, Result } from '../../core/result.js';
import { fail, ok } from '../../core/result.js';
import type { Logger } from '../../log.js';
import type { Usage } from '../engine.js';
import { failureFromSdkError, isResponseFormatError } from './errors.js';
import { REPLY_SCHEMAS, type ReplyOf, type TaskName } from './schemas.js';
import { callSignal, wholeBodyFetch } from './transport.js';

export interface ModelClientOptions {
  readonly apiKey: string;
  /** An OpenAI-compatible server's base URL (`…/v1`); null or absent for OpenAI itself. */
  readonly baseURL?: string | null;
  readonly model: string;
  /** Per HTTP request, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries the SDK makes on 408/409/429/5xx and connection errors (it honours `retry-after`). */
  readonly maxRetries: number;
  /** Model calls in flight at once across everything this client does. */
  readonly concurrency: number;
  readonly logger?: Logger | undefined;
}

export interface ModelReply<T> {
  readonly data: T;
  readonly usage: Usage;
}

export interface Messages {
  readonly system: string;
  readonly user: string;
}

/** Attempts per call when the reply is not valid JSON of the right shape: the first and one retry. */
export const INVALID_REPLY_ATTEMPTS = 2;

/**
 * One model, one server, one concurrency cap. Asks for structured output (strict `json_schema`
 * built by `zodResponseFormat` from the task's zod schema) and validates the reply with that schema.
 * Once a server has said it does not support `json_schema`, switches to JSON mode (`json_object`),
 * validated the same way, for the rest of this client's life. A reply that is still invalid is
 * asked again once, then is `engine_failed`. Never throws for expected failures.
 */
export class ModelClient {
  readonly model: string;
  readonly #sdk: OpenAI;
  readonly #limit: LimitFunction;
  readonly #logger: Logger | undefined;
  #jsonSchemaSupported = true;

  constructor(options: ModelClientOptions) {
    this.model = options.model;
    this.#sdk = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: wholeBodyFetch,
    });
    this.#limit = pLimit(Math.max(1, options.concurrency));
    this.#logger = options.logger;
  }

  /** False once the server rejected `response_format: json_schema`. */
  get structuredOutput(): boolean {
    return this.#jsonSchemaSupported;
  }

  async call<T extends TaskName>(
    task: T,
    messages: Messages,
    signal?: AbortSignal,
  ): Promise<Result<ModelReply<ReplyOf<T>>>> {
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    let lastProblem = '';
    for (let attempt = 1; attempt <= INVALID_REPLY_ATTEMPTS; attempt++) {
      const outcome = await this.#limit(() => this.#once(task, messages, signal));
      if (outcome.usage) usage = addUsage(usage, outcome.usage);
      if (outcome.kind === 'failure') return { ok: false, error: outcome.failure };
      if (outcome.kind === 'ok') return ok({ data: outcome.data as ReplyOf<T>, usage });
      lastProblem = outcome.problem;
      this.#logger?.warn({ task, attempt, problem: outcome.problem }, 'model reply invalid');
    }
    return fail('engine_failed', "The model's reply was not in the expected format.", {
      task,
      attempts: INVALID_REPLY_ATTEMPTS,
      problem: lastProblem,
    });
  }

  async #once(task: TaskName, messages: Messages, signal: AbortSignal | undefined): Promise<Outcome> {
    const call = callSignal(signal);
    try {
      return await this.#request(task, messages, call.signal);
    } finally {
      call.release();
    }
  }

  async #request(task: TaskName, messages: Messages, signal: AbortSignal | undefined): Promise<Outcome> {
    const chat: ChatCompletionMessageParam[] = [
      { role: 'system', content: messages.system },
      { role: 'user', content: messages.user },
    ];
    const schema = REPLY_SCHEMAS[task];
    const options = signal ? { signal } : {};
    for (;;) {
      const structured = this.#jsonSchemaSupported;
      try {
        // `create` rather than `parse`: the same strict schema goes out, but a reply that fails to
        // parse still reports the tokens it cost.
        const completion = await this.#sdk.chat.completions.create(
          {
            model: this.model,
            messages: chat,
            response_format: structured ? zodResponseFormat(schema, task) : { type: 'json_object' },
          },
          options,
        );
        const usage = usageOf(completion.usage);
        const choice = completion.choices[0];
        if (choice?.message.refusal || choice?.finish_reason === 'content_filter') return refusal(usage);
        if (choice?.finish_reason === 'length') return { kind: 'invalid', problem: 'reply cut off', usage };
        const content = choice?.message.content;
        if (!content) return { kind: 'invalid', problem: 'no content', usage };
        let json: unknown;
        try {
          json = JSON.parse(structured ? content : stripFence(content));
        } catch {
          return { kind: 'invalid', problem: 'not JSON', usage };
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) return { kind: 'invalid', problem: 'schema mismatch', usage };
        return { kind: 'ok', data: parsed.data, usage };
      } catch (err) {
        if (structured && isResponseFormatError(err)) {
          this.#jsonSchemaSupported = false;
          this.#logger?.info(
            { model: this.model },
            'server lacks json_schema response_format; using JSON mode',
          );
          continue;
        }
        return this.#fromThrown(err);
      }
    }
  }

  #fromThrown(err: unknown): Outcome {
    const failure = failureFromSdkError(err);
    if (failure) {
      this.#logger?.warn({ code: failure.code, details: failure.details }, 'model call failed');
      return { kind: 'failure', failure };
    }
    if (err instanceof SyntaxError) return { kind: 'invalid', problem: 'not JSON' };
    if (err instanceof Error && err.name === 'ZodError')
      return { kind: 'invalid', problem: 'schema mismatch' };
    throw err;
  }
}

type Outcome =
  | { readonly kind: 'ok'; readonly data: unknown; readonly usage?: Usage }
  | { readonly kind: 'invalid'; readonly problem: string; readonly usage?: Usage }
  | { readonly kind: 'failure'; readonly failure: Failure; readonly usage?: Usage };

function refusal(usage: Usage): Outcome {
  return {
    kind: 'failure',
    failure: { code: 'refused', message: 'The model declined to process this article.', details: null },
    usage,
  };
}

function usageOf(u: { prompt_tokens?: number; completion_tokens?: number } | undefined | null): Usage {
  return { inputTokens: u?.prompt_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

/** Some JSON-mode servers still wrap the object in a Markdown code fence. */
function stripFence(content: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/u.exec(content);
  return m ? (m[1] as string) : content;
}
