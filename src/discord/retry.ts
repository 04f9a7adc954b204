import { type ButtonInteraction, ChannelType, MessageFlags } from 'discord.js';
import type { Conversation } from '../app/service.js';
import type { JobRecord } from '../store/store.js';
import { runAnswer } from './answer-flow.js';
import { tellPrivately } from './boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from './context.js';
import { InteractionDelivery } from './delivery.js';
import {
  interactionReply,
  type JobInfo,
  parseJobPayload,
  type RetryRequest,
  type RetrySource,
  withJob,
} from './jobs.js';
import { notices, progress } from './messages.js';
import { CUSTOM_IDS, SAFE_MENTIONS } from './payloads.js';
import type { SourceInput } from './sources.js';
import { runSummary } from './summarize-flow.js';

type Summary = Extract<RetryRequest, { kind: 'summarize' }>;
type Question = Extract<RetryRequest, { kind: 'answer' }>;

/** What a retry runs on, or the notice saying why it cannot run any more. */
type Ready =
  | { readonly kind: 'summarize'; readonly retry: Summary; readonly input: SourceInput }
  | { readonly kind: 'answer'; readonly retry: Question; readonly conversation: Conversation }
  | { readonly notice: string };

/**
 * "Try again" under the notice of a request a restart interrupted (see `apologizeForInterruptedJobs`
 * and `tellStoppedByShutdown`): only its requester may press it, within DISCORD_RETRY_HOURS. The
 * interrupted job is claimed (removed) once, then the request runs again from what the job kept,
 * recorded as a job of its own, and its result replaces the notice. A request whose data is gone
 * (a summary deleted, an article purged, a file Discord no longer serves) says so instead.
 */
export async function onRetryButton(
  interaction: ButtonInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  const { store } = ctx.bot.service;
  const jobId = interaction.customId.slice(CUSTOM_IDS.retry.length + 1);
  const refuse = (content: string) => acknowledge(ctx, () => tellPrivately(interaction, content));
  const job = (await store.unfinishedJobs()).find((j) => j.id === jobId);
  const retry = job ? parseJobPayload(job.payload).retry : null;
  if (!job || !retry) {
    await refuse(notices.retryTaken);
    return 'bad_usage';
  }
  if (job.userId !== interaction.user.id) {
    await refuse(notices.retryNotYours);
    return 'bad_usage';
  }
  const tooOld = Date.now() - job.startedAt > ctx.bot.config.DISCORD_RETRY_HOURS * 3_600_000;
  const ready = tooOld ? { notice: notices.retryTooOld } : await prepare(ctx, retry);
  if ('notice' in ready) {
    await store.finishJob(job.id);
    await acknowledge(ctx, () =>
      interaction.update({
        content: ready.notice,
        embeds: [],
        components: [],
        allowedMentions: SAFE_MENTIONS,
      }),
    );
    return 'bad_usage';
  }
  // Whoever removes the job runs it: a second press (or a second process) finds it gone.
  if (!(await store.finishJob(job.id))) {
    await refuse(notices.retryTaken);
    return 'bad_usage';
  }
  ctx.log.info({ retryOf: job.id, kind: retry.kind }, 'retrying an interrupted request');
  return withJob(ctx, jobInfo(interaction, job, retry), async (jobCtx) => {
    await acknowledge(jobCtx, () =>
      interaction.update({
        content: progress.retrying,
        embeds: [],
        components: [],
        allowedMentions: SAFE_MENTIONS,
      }),
    );
    await jobCtx.bot.afterAcknowledgements();
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    const out = new InteractionDelivery(interaction, ephemeral);
    if (ready.kind === 'answer') {
      const { record } = ready.conversation;
      return jobCtx.bot.conversations.run(record.threadId, () =>
        runAnswer(jobCtx, ready.conversation, ready.retry.question, job.userId, out),
      );
    }
    const type = interaction.channel?.type;
    return runSummary(
      jobCtx,
      {
        input: ready.input,
        length: ready.retry.length,
        lang: ready.retry.lang,
        requesterId: job.userId,
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        openThread:
          ready.retry.openThread &&
          !ephemeral &&
          (type === ChannelType.GuildText || type === ChannelType.GuildAnnouncement),
      },
      out,
    );
  });
}

/** The retried request as a job of its own, answered through the button's interaction. */
function jobInfo(interaction: ButtonInteraction, job: JobRecord, retry: RetryRequest): JobInfo {
  return {
    kind: retry.kind,
    guildId: job.guildId,
    channelId: interaction.channelId,
    userId: job.userId,
    reply: interactionReply(interaction),
    retry,
  };
}

/** Loads what the retry needs: the conversation of a question, the source of a summary. */
async function prepare(ctx: RequestContext, retry: RetryRequest): Promise<Ready> {
  if (retry.kind === 'answer') {
    const conversation = await ctx.bot.service.conversation(retry.conversationId);
    if (!conversation?.article) return { notice: notices.conversationGone };
    return { kind: 'answer', retry, conversation };
  }
  const input = await sourceInput(ctx, retry.source);
  return 'notice' in input ? input : { kind: 'summarize', retry, input };
}

async function sourceInput(
  ctx: RequestContext,
  source: RetrySource,
): Promise<SourceInput | { notice: string }> {
  switch (source.kind) {
    case 'stored': {
      const stored = await ctx.bot.service.store.getArticle(source.contentHash);
      return stored ? { kind: 'article', article: stored.article } : { notice: notices.retryGone };
    }
    case 'attachment':
      return attachmentExpired(source.attachment.url, Date.now())
        ? { notice: notices.retryFileGone }
        : { kind: 'attachment', attachment: source.attachment };
    default:
      return source;
  }
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
