// `npm run eval:urls`: every hostile URL of <shared>/corpus/urls/*.txt, and a few DNS names, through
// the real fetchDocument with attacker resolvers (testkit/drivers/hostile-urls.ts). Prints counts by
// file and code, lists any URL that was not refused, and exits 1 if any was not refused or any
// connection was attempted.
//   node dist/scripts/eval-urls.js [sharedDir]      (or node --import tsx scripts/eval-urls.ts)
import { join } from 'node:path';
import { sharedDir } from '../src/core/paths.js';
import {
  ATTACKER_RESOLVERS,
  DNS_NAME_URLS,
  type HostileOutcome,
  type HostileReport,
  readUrlFiles,
  runHostileUrls,
} from '../testkit/drivers/hostile-urls.js';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

/** A file × code table and a code/rule table of the outcomes. */
function formatReport(report: HostileReport): string {
  const files = [...new Set(report.outcomes.map((o) => o.file))];
  const codes = [...new Set(report.outcomes.map((o) => o.code))].sort();
  const count = (filter: (o: HostileOutcome) => boolean) => String(report.outcomes.filter(filter).length);
  const byFile = [
    ['file', 'urls', ...codes, 'connections'],
    ...files.map((file) => [
      file,
      String(new Set(report.outcomes.filter((o) => o.file === file).map((o) => o.url)).size),
      ...codes.map((code) => count((o) => o.file === file && o.code === code)),
      String(report.outcomes.filter((o) => o.file === file).reduce((n, o) => n + o.connections, 0)),
    ]),
  ];
  const rules = [...new Set(report.outcomes.map((o) => `${o.code}\t${o.rule ?? ''}`))].sort();
  const byRule = [
    ['code', 'rule / reason', 'runs'],
    ...rules.map((key) => {
      const [code = '', rule = ''] = key.split('\t');
      return [code, rule, count((o) => o.code === code && (o.rule ?? '') === rule)];
    }),
  ];
  return `${table(byFile)}\n\n${table(byRule)}`;
}

async function main(): Promise<void> {
  const dir = join(sharedDir(process.argv[2]), 'corpus', 'urls');
  const urls = [...readUrlFiles(dir), ...DNS_NAME_URLS];
  const started = performance.now();
  const report = await runHostileUrls(urls);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${urls.length} URLs × ${Object.keys(ATTACKER_RESOLVERS).length} attacker resolvers = ${report.outcomes.length} fetches in ${seconds} s (from ${dir})\n`,
  );
  console.log(formatReport(report));
  console.log(`\nconnection attempts: ${report.connectionAttempts}`);
  if (report.notRefused.length > 0) {
    console.log(`\nNOT refused (${report.notRefused.length}):`);
    for (const o of report.notRefused)
      console.log(`  [${o.file}] ${JSON.stringify(o.url)} via ${o.resolver}: ${o.code}`);
  } else {
    console.log('every URL refused under every resolver');
  }
  process.exitCode = report.connectionAttempts === 0 && report.notRefused.length === 0 ? 0 : 1;
}

await main();
