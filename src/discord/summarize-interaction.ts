import {
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import { retrySourceOf } from '../app/jobs.js';
import type { SummaryLength } from '../engines/engine.js';
import { checkAttachment } from './attachments.js';
import { tellPrivately } from './boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from './context.js';
import { InteractionDelivery } from './delivery.js';
import { interactionReply, withJob } from './jobs.js';
import { notices } from './messages.js';
import type { SourceInput } from './sources.js';
import { runSummary } from './summarize-flow.js';
import { noThreadNotice, placeOfInteraction } from './where.js';

export interface SummaryOptions {
  readonly length: SummaryLength;
  /** BCP 47, or null for the article's own language. */
  readonly lang: string | null;
  readonly private: boolean;
}

/**
 * A summary asked for through an interaction (`/summarize`, the "Summarize" message command).
 * Refusals that need no I/O (nothing given, a file too big or of the wrong type, the user's rate
 * limit) are the acknowledgement itself, privately; anything else is deferred at once and then
 * worked on, the reply edited with progress and finally the summary.
 */
export async function summarizeFromInteraction(
  interaction:
    | ChatInputCommandInteraction
    | MessageContextMenuCommandInteraction
    | (ModalSubmitInteraction & { readonly channelId: string }),
  ctx: RequestContext,
  input: SourceInput | { readonly refusal: string },
  options: SummaryOptions,
): Promise<RequestOutcome> {
  const refuse = async (content: string, outcome: RequestOutcome): Promise<RequestOutcome> => {
    await acknowledge(ctx, () => tellPrivately(interaction, content));
    return outcome;
  };
  if ('refusal' in input) return refuse(input.refusal, 'bad_usage');
  const { config } = ctx.bot;
  if (input.kind === 'attachment') {
    const refused = checkAttachment(input.attachment, config.DISCORD_MAX_ATTACHMENT_BYTES);
    if (refused) {
      ctx.log.info({ size: input.attachment.size, type: input.attachment.contentType }, 'attachment refused');
      return refuse(refused.notice, refused.code);
    }
  }
  const wait = await ctx.bot.rateLimits.take('summaries', interaction.user.id);
  if (wait !== null) {
    ctx.log.info({ waitMs: wait }, 'user rate limited');
    return refuse(notices.summariesRateLimited(wait), 'rate_limited');
  }
  const place = placeOfInteraction(interaction);
  const openThread = !options.private && place.thread.ok;
  // Recorded before the acknowledgement: a restart at any point after it finds the job.
  return withJob(
    ctx,
    {
      kind: 'summarize',
      guildId: interaction.guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      reply: interactionReply(interaction),
      retry: {
        kind: 'summarize',
        source: retrySourceOf(input),
        length: options.length,
        lang: options.lang,
        private: options.private,
        openThread,
      },
    },
    async (jobCtx) => {
      await acknowledge(jobCtx, () =>
        interaction.deferReply(options.private ? { flags: MessageFlags.Ephemeral } : {}),
      );
      await jobCtx.bot.afterAcknowledgements();
      return runSummary(
        jobCtx,
        {
          input,
          length: options.length,
          lang: options.lang,
          requesterId: interaction.user.id,
          guildId: interaction.guildId,
          channelId: interaction.channelId,
          openThread,
          noThreadNotice: options.private ? null : noThreadNotice(place),
        },
        new InteractionDelivery(interaction, options.private),
      );
    },
  );
}
