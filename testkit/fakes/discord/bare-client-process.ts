import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { tmpdir } from 'node:os';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BareClientOptions {
  /** The fake's `apiUrl`. */
  readonly apiUrl: string;
  readonly token: string;
  /** Shard ids this client runs, e.g. `[0]`, with `shardCount`; default: what `GET /gateway/bot` recommends. */
  readonly shards?: readonly number[];
  readonly shardCount?: number;
}

/** What the bare client did, as it reported it (its own clock). */
export interface BareDeferral {
  readonly id: string;
  /** Milliseconds from receiving the interaction to Discord's answer to `deferReply()`. */
  readonly ms: number;
}

export interface BareClientProcess {
  readonly process: ChildProcess;
  /** Interactions deferred so far, oldest first. */
  deferred(): readonly BareDeferral[];
  /** Resolves once `count` deferrals have been reported; rejects after `timeoutMs`. */
  waitForDeferrals(count: number, timeoutMs?: number): Promise<void>;
  /** Errors the client reported; a healthy run has none. */
  errors(): readonly string[];
  /** SIGTERM, then waits for the process to end (the client destroys its connection first). */
  stop(): Promise<void>;
}

/**
 * Starts the baseline client (bare-client.ts: plain discord.js that only defers) in its own Node
 * process against a fake Discord, and resolves once it is ready (at most 30 s). The acknowledgement
 * latency to compare with the bot's is the fake's: `InteractionHandle.ackLatencyMs`, measured the
 * same way for both.
 */
export async function startBareClientProcess(options: BareClientOptions): Promise<BareClientProcess> {
  const entry = fileURLToPath(
    new URL(`./bare-client${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
  );
  const args = [
    ...(entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : []),
    entry,
    '--api',
    options.apiUrl,
    '--token',
    options.token,
    ...(options.shards ? ['--shards', options.shards.join(',')] : []),
    ...(options.shardCount === undefined ? [] : ['--shard-count', String(options.shardCount)]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deferred: BareDeferral[] = [];
  const errors: string[] = [];
  const reports = new EventEmitter();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare client was not ready within 30 s')), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bare client exited (${code}) before it was ready: ${stderr.slice(-2000)}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string; id?: string; ms?: number; message?: string };
      if (event.event === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (event.event === 'deferred') {
        deferred.push({ id: String(event.id), ms: Number(event.ms) });
        reports.emit('deferred');
      } else if (event.event === 'error') errors.push(String(event.message));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    process: child,
    deferred: () => deferred,
    waitForDeferrals: (count, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (deferred.length < count) return;
          clearTimeout(timer);
          reports.off('deferred', check);
          resolve();
        };
        const timer = setTimeout(() => {
          reports.off('deferred', check);
          reject(new Error(`the bare client reported ${deferred.length} of ${count} deferrals`));
        }, timeoutMs);
        reports.on('deferred', check);
        check();
      }),
    errors: () => errors,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
