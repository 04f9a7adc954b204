import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { reply, startFakeOpenAI } from '../../../../testkit/fakes/openai/server.js';

describe('fake OpenAI-compatible server', () => {
  it('GIVEN the real SDK THEN models are listed, completions answered as scripted, and every request recorded', async () => {
    const fake = await startFakeOpenAI({
      handler: (r) =>
        reply.json({ echo: r.body.messages.at(-1)?.content }, { prompt_tokens: 7, completion_tokens: 3 }),
      models: ['m1', 'm2'],
    });
    try {
      const sdk = new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0 });
      const models = await sdk.models.list();
      assert.deepEqual(
        models.data.map((m) => m.id),
        ['m1', 'm2'],
      );
      const c = await sdk.chat.completions.create({
        model: 'm1',
        messages: [{ role: 'user', content: 'hello' }],
      });
      assert.deepEqual(JSON.parse(c.choices[0]?.message.content ?? ''), { echo: 'hello' });
      assert.equal(c.usage?.prompt_tokens, 7);
      assert.equal(fake.requests.length, 1);
      assert.equal(fake.requests[0]?.body.model, 'm1');
    } finally {
      await fake.close();
    }
  });

  it('GIVEN rejectJsonSchema THEN a json_schema request gets the 400 older servers send', async () => {
    const fake = await startFakeOpenAI({ handler: () => reply.json({}), rejectJsonSchema: true });
    try {
      const sdk = new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0 });
      await assert.rejects(
        sdk.chat.completions.create({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } },
        }),
        (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'response_format',
      );
    } finally {
      await fake.close();
    }
  });
});
