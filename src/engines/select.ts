import type { Config } from '../config.js';
import { fail, type Result } from '../core/result.js';
import type { Logger } from '../log.js';
import type { Engine } from './engine.js';
import type { Prompts } from './openai/prompts.js';

export type EngineChoice = 'extractive' | 'openai';

export interface EngineDeps {
  readonly log: Logger;
  /** The model's prompts; default read once from the repository's `prompts/`. */
  readonly prompts?: Prompts;
  /** Who the running request is for, so model calls are taken by users in turn (see `ModelClient`). */
  readonly currentOwner?: () => string | undefined;
}

/** True when config names a model server (a key, or a base URL for keyless local servers). */
export function modelConfigured(config: Config): boolean {
  return config.OPENAI_API_KEY !== null || config.OPENAI_BASE_URL !== null;
}

/** The engine config asks for when the user names none. */
export function defaultEngineChoice(config: Config): EngineChoice {
  if (config.VERBATIM_ENGINE !== 'auto') return config.VERBATIM_ENGINE;
  return modelConfigured(config) ? 'openai' : 'extractive';
}

/**
 * Builds the engine asked for (else config's choice). Falling back to the offline engine when the
 * model fails, caching and sharing requests in flight are the caller's (src/app/engine-runner.ts).
 * Each engine's code (the openai SDK above all) is loaded only when it is used (start-up counts).
 */
export async function selectEngine(
  asked: EngineChoice | null,
  config: Config,
  deps: EngineDeps,
): Promise<Result<Engine>> {
  const choice = asked ?? defaultEngineChoice(config);
  if (choice === 'extractive') {
    return { ok: true, value: (await import('./extractive/index.js')).createExtractiveEngine() };
  }
  if (!modelConfigured(config)) {
    return fail(
      'engine_unavailable',
      'The openai engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama); set it in .env.',
    );
  }
  const { createOpenAIEngine } = await import('./openai/index.js');
  return {
    ok: true,
    value: createOpenAIEngine({
      // Local servers (Ollama, LM Studio) take any key; the SDK insists on one.
      apiKey: config.OPENAI_API_KEY ?? 'not-needed',
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
      concurrency: config.OPENAI_CONCURRENCY,
      contextChars: config.OPENAI_CONTEXT_CHARS,
      logger: deps.log.child({ component: 'openai' }),
      prompts: deps.prompts,
      currentOwner: deps.currentOwner,
    }),
  };
}
