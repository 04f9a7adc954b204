import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { eventually, startHarness } from '../../testkit/discord/harness.js';
import { pastedBody as pasted } from '../../testkit/discord/pages.js';
import { realisticReply, taskOf } from '../../testkit/fakes/openai/realistic.js';
import { reply, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { finalReply } from './views.js';

describe('logs of a request', () => {
  it('GIVEN a question whose thread holds a corrupted turn and whose first model reply is invalid THEN every line logged while it ran (handler, engine, store) carries its request id, and the metrics count it', async (t) => {
    let invalidAnswers = 0;
    const openai = await startFakeOpenAI({
      handler: (request) => {
        if (taskOf(request.body) === 'answer' && request.index > 1 && invalidAnswers++ === 0) {
          return reply.text('not JSON at all');
        }
        return realisticReply(request);
      },
    });
    t.after(() => openai.close());
    const h = await startHarness(t, {
      env: {
        VERBATIM_ENGINE: 'openai',
        OPENAI_BASE_URL: openai.baseURL,
        OPENAI_API_KEY: 'test-key',
        OPENAI_MAX_RETRIES: '0',
      },
    });
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }),
    );
    const thread = await eventually(() => h.fake.threads().find((x) => x.id === summary.id), 5000, 'thread');
    const first = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'Who is quoted?',
      mentionsBot: true,
    });
    await h.fake.waitForMessage(thread.id, (m) => m.api.message_reference?.message_id === first.id, 10_000);
    await eventually(
      () => h.logs.some((l) => l.msg === 'answer posted' && l.requestId === first.id),
      5000,
      'the first answer',
    );
    const raw = new Database(h.dbPath);
    raw.prepare('UPDATE turns SET answer = ? WHERE thread_id = ?').run('{not json', thread.id);
    raw.close();

    const from = h.logs.length;
    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'How much do the insurers lower premiums?',
      mentionsBot: true,
    });
    await h.fake.waitForMessage(
      thread.id,
      (m) => m.api.message_reference?.message_id === question.id,
      10_000,
    );
    await eventually(() => h.logs.slice(from).some((l) => l.msg === 'answer posted'), 5000, 'the last line');
    const lines = h.logs.slice(from);

    const messages = lines.map((l) => l.msg);
    assert.ok(messages.includes('store: unreadable JSON in a row; treating it as absent'), 'a store warning');
    assert.ok(messages.includes('model reply invalid'), 'an engine warning');
    assert.ok(messages.includes('answer posted'), 'the handler’s line');
    for (const line of lines)
      assert.equal(line.requestId, question.id, `"${line.msg}" carries the request id`);

    const metrics = await h.bot.context.metrics.render();
    assert.match(metrics, /^verbatim_requests_total\{kind="thread_message",outcome="ok"\} 2$/mu);
    assert.match(metrics, /^verbatim_model_tokens_total\{direction="input"\} [1-9]\d*$/mu);
    assert.match(metrics, /^verbatim_interrupted_requests_total\{told="after_restart"\} 0$/mu);
  });
});
