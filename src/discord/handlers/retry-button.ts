import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type ButtonInteraction,
  ButtonStyle,
  ChannelType,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import type { JobInfo, JobRecord, RetryRefusal, RetryRequest } from '../../app/jobs.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge } from '../context.js';
import { InteractionDelivery } from '../delivery.js';
import { type ButtonHandler, dataOf } from '../handler.js';
import { SAFE_MENTIONS } from '../payloads.js';
import { interactionReply, runRequest } from '../pipeline.js';
import { runAnswer } from '../requests/question-request.js';
import { runSummary } from '../requests/summary-request.js';
import { labels, notices, progress } from '../texts.js';

/** What each refusal of a retry tells its presser; `inPlace`: the notice replaces the button's message. */
const REFUSALS: Readonly<Record<RetryRefusal, { readonly notice: string; readonly inPlace: boolean }>> = {
  taken: { notice: notices.retryTaken, inPlace: false },
  not_yours: { notice: notices.retryNotYours, inPlace: false },
  too_old: { notice: notices.retryTooOld, inPlace: true },
  gone: { notice: notices.retryGone, inPlace: true },
  file_gone: { notice: notices.retryFileGone, inPlace: true },
};

/** Which interrupted request: its job's id (the request id it was recorded under, a snowflake). */
interface RetryTarget {
  readonly jobId: string;
}

const PREFIX = 'verbatim:retry';

/** The custom id of this handler's component. */
const customId = (target: RetryTarget) => `${PREFIX}:${target.jobId}`;

/**
 * "Try again" under the notice of a request a restart interrupted (see `apologizeForInterruptedJobs`
 * and the pipeline's report step): only its requester may press it, within DISCORD_RETRY_HOURS. The
 * interrupted job is claimed (removed) once (`Jobs.claimRetry`), then the request runs again from
 * what the job kept, recorded as a job of its own, and its result replaces the notice. A request
 * whose data is gone (a summary deleted, an article purged, a file Discord no longer serves) says so
 * instead. Not rate-limited: it runs what was already counted.
 */
export const retryButton = {
  type: 'button',
  prefix: PREFIX,
  kind: 'retry',
  customId,
  parse: (customId: string): RetryTarget | null => {
    const jobId = dataOf(customId, PREFIX);
    return jobId ? { jobId } : null;
  },
  async run(interaction, { jobId }, ctx) {
    const claim = await ctx.bot.app.jobs.claimRetry(jobId, interaction.user.id, (file) =>
      attachmentExpired(file.url, Date.now()),
    );
    if (!claim.ok) {
      const { notice, inPlace } = REFUSALS[claim.refusal];
      await acknowledge(ctx, async () => {
        if (!inPlace) return tellPrivately(interaction, notice);
        await interaction.update({
          content: notice,
          embeds: [],
          components: [],
          allowedMentions: SAFE_MENTIONS,
        });
      });
      return 'bad_usage';
    }
    const { job } = claim;
    ctx.log.info({ retryOf: job.id, kind: claim.retry.kind }, 'retrying an interrupted request');
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    const out = new InteractionDelivery(interaction, ephemeral);
    const type = interaction.channel?.type;
    // A summary's retry as it runs here, or on a worker from the job's record (a gateway queues it).
    const retry: RetryRequest =
      claim.retry.kind === 'summarize'
        ? {
            ...claim.retry,
            private: ephemeral,
            openThread:
              claim.retry.openThread &&
              !ephemeral &&
              (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement),
          }
        : // Its answer replaces the notice (a worker's drain: the interaction's reply, not the thread).
          { kind: 'answer', conversationId: claim.retry.conversationId, question: claim.retry.question };
    return runRequest(ctx, {
      userId: job.userId,
      rateLimit: null,
      preconditions: [],
      refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
      job: jobInfo(interaction, job, retry),
      acknowledge: async () => {
        await acknowledge(ctx, () =>
          interaction.update({
            content: progress.retrying,
            embeds: [],
            components: [],
            allowedMentions: SAFE_MENTIONS,
          }),
        );
        return undefined;
      },
      run: (runCtx) => {
        if ('conversation' in claim) {
          const { conversation } = claim;
          return runCtx.bot.conversations.run(conversation.id, () =>
            runAnswer(runCtx, conversation, claim.retry.question, job.userId, out),
          );
        }
        return runSummary(
          runCtx,
          {
            input: claim.input,
            length: claim.retry.length,
            lang: claim.retry.lang,
            requesterId: job.userId,
            guildId: interaction.guildId,
            channelId: interaction.channelId,
            openThread: retry.kind === 'summarize' && retry.openThread,
          },
          out,
        );
      },
      // A question's retry is a question of its thread: its row waits there, in order, for the
      // worker that drains the thread (after the questions asked before the press).
      queued:
        retry.kind === 'summarize'
          ? { kind: 'summarize', noThreadNotice: null }
          : { kind: 'drain-thread', threadId: retry.conversationId },
    });
  },
} satisfies ButtonHandler<RetryTarget>;

/** The "Try again" button under the notice of a request a restart interrupted. */
export function retryButtonRow(jobId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: customId({ jobId }),
          label: labels.retryButton,
        },
      ],
    },
  ];
}

/** The retried request as a job of its own, answered through the button's interaction. */
function jobInfo(interaction: ButtonInteraction, job: JobRecord, retry: RetryRequest): Omit<JobInfo, 'id'> {
  return {
    kind: retry.kind,
    guildId: job.guildId,
    channelId: interaction.channelId,
    userId: job.userId,
    reply: interactionReply(interaction),
    retry,
  };
}

/**
 * Whether Discord's signed attachment URL has expired: its `ex` parameter is the expiry in Unix
 * seconds, in hexadecimal. A URL without one (older links, the test fake) is taken as valid; a
 * download that fails anyway is reported like any failed download.
 */
export function attachmentExpired(url: string, nowMs: number): boolean {
  let ex: string | null;
  try {
    ex = new URL(url).searchParams.get('ex');
  } catch {
    return true;
  }
  if (!ex || !/^[0-9a-f]{1,12}$/iu.test(ex)) return false;
  return Number.parseInt(ex, 16) * 1000 <= nowMs;
}
