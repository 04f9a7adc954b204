import type { Processor, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Questions in one thread answered one at a time, in order, by any number of BullMQ workers — the
 * open-source way (BullMQ Pro's groups are paid). The questions are the durable record (here a
 * Redis list; in Verbatim the PostgreSQL job rows, in order); the queue only carries "drain thread
 * T" wake-ups, deduplicated per thread with `keepLastIfActive`: at most one drain job of a thread
 * is active at a time, and one added while it is active is kept and run after it, so no question
 * is left behind. The drain job answers the oldest unanswered question until none is left.
 */
export interface ThreadKeys {
  readonly questions: string;
  /** The delivery record: answered questions in order; its length is the next question's index. */
  readonly answered: string;
}

export function threadKeys(prefix: string, thread: string): ThreadKeys {
  return {
    questions: `${prefix}:thread:${thread}:questions`,
    answered: `${prefix}:thread:${thread}:answered`,
  };
}

export const DRAIN_JOB = 'drain';

/** Records a question, then wakes a drainer for its thread (record first: a wake-up may find it at once). */
export async function ask(
  redis: Redis,
  queue: Queue,
  prefix: string,
  thread: string,
  question: string,
): Promise<void> {
  await redis.rpush(threadKeys(prefix, thread).questions, question);
  await queue.add(
    DRAIN_JOB,
    { thread },
    {
      deduplication: { id: `thread-${thread}`, keepLastIfActive: true },
      removeOnComplete: true,
      attempts: 3,
      backoff: { type: 'exponential', delay: 500 },
    },
  );
}

/** The drain job: answers the thread's questions in order, recording each after it is delivered. */
export function drainThread(
  redis: Redis,
  prefix: string,
  answer: (thread: string, question: string) => Promise<void>,
): Processor<{ thread: string }, number> {
  return async (job) => {
    const keys = threadKeys(prefix, job.data.thread);
    for (;;) {
      const next = await redis.llen(keys.answered);
      const question = await redis.lindex(keys.questions, next);
      if (question === null) return next;
      await answer(job.data.thread, question);
      await redis.rpush(keys.answered, question);
    }
  };
}
