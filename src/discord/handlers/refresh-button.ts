import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import type { Requester } from '../../app/budget.js';
import type { SummaryDelivery, SummaryOutcome } from '../../app/summaries.js';
import type { Result } from '../../core/result.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from '../context.js';
import { type ButtonHandler, dataOf } from '../handler.js';
import { messagesOf, SAFE_MENTIONS } from '../payloads.js';
import { interactionReply, runRequest, withProgress } from '../pipeline.js';
import { renderSummaryEmbeds, summaryQuotes } from '../render/render-summary.js';
import type { SummaryOptions } from '../requests/summary-request.js';
import { summaryButtons } from '../summary-buttons.js';
import { decodeSummaryOptions, encodeSummaryOptions } from '../summary-options.js';
import { failureMessage, labels, notices, progress as progressText } from '../texts.js';
import { placeOfInteraction } from '../where.js';
import { recordArticleLoad, recordSummaryWork } from '../work-metrics.js';

const PREFIX = 'verbatim:refresh';

/** The custom id of this handler's component. */
const customId = (options: SummaryOptions) => `${PREFIX}:${encodeSummaryOptions(options)}`;

/**
 * "Refresh" under a link's summary: fetches the page again through the same summary path as
 * `/summarize` (budgets, the engine gate), unless it was fetched less than
 * `REFRESH_MIN_INTERVAL_SECONDS` ago. Unchanged text only moves the fetch time (the result cache
 * answers, no model call); changed text replaces the summary in place, points the conversation at
 * the new text and notes it in the thread. Anyone who can see the summary may press it, rate-limited
 * like summaries: it removes nothing and makes the shared summary truer for every reader. Everything
 * it needs is kept or in the button's custom id (the summary's options), so it works after a restart.
 */
export const refreshButton = {
  type: 'button',
  prefix: PREFIX,
  customId,
  parse: (customId: string) => decodeSummaryOptions(dataOf(customId, PREFIX)),
  run(interaction, options, ctx) {
    // Only its requester sees a private summary: its message is updated through this interaction.
    const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
    return runRequest(ctx, {
      userId: interaction.user.id,
      rateLimit: 'summaries',
      preconditions: [],
      refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
      // A public refresh's pending reply is private, so a restart may edit it with an apology;
      // pressing Refresh again is the retry: the button is still there after a restart.
      job: ephemeral
        ? null
        : {
            kind: 'summarize',
            guildId: interaction.guildId,
            channelId: interaction.channelId,
            userId: interaction.user.id,
            reply: interactionReply(interaction),
            retry: null,
          },
      acknowledge: async () => {
        await acknowledge(ctx, () =>
          ephemeral ? interaction.deferUpdate() : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
        );
        return undefined;
      },
      run: (runCtx) => refreshSummary(interaction, runCtx, options, ephemeral),
    });
  },
} satisfies ButtonHandler<SummaryOptions>;

/** The "Refresh" button, between Ask and Delete under a link's summary, carrying its options. */
export function refreshButtonComponent(options: SummaryOptions): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: customId(options),
    label: labels.refreshButton,
  };
}

async function refreshSummary(
  interaction: ButtonInteraction,
  ctx: RequestContext,
  options: SummaryOptions,
  ephemeral: boolean,
): Promise<RequestOutcome> {
  const { bot, log } = ctx;
  const { summaries } = bot.app;
  const tell = async (content: string): Promise<void> => {
    if (ephemeral) {
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: SAFE_MENTIONS });
    } else {
      await interaction.editReply({ content, allowedMentions: SAFE_MENTIONS });
    }
  };
  const summaryId = interaction.message.id;
  const gone = async (): Promise<RequestOutcome> => {
    await tell(notices.conversationGone);
    return 'bad_usage';
  };
  if (!(await summaries.refreshTarget(summaryId))) return gone();

  // Queued with the conversation's questions: one in progress is answered from the text it began with.
  return bot.conversations.run(summaryId, async () => {
    const target = await summaries.refreshTarget(summaryId);
    if (!target) return gone();
    const requester = { guildId: interaction.guildId, userId: interaction.user.id };
    const outcome = await summarizeAgain(ctx, target.url, options, requester, ephemeral ? null : tell);
    if (!outcome.ok) {
      const restarting = bot.signal.aborted;
      log.info({ code: outcome.error.code, details: outcome.error.details, restarting }, 'refresh failed');
      await tell(restarting ? notices.shuttingDown : failureMessage(outcome.error));
      return outcome.error.code;
    }
    recordSummaryWork(bot.metrics, outcome.value);
    const { article, result, language, fetchedAt, articleFromCache } = outcome.value;
    const sent = target.delivery ?? undefined;
    const embeds = messagesOf(renderSummaryEmbeds(article, result, language, fetchedAt));
    // The bot edits a public summary as itself: where it may not (a plain-text summary where it may
    // not embed, a server it is not a member of) the presser gets the new summary privately, and the
    // conversation keeps the text its public summary shows.
    const place = placeOfInteraction(interaction);
    let messageIds: string[] | null = null;
    if (ephemeral || (place.canPost && place.canEmbed)) {
      messageIds = await replaceSummary(
        ctx,
        interaction,
        ephemeral,
        sent,
        embeds,
        summaryButtons(options, { quotes: summaryQuotes(article, result), articleHash: article.contentHash }),
      ).catch((err: unknown) => {
        log.warn({ err }, 'could not update the summary in place');
        return null;
      });
    }
    if (!messageIds) {
      await tell(notices.refreshNotInPlace);
      for (const part of embeds) {
        await interaction.followUp({
          embeds: part,
          flags: MessageFlags.Ephemeral,
          allowedMentions: SAFE_MENTIONS,
        });
      }
      return 'ok';
    }
    const { changed } = await summaries.refreshed(target, outcome.value, messageIds, interaction.channelId);
    const threadId = sent?.threadId ?? null;
    const at = Math.floor((fetchedAt ?? Date.now()) / 1000);
    if (changed && threadId) await noteInThread(ctx, threadId, notices.refreshedInThread(at));
    await tell(
      changed ? notices.refreshed : articleFromCache ? notices.refreshTooSoon(at) : notices.refreshUnchanged,
    );
    log.info(
      {
        articleHash: article.contentHash,
        changed,
        fromCache: { article: articleFromCache, summary: outcome.value.summaryFromCache },
        messages: messageIds.length,
      },
      'summary refreshed',
    );
    return 'ok';
  });
}

