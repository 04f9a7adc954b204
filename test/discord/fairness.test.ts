import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../src/core/paths.js';
import { problems, startHarness } from '../../testkit/discord/harness.js';
import { pasted } from '../../testkit/discord/pages.js';
import type { InteractionHandle } from '../../testkit/fakes/discord/index.js';
import { finalReply } from './views.js';

/**
 * A long but ordinary article (~750,000 characters, under the 1,000,000 limit): the sample article
 * a hundred times over, each copy told apart so that nothing is shared or cached between uploads.
 * The offline engine takes about a second of CPU on it in a worker.
 */
function longArticle(upload: number): string {
  const sample = readFileSync(join(repoRoot(), 'examples', 'lavrov-china.txt'), 'utf8');
  return Array.from({ length: 100 }, (_, copy) => sample.replaceAll('China', `China-${upload}-${copy}`)).join(
    '\n\n',
  );
}

describe('one user’s slow uploads and another user’s summary', () => {
  it('GIVEN user A’s four long uploads being summarized THEN user B’s ordinary /summarize is answered before any of them', async (t) => {
    const h = await startHarness(t, { env: { WORKER_THREADS: '2' } });
    const b = h.fake.addUser({ username: 'bea' });
    const finished: string[] = [];
    const aHandles = [1, 2, 3, 4].map((n) => {
      const file = h.fake.addAttachment(`long-${n}.txt`, 'text/plain', longArticle(n));
      return h.fake.sendSlashCommand({ name: 'summarize', attachments: { file } });
    });
    const aUploads = aHandles.map((handle, i) =>
      finalReply(handle, 300_000).then(() => finished.push(`a${i + 1}`)),
    );
    // One of A's uploads handed to the engine (shown as summarizing, or waiting for a slot) or
    // already answered (a summary done within the progress delay shows no progress line); the rest wait.
    const atEngine = (content: unknown) =>
      content === 'Summarizing…' || content === 'Waiting for a free slot…';
    const answered = (x: InteractionHandle) =>
      (x.original?.embeds.length ?? 0) > 0 || x.followups.some((f) => f.content !== '');
    const started = (x: InteractionHandle) =>
      answered(x) || x.edits.some((e) => atEngine((e.body as { content?: string }).content));
    const deadline = performance.now() + 240_000;
    while (!aHandles.some(started)) {
      assert.ok(performance.now() < deadline, 'none of A’s uploads reached the engine within 240 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Running work is not pre-empted: B is compared with A's uploads that had not reached the engine.
    const startedBefore = new Set(aHandles.flatMap((x, i) => (started(x) ? [`a${i + 1}`] : [])));
    const asked = performance.now();
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted }, user: b.id });
    await finalReply(handle, 120_000);
    const latency = performance.now() - asked;
    finished.push('b');
    await Promise.all(aUploads);
    t.diagnostic(`B's summary took ${latency.toFixed(0)} ms; finished in the order ${finished.join(', ')}`);
    assert.ok(startedBefore.size < 4, 'some of A’s uploads were still waiting when B asked');
    const after = finished.filter((x) => !startedBefore.has(x));
    assert.equal(
      after[0],
      'b',
      `finished in the order ${finished.join(', ')} (${[...startedBefore].join(', ') || 'none'} at the engine when B asked)`,
    );
    assert.deepEqual(problems(h), []);
  });
});
