/**
 * `npm run bench:cli`: start-up cost of the `verbatim` command, as a ratio to a bare `node -e 0`
 * (issue 13 §5, goal ≤ 2× for summarize, extract and ask on a small article). The machine is shared
 * and noisy, so every round runs the baseline and every command once, interleaved in a rotating
 * order, and the figures are medians of the same rounds: load on the machine moves both sides
 * together and the ratio stays comparable.
 *
 * The commands run from an empty temporary folder (no `.env`) with the model and database variables
 * removed, so they use the offline engine on the sample article in `examples/`, as a first-time user
 * would. Their output goes to a pipe, as `verbatim … | jq` would have it.
 *
 * Where `NODE_EXTRA_CA_CERTS` is set (this machine sets it for every process), Node parses that CA
 * bundle at every start: ~40 ms here, which `node -e 0` pays too, so it flatters every ratio. The
 * rounds are then run twice, with the environment as it is and without that variable, and both are
 * reported.
 *
 * Usage: node dist/scripts/bench-cli.js [--runs N] [--bin FILE]...
 *   --runs  rounds (default 15)
 *   --bin   the command's entry file (default this repository's bin/verbatim.cjs); give it more than
 *           once to compare builds in the same rounds (say, another checkout's bin before a change).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/core/paths.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    bin: { type: 'string', multiple: true },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, not ${values.runs}`);

const root = repoRoot();
const bins = (values.bin ?? [join(root, 'bin', 'verbatim.cjs')]).map((b) => resolve(b));
const sample = join(root, 'examples', 'lavrov-china.txt');
const question = 'What does China want from Russia?';
const commands: readonly Case[] = [
  { name: 'summarize --length short', args: ['summarize', sample, '--length', 'short'] },
  { name: 'summarize --json', args: ['summarize', sample, '--json'] },
  { name: 'extract', args: ['extract', sample] },
  { name: 'extract --json', args: ['extract', sample, '--json'] },
  { name: 'ask', args: ['ask', sample, question] },
  { name: 'ask --json', args: ['ask', sample, question, '--json'] },
  { name: 'schema', args: ['schema'] },
  { name: '--help', args: ['--help'] },
];
const baseline: Case = { name: 'node -e 0', args: ['-e', '0'] };
const cases: readonly Case[] = bins.flatMap((bin) =>
  commands.map((c) => ({
    name: bins.length > 1 ? `${c.name}  [${bin}]` : c.name,
    args: [bin, ...c.args],
  })),
);

const cwd = mkdtempSync(join(tmpdir(), 'verbatim-bench-cli-'));
const asIs = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(OPENAI_|VERBATIM_|DATABASE_|NODE_OPTIONS$)/.test(k)),
);
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...withoutCaCerts } = asIs;
const envs: ReadonlyArray<{ readonly name: string; readonly env: NodeJS.ProcessEnv }> = [
  {
    name: extraCaCerts === undefined ? 'environment as it is' : 'NODE_EXTRA_CA_CERTS set (as here)',
    env: asIs,
  },
  ...(extraCaCerts === undefined ? [] : [{ name: 'without NODE_EXTRA_CA_CERTS', env: withoutCaCerts }]),
];

function wallMs(c: Case, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, c.args, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${c.name} exited ${child.status}: ${child.stderr.slice(0, 500)}`);
  return ms;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

try {
  const all = [baseline, ...cases];
  for (const c of all) wallMs(c, asIs); // fills the file cache; not counted
  for (const { name, env } of envs) {
    const times = new Map<Case, number[]>(all.map((c) => [c, []]));
    for (let round = 0; round < runs; round++) {
      for (let i = 0; i < all.length; i++) {
        const c = all[(round + i) % all.length] as Case;
        times.get(c)?.push(wallMs(c, env));
      }
    }
    const base = median(times.get(baseline) ?? []);
    console.log(
      `verbatim start-up, ${name}: median wall time of ${runs} interleaved runs (node ${process.version}):`,
    );
    console.log(`  ${baseline.name.padEnd(26)} ${base.toFixed(0).padStart(5)} ms`);
    for (const c of cases) {
      const m = median(times.get(c) ?? []);
      console.log(`  ${c.name.padEnd(26)} ${m.toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2)}×`);
    }
  }
  console.log('  goal: ≤ 2× for summarize, extract and ask on a small article');
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
