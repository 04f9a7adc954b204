import { EngineRunner } from '../../../src/app/engine-runner.js';
import { ResultCache } from '../../../src/app/result-cache.js';
import { type Article, makeArticle } from '../../../src/article/article.js';
import type { Cache } from '../../../src/core/cache.js';
import { ok } from '../../../src/core/result.js';
import type { Engine } from '../../../src/engines/engine.js';
import { createOpenAIEngine, type OpenAIEngineOptions } from '../../../src/engines/openai/index.js';
import { createLogger } from '../../../src/log.js';
import { type FakeHandler, type FakeOpenAI, startFakeOpenAI } from '../../../testkit/fakes/openai/server.js';
import { readFixture } from '../../helpers/fixtures.js';

/** The sample article (a machine translation that turns the researcher Teppo Turki into "Turkey"). */
export function lavrovArticle(): Article {
  return makeArticle(readFixture('openai', 'lavrov-china.txt'), { source: 'lavrov-china.txt', lang: 'en' });
}

export interface Harness {
  readonly fake: FakeOpenAI;
  readonly engine: Engine;
  close(): Promise<void>;
}

/**
 * What runs the engine in src/app (the result cache, sharing identical requests in flight, the
 * fallback engine); any of them makes `engine` the model engine run that way, as the bot and the CLI
 * run it.
 */
export interface RunnerOptions {
  readonly cache?: Cache;
  readonly fallback?: Engine;
  readonly share?: boolean;
}

/** A fake server with `handler` and an engine pointed at it; fast timeouts, no SDK retries by default. */
export async function startHarness(
  handler: FakeHandler,
  options: Partial<OpenAIEngineOptions> & { rejectJsonSchema?: boolean } & RunnerOptions = {},
): Promise<Harness> {
  const { rejectJsonSchema, cache, fallback, share, ...engineOptions } = options;
  const fake = await startFakeOpenAI({ handler, rejectJsonSchema: rejectJsonSchema ?? false });
  const engine = createOpenAIEngine({
    apiKey: 'test-key',
    baseURL: fake.baseURL,
    model: 'fake-model',
    timeoutMs: 5000,
    maxRetries: 0,
    concurrency: 4,
    contextChars: 48_000,
    ...engineOptions,
  });
  const run = cache || fallback || share ? runEngine(engine, { cache, fallback }) : engine;
  return { fake, engine: run, close: () => fake.close() };
}

/** The engine as src/app runs it, in the Engine interface. */
function runEngine(
  engine: Engine,
  options: { cache: Cache | undefined; fallback: Engine | undefined },
): Engine {
  const log = createLogger('silent');
  const runner = new EngineRunner({
    primary: engine,
    offline: options.fallback ?? engine,
    results: options.cache ? new ResultCache(options.cache, { ttlSeconds: null, log }) : null,
    cacheOfflineSummaries: false,
    log,
  });
  return {
    name: engine.name,
    model: engine.model,
    version: engine.version,
    summarize: async (article, summarizeOptions, signal) => {
      const r = await runner.summarize(article, summarizeOptions, { signal });
      return r.ok ? ok(r.value.value) : r;
    },
    answer: async (article, question, history, signal) => {
      const r = await runner.answer(article, question, history, { signal });
      return r.ok ? ok(r.value.value) : r;
    },
  };
}

/** A cache that counts reads and writes, over a Map. */
export class CountingCache implements Cache {
  readonly entries = new Map<string, unknown>();
  gets = 0;
  puts = 0;
  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    this.gets++;
    return this.entries.get(`${namespace}:${key}`) as T | undefined;
  }
  async put<T>(namespace: string, key: string, value: T): Promise<void> {
    this.puts++;
    this.entries.set(`${namespace}:${key}`, value);
  }
  async delete(namespace: string, key: string): Promise<boolean> {
    return this.entries.delete(`${namespace}:${key}`);
  }
}
