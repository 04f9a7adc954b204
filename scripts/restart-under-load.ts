/**
 * `npm run bench:restart`: does a restart lose anyone's request? Runs the restart-under-load driver
 * (testkit/drivers/restart-under-load.ts: the real bot as its own process, restarted by SIGTERM or
 * SIGKILL half-way through N mixed requests) and prints what became of each request. Exits 1 if
 * any request was lost.
 *
 * Usage: node dist/scripts/restart-under-load.js [--requests 40] [--variant sigterm|sigkill|both]
 *        [--model-delay-ms 1500] [--grace-ms 1000] [--json]
 */
import { parseArgs } from 'node:util';
import {
  type Fate,
  LOAD_REQUEST_KINDS,
  type RestartLoadResult,
  type RestartVariant,
  runRestartUnderLoad,
} from '../testkit/drivers/restart-under-load.js';

function printReport(r: RestartLoadResult): void {
  const c = r.counts;
  process.stdout.write(
    `${r.variant.toUpperCase()}: ${r.requests} requests — answered ${c.answered}, told + retried ${c.retried}, ` +
      `turned away + asked again ${c.reasked}, failed ${c.failed}, lost ${c.lost}\n` +
      `  offered "Try again": ${r.toldAtShutdown} by the stopping process, ${r.toldAfterRestart} after the restart\n` +
      `  ${r.exitCode === null ? 'killed' : `exit code ${r.exitCode} after ${r.exitMs} ms`}; ready again ${r.downMs} ms after the signal\n`,
  );
  for (const kind of LOAD_REQUEST_KINDS) {
    const of = r.reports.filter((x) => x.kind === kind);
    const n = (fate: Fate) => of.filter((x) => x.fate === fate).length;
    process.stdout.write(
      `  ${kind.padEnd(15)} ${String(of.length).padStart(3)}: answered ${n('answered')}, retried ${n('retried')}, ` +
        `asked again ${n('reasked')}, failed ${n('failed')}, lost ${n('lost')}\n`,
    );
  }
  for (const x of r.reports.filter((x) => x.fate === 'failed' || x.fate === 'lost')) {
    process.stdout.write(`  #${x.index} ${x.kind} (${x.phase}): ${x.fate} ${x.detail ?? ''}\n`);
  }
  if (r.fakeProblems.length > 0)
    process.stdout.write(`  fake Discord problems: ${r.fakeProblems.join('; ')}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '40' },
      variant: { type: 'string', default: 'both' },
      'model-delay-ms': { type: 'string', default: '1500' },
      'grace-ms': { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
    },
  });
  const variants: RestartVariant[] =
    values.variant === 'both' ? ['sigterm', 'sigkill'] : [values.variant as RestartVariant];
  const results: RestartLoadResult[] = [];
  for (const variant of variants) {
    const result = await runRestartUnderLoad({
      requests: Number(values.requests),
      variant,
      modelDelayMs: Number(values['model-delay-ms']),
      graceMs: Number(values['grace-ms']),
    });
    results.push(result);
    if (!values.json) printReport(result);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (results.some((r) => r.counts.lost > 0)) process.exitCode = 1;
}

await main();
