import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Article } from '../../../src/article/article.js';
import { ok, type Result } from '../../../src/core/result.js';
import type { AnswerResult, Engine, SummaryResult } from '../../../src/engines/engine.js';
import { realisticContent } from '../../../testkit/fakes/openai/realistic.js';
import { type FakeReply, reply } from '../../../testkit/fakes/openai/server.js';
import { lavrovArticle, startHarness } from './harness.js';

const article = lavrovArticle();
const standard = { length: 'standard', lang: null } as const;

/** A stand-in for the offline engine: answers with the article's first sentence. */
function stubFallback(): Engine & { calls: number } {
  const stub = {
    name: 'stub',
    model: null,
    version: 'stub',
    calls: 0,
    async summarize(a: Article): Promise<Result<SummaryResult>> {
      stub.calls++;
      return ok({
        engine: 'stub',
        model: null,
        fallback: null,
        grounding: { proposed: 0, verified: 0, dropped: 0, repaired: 0, unsupported: 0 },
        usage: { inputTokens: 0, outputTokens: 0 },
        summary: [{ text: a.text.slice(0, 20), quotes: [] }],
        keyPoints: [],
      });
    },
    async answer(): Promise<Result<AnswerResult>> {
      stub.calls++;
      return ok({
        engine: 'stub',
        model: null,
        fallback: null,
        grounding: { proposed: 0, verified: 0, dropped: 0, repaired: 0, unsupported: 0 },
        usage: { inputTokens: 0, outputTokens: 0 },
        answerable: false,
        answer: [],
        nearest: [],
      });
    },
  };
  return stub;
}

/** Replies from `script` in order, then realistic ones. */
function scripted(...script: FakeReply[]) {
  return (r: { index: number; body: Parameters<typeof realisticContent>[0] }) =>
    script[r.index] ?? reply.json(realisticContent(r.body));
}

describe('invalid replies', () => {
  it('GIVEN invalid JSON twice THEN it is retried once and then engine_failed', async () => {
    const h = await startHarness(() => reply.text('{"summary": [ oops'));
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
      assert.equal(h.fake.requests.length, 2);
    } finally {
      await h.close();
    }
  });

  it('GIVEN invalid JSON once THEN the retry’s valid reply is used and both calls’ tokens are counted', async () => {
    const h = await startHarness(scripted(reply.text('Sure! Here is your summary:')));
    try {
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.equal(h.fake.requests.length, 2);
      assert.deepEqual(r.value.usage, { inputTokens: 200, outputTokens: 40 });
    } finally {
      await h.close();
    }
  });

  it('GIVEN JSON that breaks the schema THEN it is retried once and then engine_failed', async () => {
    const h = await startHarness(() => reply.json({ summary: 'Russia and China', key_points: null }));
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
      assert.equal(h.fake.requests.length, 2);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a reply cut off at the length limit THEN it counts as invalid and is retried', async () => {
    const h = await startHarness(
      scripted({ kind: 'json', content: { summary: [], key_points: [] }, finishReason: 'length' }),
    );
    try {
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.equal(h.fake.requests.length, 2);
    } finally {
      await h.close();
    }
  });
});

describe('servers without json_schema structured output', () => {
  it('GIVEN a server that rejects json_schema THEN JSON mode is used, validated by the schema, and remembered', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)), { rejectJsonSchema: true });
    try {
      const first = await h.engine.summarize(article, standard);
      assert.ok(first.ok);
      const second = await h.engine.summarize(article, { length: 'short', lang: null });
      assert.ok(second.ok);
      assert.deepEqual(
        h.fake.requests.map((r) => r.body.response_format?.type),
        ['json_schema', 'json_object', 'json_object'],
      );
      for (const c of first.value.summary)
        for (const q of c.quotes) assert.equal(article.text.slice(q.start, q.end), q.text);
    } finally {
      await h.close();
    }
  });

  it('GIVEN JSON mode and a reply that breaks the schema twice THEN engine_failed', async () => {
    const h = await startHarness(() => reply.json({ points: [] }), { rejectJsonSchema: true });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
      assert.equal(h.fake.requests.length, 3);
    } finally {
      await h.close();
    }
  });

  it('GIVEN JSON mode and a reply wrapped in a code fence THEN it is still read', async () => {
    const h = await startHarness(
      (r) =>
        r.body.response_format?.type === 'json_object'
          ? reply.text(`\`\`\`json\n${JSON.stringify(realisticContent(r.body))}\n\`\`\``)
          : reply.json({}),
      { rejectJsonSchema: true },
    );
    try {
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok);
    } finally {
      await h.close();
    }
  });
});

