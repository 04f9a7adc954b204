import type { Config } from '../config.js';
import { type Cache, MemoryCache } from '../core/cache.js';
import { fail, type Result } from '../core/result.js';
import type { Logger } from '../log.js';
import type { Engine } from './engine.js';
import { createExtractiveEngine } from './extractive/index.js';

export type EngineChoice = 'extractive' | 'openai';

export interface EngineDeps {
  readonly log: Logger;
  /** Where model results are kept so the same request is never sent twice. */
  readonly cache?: Cache;
  readonly noCache?: boolean;
}

/** True when config names a model server (a key, or a base URL for keyless local servers). */
export function modelConfigured(config: Config): boolean {
  return config.OPENAI_API_KEY !== null || config.OPENAI_BASE_URL !== null;
}

/**
 * Chooses the engine: the one asked for, else VERBATIM_ENGINE, where `auto` means the model engine
 * when a model server is configured and the offline extractive engine otherwise.
 */
export async function selectEngine(
  asked: EngineChoice | null,
  config: Config,
  deps: EngineDeps,
): Promise<Result<Engine>> {
  const extractive = createExtractiveEngine();
  const choice =
    asked ??
    (config.VERBATIM_ENGINE === 'auto'
      ? modelConfigured(config)
        ? 'openai'
        : 'extractive'
      : config.VERBATIM_ENGINE);
  if (choice === 'extractive') return { ok: true, value: extractive };
  if (!modelConfigured(config)) {
    return fail(
      'engine_unavailable',
      'The openai engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama); set it in .env.',
    );
  }
  void deps;
  void MemoryCache;
  return fail(
    'engine_unavailable',
    'The openai engine is not available in this build yet; use --engine extractive.',
  );
}
