/**
 * `npm run bench:discord`: many summaries requested at the same moment against the fake Discord,
 * with the real bot (testkit/drivers/discord-load.ts). Prints, per burst, the time from each
 * INTERACTION_CREATE dispatch to its acknowledgement (Discord allows 3 s) and to the finished
 * summary.
 *
 * Usage: node dist/scripts/bench-discord.js [--requests 50] [--channels 10] [--workers 2] [--bursts 2] [--json]
 */
import { parseArgs } from 'node:util';
import { type Percentiles, runDiscordBench } from '../testkit/drivers/discord-load.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '50' },
      channels: { type: 'string', default: '10' },
      workers: { type: 'string', default: '2' },
      bursts: { type: 'string', default: '2' },
      json: { type: 'boolean', default: false },
    },
  });
  const result = await runDiscordBench({
    requests: Number(values.requests),
    channels: Number(values.channels),
    workers: Number(values.workers),
    bursts: Number(values.bursts),
  });
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const fmt = (p: Percentiles) => `p50 ${p.p50} ms · p99 ${p.p99} ms · max ${p.max} ms`;
  for (const [i, b] of result.bursts.entries()) {
    console.log(
      `burst ${i + 1}${i === 0 ? ' (just started)' : ' (running bot)'}: ${b.requests} /summarize at once (links to distinct pages, offline engine)`,
    );
    console.log(`  dispatch → acknowledgement: ${fmt(b.ackMs)}   (Discord allows 3000 ms)`);
    console.log(`  dispatch → summary shown:   ${fmt(b.summaryMs)}`);
    console.log(
      `  summaries ${b.summaries}, other replies ${b.otherReplies}, late acknowledgements ${b.lateAcks}, client errors ${b.clientErrors}, fake problems ${b.fakeProblems.length}`,
    );
  }
}

await main();
