/**
 * A worker process running `drainThread` for the per-thread order test; it says `answering Q` on
 * stdout before each answer and never finishes answering `HANG_ON`, so the test can SIGKILL it
 * mid-thread. Lock 1,000 ms and stalled checks every 300 ms, as the test's own workers.
 *
 * Usage: node drain-worker.js REDIS_URL PREFIX QUEUE HANG_ON
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { drainThread } from './thread-drainer.js';

const [url, prefix, queue, hangOn] = process.argv.slice(2);
if (!url || !prefix || !queue || !hangOn) {
  process.stderr.write('usage: drain-worker REDIS_URL PREFIX QUEUE HANG_ON\n');
  process.exit(2);
}
const redis = new Redis(url, { maxRetriesPerRequest: null });
new Worker(
  queue,
  drainThread(redis, prefix, async (_thread, question) => {
    process.stdout.write(`answering ${question}\n`);
    if (question === hangOn) await new Promise(() => {});
  }),
  { connection: redis, prefix, lockDuration: 1000, stalledInterval: 300 },
);
