import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureFromSdkError } from '../../../src/engines/openai/errors.js';
import { reply, startFakeOpenAI } from '../../../testkit/fakes/openai/server.js';

/** What reading the body of a reply that broke off after its headers throws, from node's own fetch. */
async function cutOffBodyError(): Promise<unknown> {
  const fake = await startFakeOpenAI({ handler: () => reply.cutOff() });
  try {
    const response = await fetch(`${fake.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    assert.equal(response.status, 200, 'the headers arrived');
    return await response.json().then(
      () => assert.fail('the body was read whole'),
      (err: unknown) => err,
    );
  } finally {
    await fake.close();
  }
}

describe('model errors that are not the SDK’s', () => {
  it('GIVEN fetch failing to read a body cut off after the headers THEN engine_failed naming the network cause, not a crash', async () => {
    const err = await cutOffBodyError();
    assert.ok(err instanceof TypeError, 'node’s fetch says TypeError: terminated');
    const failure = failureFromSdkError(err);
    assert.equal(failure?.code, 'engine_failed');
    assert.equal(failure?.details?.cutOff, true);
    assert.match(String(failure?.details?.cause), /^(?:UND_ERR_|E[A-Z]+$)/u);
  });

  it('GIVEN a body read aborted THEN timeout (cancelled)', () => {
    const failure = failureFromSdkError(new DOMException('This operation was aborted', 'AbortError'));
    assert.equal(failure?.code, 'timeout');
    assert.equal(failure?.details?.aborted, true);
  });

  it('GIVEN a TypeError without a network cause (a bug) THEN null: it stays an exception', () => {
    assert.equal(failureFromSdkError(new TypeError('x is not a function')), null);
    assert.equal(failureFromSdkError(new TypeError('terminated', { cause: new RangeError('bad') })), null);
    assert.equal(failureFromSdkError(new Error('terminated')), null);
  });
});
