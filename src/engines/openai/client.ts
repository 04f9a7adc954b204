import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Logger } from '../../log.js';
import type { Usage } from '../engine.js';
import { failureFromSdkError, isResponseFormatError } from './errors.js';
import { type Attempt, type Messages, StructuredChatClient } from './model-client.js';
import { REPLY_SCHEMAS, type TaskName } from './schemas.js';
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
  /**
   * Who the running request is for (a Discord user id), read when a call is made: calls waiting for
   * one of the `concurrency` slots are let in owner by owner in turn, so one user's long article
   * (dozens of map calls) does not hold up another user's one call. Absent: arrival order.
   */
  readonly currentOwner?: (() => string | undefined) | undefined;
}

/**
 * The model client for OpenAI and OpenAI-compatible servers, through the official SDK: one model,
 * one server, one concurrency cap (see `StructuredChatClient` for what every API shares). Asks for
 * structured output (strict `json_schema` built by `zodResponseFormat` from the task's zod schema)
 * and validates the reply with that schema. Once a server has said it does not support
 * `json_schema`, switches to JSON mode (`json_object`), validated the same way, for the rest of
 * this client's life.
 */
export class OpenAIClient extends StructuredChatClient {
  readonly #sdk: OpenAI;
  #jsonSchemaSupported = true;

  constructor(options: ModelClientOptions) {
    super(options);
    this.#sdk = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: wholeBodyFetch,
    });
  }

  /** False once the server rejected `response_format: json_schema`. */
  get structuredOutput(): boolean {
    return this.#jsonSchemaSupported;
  }

  protected async attempt(
    task: TaskName,
    messages: Messages,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    // Each attempt gets its own signal, linked to the caller's and released when it ends: the SDK
    // adds an abort listener per request that it never removes (a leak on a process-long signal).
    const call = callSignal(signal);
    try {
      return await this.#request(task, messages, call.signal);
    } finally {
      call.release();
    }
  }

  async #request(task: TaskName, messages: Messages, signal: AbortSignal | undefined): Promise<Attempt> {
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
          this.logger?.info(
            { model: this.model },
            'server lacks json_schema response_format; using JSON mode',
          );
          continue;
        }
        return this.#fromThrown(err);
      }
    }
  }

  #fromThrown(err: unknown): Attempt {
    const failure = failureFromSdkError(err);
    if (failure) {
      this.logger?.warn({ code: failure.code, details: failure.details }, 'model call failed');
      return { kind: 'failure', failure };
    }
    if (err instanceof SyntaxError) return { kind: 'invalid', problem: 'not JSON' };
    if (err instanceof Error && err.name === 'ZodError')
      return { kind: 'invalid', problem: 'schema mismatch' };
    throw err;
  }
}

function refusal(usage: Usage): Attempt {
  return {
    kind: 'failure',
    failure: { code: 'refused', message: 'The model declined to process this article.', details: null },
    usage,
  };
}

function usageOf(u: { prompt_tokens?: number; completion_tokens?: number } | undefined | null): Usage {
  return { inputTokens: u?.prompt_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0 };
}

/** Some JSON-mode servers still wrap the object in a Markdown code fence. */
function stripFence(content: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/u.exec(content);
  return m ? (m[1] as string) : content;
}
