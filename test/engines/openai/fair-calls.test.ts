import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAIClient } from '../../../src/engines/openai/client.js';
import { realisticReply } from '../../../testkit/fakes/openai/realistic.js';
import { startFakeOpenAI } from '../../../testkit/fakes/openai/server.js';

const messagesFrom = (user: string, n: number) => ({
  system: 'Answer from the article.',
  user: `Question ${n} from ${user}: Who visits?\n\n<article id="a1">\nSergei Lavrov will visit China on Monday.\n</article id="a1">`,
});

describe('model calls shared between users', () => {
  it('GIVEN one user’s eight calls filling the client’s slots THEN another user’s call is sent next, not ninth', async (t) => {
    // The first two calls are held at the server until B's call is queued, so the order does not
    // depend on how long a timer takes on a loaded machine.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fake = await startFakeOpenAI({
      handler: async (r) => {
        await held;
        return realisticReply(r);
      },
    });
    t.after(() => fake.close());
    const who = new AsyncLocalStorage<string>();
    const client = new OpenAIClient({
      apiKey: 'k',
      baseURL: fake.baseURL,
      model: 'm',
      timeoutMs: 5000,
      maxRetries: 0,
      concurrency: 2,
      currentOwner: () => who.getStore(),
    });
    const burst = Array.from({ length: 8 }, (_, n) =>
      who.run('user-a', () => client.call('answer', messagesFrom('user-a', n))),
    );
    while (fake.requests.length < 2) await sleep(5);
    // `call` joins the queue before its first await, so B waits behind A's two calls in flight.
    const pending = who.run('user-b', () => client.call('answer', messagesFrom('user-b', 0)));
    release();
    const b = await pending;
    const all = await Promise.all(burst);
    assert.ok(b.ok && all.every((r) => r.ok));
    const senders = fake.requests.map(
      (r) => (/from (user-\w)/.exec(JSON.stringify(r.body.messages)) ?? [])[1],
    );
    assert.equal(senders.length, 9);
    assert.equal(senders.indexOf('user-b'), 2, `sent in the order ${senders.join(', ')}`);
  });
});