/** The summary request `/summarize url:` made, with `refresh`; progress goes to `show` when set. */
async function summarizeAgain(
  ctx: RequestContext,
  url: string,
  options: SummaryOptions,
  requester: Requester,
  show: ((text: string) => Promise<void>) | null,
): Promise<Result<SummaryOutcome>> {
  const { bot } = ctx;
  return withProgress(ctx, show ?? (async () => undefined), (progress) =>
    bot.app.summaries.summarize({
      source: { kind: 'url', url },
      length: options.length,
      lang: options.lang,
      refresh: true,
      requester,
      signal: bot.signal,
      onStep: (step) => progress.step(progressText[step]),
      onLoaded: (loaded) => recordArticleLoad(bot.metrics, loaded),
    }),
  );
}

/**
 * Replaces a summary's messages with `messages`, keeping their ids: the first (with the buttons) is
 * edited, as are the others while there are enough; a longer summary adds messages after them and a
 * shorter one deletes the surplus. A private summary's other messages belong to its own interaction,
 * whose token may have expired, so its new parts come as new private follow-ups.
 */
async function replaceSummary(
  ctx: RequestContext,
  interaction: ButtonInteraction,
  ephemeral: boolean,
  sent: SummaryDelivery | undefined,
  messages: readonly APIEmbed[][],
  components: APIActionRowComponent<APIComponentInMessageActionRow>[],
): Promise<string[]> {
  const [first = [], ...rest] = messages;
  if (ephemeral) {
    await interaction.editReply({ content: '', embeds: first, components, allowedMentions: SAFE_MENTIONS });
    const ids = [interaction.message.id];
    for (const embeds of rest) {
      const part = await interaction.followUp({
        embeds,
        flags: MessageFlags.Ephemeral,
        allowedMentions: SAFE_MENTIONS,
      });
      ids.push(part.id);
    }
    return ids;
  }
  const channel = await ctx.bot.client.channels.fetch(sent?.channelId ?? interaction.channelId);
  if (!channel?.isTextBased() || !channel.isSendable()) throw new Error('summary channel is not text-based');
  const old = sent?.messageIds ?? [interaction.message.id];
  const ids: string[] = [];
  for (const [i, embeds] of messages.entries()) {
    const id = old[i];
    if (id) {
      await channel.messages.edit(id, {
        embeds,
        components: i === 0 ? components : [],
        allowedMentions: SAFE_MENTIONS,
      });
      ids.push(id);
    } else {
      ids.push((await channel.send({ embeds, allowedMentions: SAFE_MENTIONS })).id);
    }
  }
  for (const id of old.slice(messages.length)) {
    await channel.messages
      .delete(id)
      .catch((err: unknown) => ctx.log.warn({ err, messageId: id }, 'could not delete a summary message'));
  }
  return ids;
}

async function noteInThread(ctx: RequestContext, threadId: string, content: string): Promise<void> {
  const thread = await ctx.bot.client.channels.fetch(threadId).catch(() => null);
  if (!thread?.isThread() || !thread.isSendable()) return;
  await thread
    .send({ content, allowedMentions: SAFE_MENTIONS })
    .catch((err: unknown) => ctx.log.warn({ err }, 'could not note the refresh in the thread'));
}
