import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJobPayload } from '../../src/app/job-payload.js';
import { retrySourceOf } from '../../src/app/jobs.js';
import { attachmentExpired } from '../../src/discord/handlers/retry-button.js';

describe('retrying an interrupted request', () => {
  it('GIVEN Discord attachment URLs THEN one whose signed expiry (hex Unix seconds) has passed is expired; one without is not', () => {
    const now = 1_700_000_000_000;
    const at = (seconds: number) =>
      `https://cdn.discordapp.com/attachments/1/2/a.pdf?ex=${seconds.toString(16)}&is=0&hm=ab`;
    assert.equal(attachmentExpired(at(now / 1000 - 1), now), true);
    assert.equal(attachmentExpired(at(now / 1000 + 3600), now), false);
    assert.equal(attachmentExpired('http://127.0.0.1:9/files/a.txt', now), false);
    assert.equal(attachmentExpired('not a url', now), true);
  });

  it('GIVEN a stored payload of an older version or a corrupted one THEN there is nothing to retry', () => {
    for (const raw of [null, 'x', { v: 2 }, { v: 1, retry: { kind: 'summarize' }, interruptedAt: null }]) {
      assert.deepEqual(parseJobPayload(raw), { v: 1, retry: null, interruptedAt: null });
    }
    const question = { kind: 'answer', conversationId: '1', question: 'Who?' } as const;
    assert.deepEqual(parseJobPayload({ v: 1, retry: question, interruptedAt: 5 }).retry, question);
  });

  it('GIVEN each kind of source THEN a retry keeps links and pastes as given, files by their Discord attachment, stored articles by hash', () => {
    const attachment = {
      name: 'a.txt',
      size: 3,
      contentType: 'text/plain',
      url: 'https://cdn.discordapp.com/a',
    };
    assert.deepEqual(retrySourceOf({ kind: 'url', url: 'https://example.com/a' }), {
      kind: 'url',
      url: 'https://example.com/a',
    });
    assert.deepEqual(retrySourceOf({ kind: 'text', text: 'Hello.', source: 'discord:text' }), {
      kind: 'text',
      text: 'Hello.',
      source: 'discord:text',
    });
    assert.deepEqual(retrySourceOf({ kind: 'attachment', attachment }), { kind: 'attachment', attachment });
  });
});
