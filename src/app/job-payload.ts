import * as z from 'zod';
import { SUMMARY_LENGTHS } from '../engines/engine.js';

/**
 * The job payload's schema, apart from `jobs.ts` so that a process which never reads a stored job
 * (the `verbatim` command) never loads zod's full API: `Jobs` imports this module when it reads one.
 */

const remoteFileSchema = z.object({
  name: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  url: z.string(),
});

/**
 * Where a summary's article comes from when it is run again. Links are fetched again (or found in
 * the store by URL). Pastes and files are kept only until their article is stored, then by its
 * content hash: the store then holds the one copy, which retention and the privacy purges delete,
 * and a file no longer depends on its attachment URL, which expires (about a day on Discord).
 */
const retrySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('text'), text: z.string(), source: z.string() }),
  z.object({ kind: z.literal('attachment'), attachment: remoteFileSchema, source: z.string().optional() }),
  z.object({ kind: z.literal('stored'), contentHash: z.string() }),
]);
export type RetrySource = z.infer<typeof retrySourceSchema>;

/** What running a request again needs: a summary's source and options, or a question. */
const retrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('summarize'),
    source: retrySourceSchema,
    length: z.enum(SUMMARY_LENGTHS as ['short', 'standard', 'detailed']),
    lang: z.string().nullable(),
    private: z.boolean(),
    openThread: z.boolean(),
  }),
  z.object({
    kind: z.literal('answer'),
    conversationId: z.string(),
    question: z.string(),
    /**
     * Asked through the Ask form: the answer goes to the summary's thread for everyone (with a
     * private note to the asker), privately when there is none. Read by a worker (split roles).
     */
    inThread: z.boolean().optional(),
  }),
]);
export type RetryRequest = z.infer<typeof retrySchema>;

/**
 * A job's payload in the store. `interruptedAt` is set once its user was told that a restart cut it
 * short and offered a retry: the row then stays (until retried, too old, or purged by retention,
 * `forgetUser` or `purgeGuild`) instead of being deleted, so there is no second copy to purge.
 */
const payloadSchema = z.object({
  v: z.literal(1),
  retry: retrySchema.nullable(),
  interruptedAt: z.number().nullable(),
  /**
   * The messages a queued job has sent, by step (`part-0`, `part-1`, …): a run after its worker died
   * skips what an earlier run sent (see `JobHandle.recordSent`). Absent until the first is sent.
   */
  sent: z.record(z.string(), z.object({ id: z.string(), channelId: z.string() })).optional(),
});
export type JobPayload = z.infer<typeof payloadSchema>;

/** A stored payload, or (a job of an older version, a corrupted row) one with nothing to retry. */
export function parseJobPayload(raw: unknown): JobPayload {
  const parsed = payloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : { v: 1, retry: null, interruptedAt: null };
}
