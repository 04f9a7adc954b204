import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { OpenAIClient } from '../../../src/engines/openai/client.js';
import { callSignal } from '../../../src/engines/openai/transport.js';
import { realisticReply } from '../../../testkit/fakes/openai/realistic.js';
import { reply, startFakeOpenAI } from '../../../testkit/fakes/openai/server.js';

const messages = {
  system: 'Answer from the article.',
  user: 'Question: Who visits?\n\n<article id="a1">\nSergei Lavrov will visit China on Monday.\n</article id="a1">',
};

describe('the model client’s requests', () => {
  it('GIVEN one long-lived signal over 30 calls, some retried THEN it ends with no listener added and no warning', async (t) => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    t.after(() => void process.off('warning', onWarning));
    const fake = await startFakeOpenAI({
      handler: (r) =>
        r.index % 3 === 0 && r.headers['x-stainless-retry-count'] === '0'
          ? reply.serverError(503)
          : realisticReply(r),
    });
    t.after(() => fake.close());
    const client = new OpenAIClient({
      apiKey: 'k',
      baseURL: fake.baseURL,
      model: 'm',
      timeoutMs: 5000,
      maxRetries: 2,
      concurrency: 4,
    });
    const shutdown = new AbortController();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => client.call('answer', messages, shutdown.signal)),
    );
    await tick();
    assert.ok(results.every((r) => r.ok));
    assert.ok(fake.requests.length > 30, 'some calls were retried by the SDK');
    assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
    assert.deepEqual(warnings, []);
  });

  it('GIVEN a call signal WHEN the outer signal aborts THEN it aborts with the same reason; once released, it no longer follows', () => {
    const outer = new AbortController();
    const call = callSignal(outer.signal);
    assert.equal(getEventListeners(outer.signal, 'abort').length, 1);
    outer.abort(new Error('shutting down'));
    assert.equal(call.signal?.aborted, true);
    assert.equal(String(call.signal?.reason), 'Error: shutting down');
    call.release();

    const other = new AbortController();
    const released = callSignal(other.signal);
    released.release();
    assert.equal(getEventListeners(other.signal, 'abort').length, 0);
    other.abort();
    assert.equal(released.signal?.aborted, false);

    const already = callSignal(AbortSignal.abort('gone'));
    assert.equal(already.signal?.aborted, true);
    assert.equal(callSignal(undefined).signal, undefined);
  });
});
