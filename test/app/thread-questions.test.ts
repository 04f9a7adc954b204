import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobInfo } from '../../src/app/jobs.js';
import { createSystem } from '../../src/app/system.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

/** A question's job row as a gateway records it. */
const question = (id: string, threadId: string, text = `question ${id}`): JobInfo => ({
  id,
  kind: 'answer',
  guildId: '1',
  channelId: threadId,
  userId: '2',
  reply: { via: 'message', messageId: id },
  retry: { kind: 'answer', conversationId: threadId, question: text },
});

describe('a thread’s questions waiting for a worker', () => {
  it('GIVEN questions of two threads recorded out of order THEN the oldest (by snowflake) of the asked thread comes first, and each is recorded answered once', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-questions-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const config = parseConfig({ DATABASE_PATH: join(dir, 'v.db'), VERBATIM_ENGINE: 'extractive' });
    const system = await createSystem(config, createLogger('silent'), { run: 'in-process' });
    t.after(() => system.close());
    await system.open();
    const { jobs } = system.app;
    // 9… < 10…: snowflakes compare as numbers, not as text.
    await jobs.start(question('1000000000000000002', 'T'));
    await jobs.start(question('999999999999999999', 'T'));
    await jobs.start(question('1000000000000000001', 'U'));
    const stopped = await jobs.start(question('900000000000000000', 'T'));
    await stopped.interrupted();
    await jobs.start({ ...question('800000000000000000', 'T'), kind: 'summarize', retry: null });

    const first = await jobs.nextQuestion('T');
    assert.equal(first?.record.id, '999999999999999999', 'the oldest; not one offered "Try again"');
    assert.equal(first?.retry.question, 'question 999999999999999999');
    assert.equal(await jobs.finishQuestion('999999999999999999'), true);
    assert.equal(await jobs.finishQuestion('999999999999999999'), false, 'recorded once');
    assert.equal((await jobs.nextQuestion('T'))?.record.id, '1000000000000000002');
    assert.equal(await jobs.finishQuestion('1000000000000000002'), true);
    assert.equal(await jobs.nextQuestion('T'), null, 'none left in T');
    assert.equal((await jobs.nextQuestion('U'))?.record.id, '1000000000000000001', 'U untouched');
  });
});
