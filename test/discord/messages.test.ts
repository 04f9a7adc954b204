import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Failure } from '../../src/core/result.js';
import { failureMessage, notices } from '../../src/discord/texts.js';

describe('what /forget says', () => {
  it('GIVEN kinds of data with none kept THEN the preview leaves them out, and one summary is “it”', () => {
    const shown = notices.forgetPreview({ threads: 1, turns: 1, usageDays: 0, jobs: 0, settings: 0 });
    assert.match(shown, /^• 1 summary you asked for, with the questions asked about it$/mu);
    assert.match(shown, /^• 1 question you asked$/mu);
    assert.doesNotMatch(shown, /0 days|usage counts|in progress/u);
  });

  it('GIVEN several summaries THEN their questions are “them”', () => {
    const shown = notices.forgetPreview({ threads: 2, turns: 0, usageDays: 3, jobs: 1, settings: 0 });
    assert.match(shown, /^• 2 summaries you asked for, with the questions asked about them$/mu);
    assert.match(shown, /^• usage counts for 3 days$/mu);
    assert.match(shown, /^• 1 request in progress$/mu);
    assert.doesNotMatch(shown, /question you asked|questions you asked/u);
  });

  it('GIVEN an admin named on two servers’ settings THEN the preview says so, and that the settings stay', () => {
    const shown = notices.forgetPreview({ threads: 0, turns: 0, usageDays: 0, jobs: 0, settings: 2 });
    assert.match(
      shown,
      /^• your name as who last changed the settings of 2 servers \(the settings stay\)$/mu,
    );
  });

  it('GIVEN what was deleted THEN the result names only what there was', () => {
    assert.equal(
      notices.forgotten({ threads: 1, turns: 1, usageDays: 0, jobs: 0, settings: 0, texts: 1, messages: 1 }),
      'Deleted 1 summary you asked for, 1 question you asked and 1 text you pasted or uploaded; removed 1 message of mine.',
    );
    assert.equal(
      notices.forgotten({ threads: 0, turns: 0, usageDays: 2, jobs: 0, settings: 0, texts: 0, messages: 0 }),
      'Deleted usage counts for 2 days.',
    );
  });
});

describe('what a timeout says, by the step that took too long', () => {
  const timeout = (details: Failure['details']): Failure => ({ code: 'timeout', message: 'x', details });

  it('GIVEN a fetch that timed out THEN the site is named as slow', () => {
    assert.match(failureMessage(timeout({ step: 'fetch', timeoutMs: 15_000 })), /site took too long/);
  });

  it('GIVEN a timeout while downloading, reading, parsing or summarizing THEN no site is mentioned', () => {
    for (const step of ['download', 'read', 'parse', 'engine', undefined]) {
      const message = failureMessage(timeout(step === undefined ? null : { step }));
      assert.doesNotMatch(message, /site/i, `step ${step}`);
    }
    assert.match(failureMessage(timeout({ step: 'download' })), /from Discord/);
    assert.match(failureMessage(timeout({ step: 'parse' })), /Reading that document/);
  });
});
