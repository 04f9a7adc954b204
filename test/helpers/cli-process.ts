import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../src/core/paths.js';

/** The command as it ships: package.json's `bin` (the bundle that `npm run build` makes). */
export const VERBATIM_BIN = join(repoRoot(), 'bin', 'verbatim.cjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** The whole environment besides PATH: nothing a developer exported leaks in. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input, which is then closed (default: closed at once). */
  readonly stdin?: string;
  /** Arguments for `node` before the entry file, such as `--import`. */
  readonly nodeArgs?: readonly string[];
}

/**
 * Runs `node bin/verbatim.cjs ...args` as its own process, in an empty temporary folder (no `.env`),
 * and resolves with its exit code and output once it exits (killed after 60 s).
 */
export async function runVerbatim(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const cwd = await mkdtemp(join(tmpdir(), 'verbatim-cli-run-'));
  try {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), VERBATIM_BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    // A run that never reads its input (a file source) may exit before taking it: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    });
    return { code, stdout, stderr };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}
