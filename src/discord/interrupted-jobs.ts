import { type Client, Routes } from 'discord.js';
import type { JobRecord, Jobs } from '../app/jobs.js';
import type { Metrics } from '../ops/metrics.js';
import { retryButtonRow } from './handlers/retry-button.js';
import { SAFE_MENTIONS } from './payloads.js';
import { notices } from './texts.js';

/** Interaction tokens last 15 minutes; an edit is attempted only well within that. */
const TOKEN_LIFETIME_MS = 14 * 60 * 1000;

export interface ApologyOptions {
  /** Jobs recorded from this time on belong to the running process and are left alone (ms). */
  readonly startedBefore: number;
  /** How long an interrupted request may be retried (ms); older ones are forgotten. */
  readonly retryWindowMs: number;
  readonly metrics: Metrics;
}

/**
 * After a restart, tells the user of every request that was in progress when the bot stopped
 * (recorded by `runRequest`) that it was interrupted (see `Jobs.recoverInterrupted`): the pending
 * interaction reply is edited while its token lives, a message gets a reply. When the job holds what
 * running it again needs, the notice carries a "Try again" button for `onRetryButton`. Returns how
 * many users were told.
 */
export function apologizeForInterruptedJobs(
  client: Client,
  jobs: Jobs,
  options: ApologyOptions,
): Promise<number> {
  return jobs.recoverInterrupted(options, async (job, retry) => {
    const told = await tell(client, job, retry, Date.now());
    if (told) options.metrics.interruptedRequests.inc({ told: 'after_restart' });
    return told;
  });
}

/** Sends the notice where the result would have gone; false when that is no longer possible. */
async function tell(client: Client, job: JobRecord, retry: boolean, nowMs: number): Promise<boolean> {
  const content = retry ? notices.interruptedRetry : notices.interrupted;
  const components = retry ? retryButtonRow(job.id) : [];
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
