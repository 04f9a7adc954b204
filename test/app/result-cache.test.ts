import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RESULT_CACHE_NAMESPACE, resultKey } from '../../src/app/result-cache.js';
import { createSystem } from '../../src/app/system.js';
import { makeArticle } from '../../src/article/article.js';
import { parseConfig } from '../../src/config.js';
import { articleResultKey } from '../../src/core/cache.js';
import { loadPrompts, PROMPT_NAMES, type Prompts } from '../../src/engines/openai/index.js';
import { createLogger } from '../../src/log.js';
import { pastedBody as text } from '../../testkit/discord/pages.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { startFakeOpenAI } from '../../testkit/fakes/openai/server.js';

const article = makeArticle(text, { source: 'discord:text' });
const identity = { engine: 'openai', model: 'fake-model', version: 'p1' };
const summary = { task: 'summarize', length: 'standard', lang: null } as const;

/** The repository's prompts with one sentence added to a system prompt: a new prompt version. */
function changedPrompts(): Prompts {
  const current = loadPrompts();
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-prompts-'));
  try {
    for (const name of PROMPT_NAMES) writeFileSync(join(dir, `${name}.md`), current.templates[name]);
    writeFileSync(
      join(dir, 'summarize.system.md'),
      `${current.templates['summarize.system']}\nPrefer short sentences.`,
    );
    return loadPrompts(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('one result cache', () => {
  it('GIVEN the same request THEN one key, under the article’s prefix; any change of options, engine, model or prompt version is another key', () => {
    const key = resultKey(article, summary, identity);
    assert.equal(key, resultKey(article, summary, identity));
    assert.ok(key.startsWith(articleResultKey(article.contentHash, '')), 'deleting the text deletes it');
    const others = [
      resultKey(article, { ...summary, length: 'short' }, identity),
      resultKey(article, { ...summary, lang: 'fr' }, identity),
      resultKey(article, summary, { ...identity, engine: 'extractive' }),
      resultKey(article, summary, { ...identity, model: 'other-model' }),
      resultKey(article, summary, { ...identity, version: 'p2' }),
      resultKey(makeArticle(`${text} More.`), summary, identity),
      resultKey(article, { task: 'answer', question: 'Who?', history: [] }, identity),
    ];
    assert.equal(new Set([key, ...others]).size, others.length + 1);
  });

  it('GIVEN a summary cached by the bot’s service WHEN the prompts change THEN it is not served: the model is asked again', async (t) => {
    const openai = await startFakeOpenAI({ handler: realisticReply });
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-results-'));
    t.after(async () => {
      await openai.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const config = parseConfig({
      VERBATIM_ENGINE: 'openai',
      OPENAI_BASE_URL: openai.baseURL,
      OPENAI_API_KEY: 'test-key',
      OPENAI_MODEL: 'fake-model',
      OPENAI_MAX_RETRIES: '0',
      DATABASE_PATH: join(dir, 'v.db'),
      WORKER_THREADS: '1',
    });
    const request = {
      source: { kind: 'text', text, source: 'discord:text' },
      length: 'standard',
      lang: null,
      requester: null,
    } as const;
    /** A bot's system started on the same database, with these prompts: as after a deployment. */
    const summarizeWith = async (prompts?: Prompts) => {
      const system = await createSystem(config, createLogger('silent'), {
        run: 'workers',
        ...(prompts ? { prompts } : {}),
      });
      try {
        const outcome = await system.app.summaries.summarize(request);
        assert.ok(outcome.ok);
        return outcome.value;
      } finally {
        await system.close();
      }
    };

    const first = await summarizeWith();
    const calls = openai.requests.length;
    assert.ok(calls > 0);
    const again = await summarizeWith();
    assert.equal(again.summaryFromCache, true, 'the same prompts: served from the cache');
    assert.equal(openai.requests.length, calls);

    const changed = await summarizeWith(changedPrompts());
    assert.equal(changed.summaryFromCache, false, 'new prompts: nothing from the old ones is served');
    assert.ok(openai.requests.length > calls, 'the model was asked again');
    assert.notEqual(changed.requestKey, first.requestKey);

    const system = await createSystem(config, createLogger('silent'), { run: 'in-process' });
    try {
      assert.ok(
        await system.store.cache.get(RESULT_CACHE_NAMESPACE, changed.requestKey),
        'kept under its new key',
      );
    } finally {
      await system.close();
    }
  });
});
