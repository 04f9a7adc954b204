import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDiscordBench } from '../../testkit/drivers/discord-load.js';

describe('many users at once', () => {
  it('GIVEN 50 summaries requested at the same moment THEN every one is acknowledged within Discord’s 3 s and finished', async (t) => {
    const { bursts } = await runDiscordBench({ requests: 50, channels: 10, workers: 2, bursts: 1 });
    const [burst] = bursts;
    assert.ok(burst);
    t.diagnostic(
      `ack p50 ${burst.ackMs.p50} ms, p99 ${burst.ackMs.p99} ms; summary p50 ${burst.summaryMs.p50} ms`,
    );
    assert.equal(burst.lateAcks, 0);
    // Far below the 3 s Discord allows, with room for a loaded test machine.
    assert.ok(burst.ackMs.p99 < 1500, `p99 ${burst.ackMs.p99} ms`);
    assert.equal(burst.summaries, 50);
    assert.equal(burst.clientErrors, 0);
    assert.deepEqual(burst.fakeProblems, []);
  });
});
