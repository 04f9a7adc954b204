import { type Client, Routes } from 'discord.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../ops/metrics.js';
import type { JobRecord, Store } from '../store/store.js';
import { parseJobPayload } from './jobs.js';
import { notices } from './messages.js';
import { retryButton, SAFE_MENTIONS } from './payloads.js';

/** Interaction tokens last 15 minutes; an edit is attempted only well within that. */
const TOKEN_LIFETIME_MS = 14 * 60 * 1000;

export interface ApologyOptions {
  /** Jobs recorded from this time on belong to the running process and are left alone (ms). */
  readonly startedBefore: number;
  /** How long an interrupted request may be retried (ms); older ones are forgotten. */
  readonly retryWindowMs: number;
  readonly metrics: Metrics;
  readonly now?: () => number;
}

/**
 * After a restart, tells the user of every request that was in progress when the bot stopped
 * (recorded by `withJob`) that it was interrupted: the pending interaction reply is edited while its
 * token lives, a message gets a reply. When the job holds what running it again needs, the notice
 * carries a "Try again" button and the job is kept, marked interrupted, for `onRetryButton`; else it
 * is forgotten. Jobs already told (by the process that stopped them, or an earlier start) are kept
 * until their retry window passes. Returns how many users were told.
 */
export async function apologizeForInterruptedJobs(
  client: Client,
  store: Store,
  log: Logger,
  options: ApologyOptions,
): Promise<number> {
  const now = options.now ?? Date.now;
  const jobs = (await store.unfinishedJobs()).filter((job) => job.startedAt < options.startedBefore);
  let told = 0;
  for (const job of jobs) {
    const payload = parseJobPayload(job.payload);
    const expired = now() - job.startedAt > options.retryWindowMs;
    if (payload.interruptedAt !== null) {
      if (expired) await store.finishJob(job.id);
      continue;
    }
    const retry = payload.retry !== null && !expired;
    // Marked before the notice goes out: its button may be pressed (and the job claimed) at once.
    if (retry) await store.recordJob({ ...job, payload: { ...payload, interruptedAt: now() } });
    try {
      if (await tell(client, job, retry, now())) {
        told++;
        options.metrics.interruptedRequests.inc({ told: 'after_restart' });
        if (retry) continue;
      }
    } catch (err) {
      log.warn({ err, jobId: job.id }, 'could not tell a user about an interrupted request');
    }
    await store.finishJob(job.id);
  }
  if (told > 0) log.info({ jobs: told }, 'told users about interrupted requests');
  return told;
}

/** Sends the notice where the result would have gone; false when that is no longer possible. */
async function tell(client: Client, job: JobRecord, retry: boolean, nowMs: number): Promise<boolean> {
  const content = retry ? notices.interruptedRetry : notices.interrupted;
  const components = retry ? retryButton(job.id) : [];
  if (job.reply.via === 'interaction') {
    if (nowMs - job.startedAt >= TOKEN_LIFETIME_MS) return false;
    await client.rest.patch(Routes.webhookMessage(job.reply.applicationId, job.reply.interactionToken), {
      body: { content, embeds: [], components, allowed_mentions: { parse: [] } },
      auth: false,
    });
    return true;
  }
  await client.rest.post(Routes.channelMessages(job.channelId), {
    body: {
      content,
      components,
      message_reference: { message_id: job.reply.messageId, fail_if_not_exists: false },
      allowed_mentions: { parse: [], replied_user: SAFE_MENTIONS.repliedUser ?? false },
    },
  });
  return true;
}
