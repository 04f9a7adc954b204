/**
 * A BullMQ worker process for the stalled-job test: takes one job, says `started` on stdout and
 * never finishes, so the test can SIGKILL it mid-job. Its lock lasts `lockDuration` ms (renewed
 * while it lives), so the job counts as stalled soon after it dies. Its `stalledInterval` must be
 * the other workers' too: each stalled check blocks every worker's next one for its own interval.
 *
 * Usage: node stalling-worker.js REDIS_URL PREFIX QUEUE LOCK_MS STALLED_INTERVAL_MS
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, prefix, queue, lockMs, stalledMs] = process.argv.slice(2);
if (!url || !prefix || !queue || !lockMs || !stalledMs) {
  process.stderr.write('usage: stalling-worker REDIS_URL PREFIX QUEUE LOCK_MS STALLED_INTERVAL_MS\n');
  process.exit(2);
}
new Worker(
  queue,
  async (job) => {
    process.stdout.write(`started ${job.id}\n`);
    await new Promise(() => {});
  },
  {
    connection: new Redis(url, { maxRetriesPerRequest: null }),
    prefix,
    lockDuration: Number(lockMs),
    stalledInterval: Number(stalledMs),
  },
);
