import { type Article, makeArticle } from '../../../src/article/article.js';
import type { Cache } from '../../../src/core/cache.js';
import type { Engine } from '../../../src/engines/engine.js';
import { createOpenAIEngine, type OpenAIEngineOptions } from '../../../src/engines/openai/index.js';
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

/** A fake server with `handler` and an engine pointed at it; fast timeouts, no SDK retries by default. */
export async function startHarness(
  handler: FakeHandler,
  options: Partial<OpenAIEngineOptions> & { rejectJsonSchema?: boolean } = {},
): Promise<Harness> {
  const { rejectJsonSchema, ...engineOptions } = options;
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
  return { fake, engine, close: () => fake.close() };
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
}