describe('HTTP failures become reason codes', () => {
  it('GIVEN a 429 with retry-after THEN the SDK waits and retries', async () => {
    const h = await startHarness(scripted(reply.rateLimited(1)), { maxRetries: 2 });
    try {
      const started = Date.now();
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.equal(h.fake.requests.length, 2);
      assert.ok(Date.now() - started >= 900, 'waited for retry-after');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a 429 and no retries left THEN rate_limited with the retry-after', async () => {
    const h = await startHarness(() => reply.rateLimited(7), { maxRetries: 0 });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.error.code, 'rate_limited');
      assert.equal(!r.ok && r.error.details?.retryAfterSeconds, 7);
      assert.equal(h.fake.requests.length, 1);
    } finally {
      await h.close();
    }
  });

  it('GIVEN 500s THEN the SDK retries them, and one that persists is engine_failed', async () => {
    const retried = await startHarness(scripted(reply.serverError(500), reply.serverError(503)), {
      maxRetries: 2,
    });
    try {
      const r = await retried.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.equal(retried.fake.requests.length, 3);
    } finally {
      await retried.close();
    }
    const persistent = await startHarness(() => reply.serverError(500), { maxRetries: 1 });
    try {
      const r = await persistent.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
      assert.equal(!r.ok && r.error.details?.status, 500);
      assert.equal(persistent.fake.requests.length, 2);
    } finally {
      await persistent.close();
    }
  });

  it('GIVEN a reply cut off mid-body (the server dies after the headers) THEN engine_failed, and the fallback answers', async () => {
    const h = await startHarness(() => reply.cutOff(), { maxRetries: 0 });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'engine_failed');
      assert.equal(!r.ok && r.error.details?.connection, true);
    } finally {
      await h.close();
    }
    const fallback = stubFallback();
    const withFallback = await startHarness(() => reply.cutOff(), { maxRetries: 0, fallback });
    try {
      const r = await withFallback.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.deepEqual(r.value.fallback, { from: 'openai', code: 'engine_failed' });
      assert.equal(fallback.calls, 1);
    } finally {
      await withFallback.close();
    }
  });

  it('GIVEN a reply cut off mid-body once and SDK retries THEN the retry’s good reply is used', async () => {
    const h = await startHarness(scripted(reply.cutOff()), { maxRetries: 2 });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
      assert.equal(r.value.engine, 'openai');
      assert.equal(r.value.fallback, null);
      assert.equal(h.fake.requests.length, 2, 'the cut-off request, then its retry');
    } finally {
      await h.close();
    }
  });

  // Without a timeout on the body this waits forever: the test's own timeout makes that a failure.
  it('GIVEN a reply whose body stalls after the headers THEN timeout: the per-request timeout covers the body', {
    timeout: 20_000,
  }, async () => {
    const h = await startHarness(() => reply.stall(), { timeoutMs: 300, maxRetries: 0 });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'timeout');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a server that hangs past the timeout THEN timeout', async () => {
    const h = await startHarness(() => reply.hang(), { timeoutMs: 300, maxRetries: 0 });
    try {
      const started = Date.now();
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'timeout');
      assert.ok(Date.now() - started < 3000);
    } finally {
      await h.close();
    }
  });

  it('GIVEN the caller aborts THEN the call stops with timeout (aborted) and no fallback runs', async () => {
    const fallback = stubFallback();
    const h = await startHarness(() => reply.hang(), { fallback });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const r = await h.engine.summarize(article, standard, controller.signal);
      assert.equal(!r.ok && r.error.code, 'timeout');
      assert.equal(!r.ok && r.error.details?.aborted, true);
      assert.equal(fallback.calls, 0);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a refusal THEN refused, not retried', async () => {
    const h = await startHarness(() => reply.refusal());
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'refused');
      assert.equal(h.fake.requests.length, 1);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a 401 THEN auth_failed, and the message never echoes the key', async () => {
    const h = await startHarness(() => reply.unauthorized(), { maxRetries: 2 });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'auth_failed');
      assert.equal(h.fake.requests.length, 1, '401 is not retried');
      assert.ok(!JSON.stringify(r).includes('test-key'));
      assert.equal(h.fake.requests[0]?.headers.authorization, 'Bearer test-key');
    } finally {
      await h.close();
    }
  });

  it('GIVEN a 403 THEN auth_failed', async () => {
    const h = await startHarness(() => ({
      kind: 'error',
      status: 403,
      message: 'Project does not have access',
    }));
    try {
      const r = await h.engine.summarize(article, standard);
      assert.equal(!r.ok && r.error.code, 'auth_failed');
    } finally {
      await h.close();
    }
  });
});

describe('fallback engine', () => {
  it('GIVEN a failure and a fallback engine THEN the fallback answers and the result says why', async () => {
    const fallback = stubFallback();
    const h = await startHarness(() => reply.unauthorized(), { fallback });
    try {
      const r = await h.engine.summarize(article, standard);
      assert.ok(r.ok);
      assert.equal(r.value.engine, 'stub');
      assert.deepEqual(r.value.fallback, { from: 'openai', code: 'auth_failed' });
      const a = await h.engine.answer(article, 'Who visits China?', []);
      assert.ok(a.ok);
      assert.deepEqual(a.value.fallback, { from: 'openai', code: 'auth_failed' });
      assert.equal(fallback.calls, 2);
    } finally {
      await h.close();
    }
  });

  it('GIVEN a fallback result THEN it is not cached as the model’s', async () => {
    const fallback = stubFallback();
    let fail = true;
    const h = await startHarness(
      (r) => (fail ? reply.serverError(500) : reply.json(realisticContent(r.body))),
      {
        fallback,
      },
    );
    try {
      const first = await h.engine.summarize(article, standard);
      assert.ok(first.ok && first.value.fallback !== null);
      fail = false;
      const second = await h.engine.summarize(article, standard);
      assert.ok(second.ok);
      assert.equal(second.value.engine, 'openai');
      assert.equal(second.value.fallback, null);
    } finally {
      await h.close();
    }
  });
});
