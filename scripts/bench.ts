/**
 * `npm run bench`: the core's performance figures, as medians (this machine is shared and noisy).
 *   - extractive summarize of a 200,000-character article: in process, whole process, via the CLI
 *     (bar: under 1 s whole-process wall time);
 *   - locating 100 quotes, half fabricated, in a 200,000-character article (bar: under 50 ms);
 *   - fetch + decode of a typical page and a 5 MB page from a local server;
 *   - every text-facing function on crafted text (long runs of one character class, repeated
 *     separators, near-misses of markup): CPU time per 100,000 characters at 50k, 100k and 200k,
 *     which stays flat when the work is linear (`scripts/bench-adversarial.ts`, `--only NAME`).
 * Other benchmarks: `npm run bench:discord` (acknowledgement latency of the bot).
 */
import { benchAdversarial, formatAdversarialRow } from './bench-adversarial.js';
import { benchFetch } from './bench-fetch.js';
import { runGroundingBench } from './bench-grounding.js';
import { benchSummarize } from './bench-summarize.js';

const ms = (n: number) => `${n.toFixed(1)} ms`;

const summarize = await benchSummarize({ runs: 7, chars: 200_000 });
console.log(`extractive summarize, ${summarize.chars} chars, median of ${summarize.runs}:`);
console.log(
  `  in process ${ms(summarize.inProcessMs)} · whole process ${ms(summarize.processMs)} · verbatim CLI ${summarize.cliMs === null ? 'not built' : ms(summarize.cliMs)}  (bar: < 1000 ms whole process)`,
);

const grounding = runGroundingBench(9);
console.log(
  `grounding, ${grounding.quotes} quotes (half fabricated) in ${grounding.articleChars} chars, median of ${grounding.runs}:`,
);
console.log(
  `  locate all ${ms(grounding.locateAllMsMedian)} (cpu ${ms(grounding.locateAllCpuMsMedian)}) · index build ${ms(grounding.indexBuildMsMedian)} · real found ${grounding.realFound}/${grounding.quotes / 2} · fabricated rejected ${grounding.fabricatedRejected}/${grounding.quotes / 2}  (bar: < 50 ms)`,
);

const fetches = await benchFetch(7);
console.log('fetch + decode from a local server, median of 7:');
for (const f of fetches)
  console.log(
    `  ${f.page.padEnd(24)} ${(f.bytes / 1e6).toFixed(2)} MB  ${ms(f.medianMs)}  (${f.mbPerSecond.toFixed(0)} MB/s)`,
  );

const adversarial = await benchAdversarial({ runs: 3 });
console.log('adversarial text, CPU ms per 100,000 chars at 50k / 100k / 200k, median of 3 (flat = linear):');
for (const row of adversarial) console.log(formatAdversarialRow(row));
const worst = [...adversarial].sort((a, b) => b.growth - a.growth)[0];
if (worst)
  console.log(
    `  steepest growth: ${worst.fn} · ${worst.shape} ×${worst.growth.toFixed(1)} from 50k to 200k (linear ≈ 1, quadratic ≈ 4)`,
  );
