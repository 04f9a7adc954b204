import { type Client, Routes } from 'discord.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { notices } from './messages.js';
import { SAFE_MENTIONS } from './payloads.js';

/** Interaction tokens last 15 minutes; an edit is attempted only well within that. */
const TOKEN_LIFETIME_MS = 14 * 60 * 1000;

/**
 * After a restart, tells the user of every request that was in progress when the bot stopped
 * (recorded by `withJob`) that it was interrupted: the pending interaction reply is edited while its
 * token lives, a message gets a reply. Each job is then forgotten, whatever happened.
 */
export async function apologizeForInterruptedJobs(
  client: Client,
  store: Store,
  log: Logger,
): Promise<number> {
  const jobs = await store.unfinishedJobs();
  for (const job of jobs) {
    try {
      if (job.reply.via === 'interaction') {
        if (Date.now() - job.startedAt < TOKEN_LIFETIME_MS) {
          await client.rest.patch(
            Routes.webhookMessage(job.reply.applicationId, job.reply.interactionToken),
            {
              body: {
                content: notices.interrupted,
                embeds: [],
                components: [],
                allowed_mentions: { parse: [] },
              },
              auth: false,
            },
          );
        }
      } else {
        await client.rest.post(Routes.channelMessages(job.channelId), {
          body: {
            content: notices.interrupted,
            message_reference: { message_id: job.reply.messageId, fail_if_not_exists: false },
            allowed_mentions: { parse: [], replied_user: SAFE_MENTIONS.repliedUser ?? false },
          },
        });
      }
    } catch (err) {
      log.warn({ err, jobId: job.id }, 'could not tell a user about an interrupted request');
    }
    await store.finishJob(job.id);
  }
  if (jobs.length > 0) log.info({ jobs: jobs.length }, 'told users about interrupted requests');
  return jobs.length;
}
