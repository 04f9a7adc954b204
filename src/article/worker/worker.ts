import { parentPort, workerData } from 'node:worker_threads';
import { transferablesOf } from './transfer.js';

/**
 * Worker-thread entry of `WorkerPool`. Loads the jobs module named in `workerData.jobsModule`
 * (a file URL chosen by the pool's owner, never by a request) and answers `{ id, name, args }`
 * messages with `{ id, ok: true, result }` or `{ id, ok: false, error: { name, message } }`.
 */
interface JobRequest {
  readonly id: number;
  readonly name: string;
  readonly args: readonly unknown[];
}

type AnyJob = (...args: unknown[]) => Promise<unknown>;

const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');
const { jobsModule } = workerData as { jobsModule: string };
const { jobs } = (await import(jobsModule)) as { jobs: Readonly<Record<string, AnyJob>> };

port.on('message', (request: JobRequest) => {
  void run(request);
});

async function run({ id, name, args }: JobRequest): Promise<void> {
  const job = Object.hasOwn(jobs, name) ? jobs[name] : undefined;
  if (typeof job !== 'function') {
    port?.postMessage({
      id,
      ok: false,
      error: { name: 'UnknownJobError', message: `no job named "${name}"` },
    });
    return;
  }
  try {
    const result = await job(...args);
    const value = typeof result === 'object' && result !== null && 'value' in result ? result.value : null;
    const parts = typeof value === 'object' && value !== null ? Object.values(value) : [];
    port?.postMessage({ id, ok: true, result }, transferablesOf(parts));
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    port?.postMessage({ id, ok: false, error: { name, message } });
  }
}
