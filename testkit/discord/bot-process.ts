import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { processWarnings } from '../process-warnings.js';

export interface BotProcess {
  readonly process: ChildProcess;
  /** Every JSON log line written so far. */
  lines(): { readonly msg: string; readonly [key: string]: unknown }[];
  /** Every process warning printed so far (MaxListenersExceededWarning…): a healthy bot has none. */
  warnings(): string[];
}

/**
 * `npm start` as its own process (the compiled entry point, or the TypeScript one under tsx), with
 * only PATH and `env` for its environment, in `cwd` (default: the temp folder, so that no `.env` of
 * the repository's leaks in); resolves once it logs "bot ready" (a worker: "worker ready"; at most
 * `readyMs`, default 30 s).
 */
export async function startBotProcess(
  env: Readonly<Record<string, string>>,
  { cwd = tmpdir(), readyMs = 30_000 }: { readonly cwd?: string; readonly readyMs?: number } = {},
): Promise<BotProcess> {
  const entry = new URL(`../../src/discord/main${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  const args = entry.pathname.endsWith('.ts')
    ? ['--import', import.meta.resolve('tsx'), fileURLToPath(entry)]
    : [fileURLToPath(entry)];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  // Parsed as they arrive, once: callers poll `lines()` while thousands of lines accumulate.
  const parsed: { msg: string }[] = [];
  let unparsed = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const complete = (unparsed + chunk).split('\n');
    unparsed = complete.pop() ?? '';
    for (const l of complete) if (l.startsWith('{')) parsed.push(JSON.parse(l) as { msg: string });
  });
  const lines = () => [...parsed];
  const deadline = Date.now() + readyMs;
  while (!lines().some((l) => l.msg === 'bot ready' || l.msg === 'worker ready')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot process did not get ready: ${stderr.slice(-2000)}`);
    }
    await sleep(20);
  }
  return { process: child, lines, warnings: () => processWarnings(stderr) };
}

/** Stops a bot process with SIGTERM and waits for it to exit (at once if it already has). */
export async function stopBotProcess(bot: BotProcess): Promise<void> {
  if (bot.process.exitCode !== null || bot.process.signalCode !== null) return;
  const exited = once(bot.process, 'exit');
  bot.process.kill('SIGTERM');
  await exited;
}
