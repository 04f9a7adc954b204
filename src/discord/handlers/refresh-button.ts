import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessage,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type REST,
  Routes,
} from 'discord.js';
import type { Requester } from '../../app/budget.js';
import type { SummaryDelivery, SummaryOutcome } from '../../app/summaries.js';
import type { Result } from '../../core/result.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge, type RequestContext, type RequestOutcome } from '../context.js';
import { NO_MENTIONS } from '../delivery.js';
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

type Components = APIActionRowComponent<APIComponentInMessageActionRow>[];

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
    // The bot edits a public summary as itself: where it may not (a plain-text summary where it may
    // not embed, a server it is not a member of) the presser gets the new summary privately.
    const place = placeOfInteraction(interaction);
    const inPlace = ephemeral || (place.canPost && place.canEmbed);
    // On a gateway a private summary's refresh is recorded too: the worker needs its token.
    const recorded = !ephemeral || ctx.bot.queue !== null;
    return runRequest(ctx, {
      userId: interaction.user.id,
      rateLimit: 'summaries',
      preconditions: [],
      refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
      // A public refresh's pending reply is private, so a restart may edit it with an apology;
      // pressing Refresh again is the retry: the button is still there after a restart.
      job: recorded
        ? {
            kind: 'summarize',
            guildId: interaction.guildId,
            channelId: interaction.channelId,
            userId: interaction.user.id,
            reply: interactionReply(interaction),
            retry: null,
          }
        : null,
      acknowledge: async () => {
        await acknowledge(ctx, () =>
          ephemeral ? interaction.deferUpdate() : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
        );
        return undefined;
      },
      queued: {
        kind: 'refresh',
        summaryId: interaction.message.id,
        length: options.length,
        lang: options.lang,
        ephemeral,
        inPlace,
      },
      run: (runCtx) =>
        refreshSummary(runCtx, new InteractionRefreshOut(runCtx, interaction, ephemeral), {
          summaryId: interaction.message.id,
          channelId: interaction.channelId,
          requester: { guildId: interaction.guildId, userId: interaction.user.id },
          options,
          ephemeral,
          inPlace,
        }),
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

/** What a refresh needs to know of its button, kept in the job row and the queued work on a gateway. */
export interface RefreshOrder {
  readonly summaryId: string;
  /** Where the button was pressed (the summary's channel, unless its delivery says otherwise). */
  readonly channelId: string;
  readonly requester: Requester;
  readonly options: SummaryOptions;
  readonly ephemeral: boolean;
  readonly inPlace: boolean;
}

/**
 * Where a refresh is told and made: through the button's interaction (in the process that received
 * it), or through Discord's REST from its job row (a worker, see `RestRefreshOut`).
 */
export interface RefreshOut {
  /** A private summary: a private follow-up; a public one: its pending private reply, edited. */
  tell(content: string): Promise<void>;
  /** One message of the new summary, privately (it could not replace the public one). */
  showPrivately(embeds: APIEmbed[]): Promise<void>;
  /**
   * Replaces a summary's messages with `messages`, keeping their ids: the first (with the buttons)
   * is edited, as are the others while there are enough; a longer summary adds messages after them
   * and a shorter one deletes the surplus. A private summary's other messages belong to its own
   * interaction, whose token may have expired, so its new parts come as new private follow-ups.
   */
  replace(
    sent: SummaryDelivery | undefined,
    messages: readonly APIEmbed[][],
    components: Components,
  ): Promise<string[]>;
  /** A line in the summary's thread (only logged when it cannot be posted). */
  note(threadId: string, content: string): Promise<void>;
}

/** A refresh, told and made through the button's interaction and the gateway's cache. */
class InteractionRefreshOut implements RefreshOut {
  constructor(
    readonly ctx: RequestContext,
    readonly interaction: ButtonInteraction,
    readonly ephemeral: boolean,
  ) {}

  async tell(content: string): Promise<void> {
    if (this.ephemeral) {
      await this.interaction.followUp({
        content,
        flags: MessageFlags.Ephemeral,
        allowedMentions: SAFE_MENTIONS,
      });
    } else {
      await this.interaction.editReply({ content, allowedMentions: SAFE_MENTIONS });
    }
  }

  async showPrivately(embeds: APIEmbed[]): Promise<void> {
    await this.interaction.followUp({
      embeds,
      flags: MessageFlags.Ephemeral,
      allowedMentions: SAFE_MENTIONS,
    });
  }

  async replace(
    sent: SummaryDelivery | undefined,
    messages: readonly APIEmbed[][],
    components: Components,
  ): Promise<string[]> {
    const { interaction } = this;
    const [first = [], ...rest] = messages;
    if (this.ephemeral) {
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
    const channel = await this.ctx.bot.client.channels.fetch(sent?.channelId ?? interaction.channelId);
    if (!channel?.isTextBased() || !channel.isSendable())
      throw new Error('summary channel is not text-based');
    return replacePublic(this.ctx, sent?.messageIds ?? [interaction.message.id], messages, components, {
      edit: async (id, embeds, rows) =>
        void (await channel.messages.edit(id, { embeds, components: rows, allowedMentions: SAFE_MENTIONS })),
      post: async (embeds) => (await channel.send({ embeds, allowedMentions: SAFE_MENTIONS })).id,
      remove: (id) => channel.messages.delete(id),
    });
  }

  async note(threadId: string, content: string): Promise<void> {
    const thread = await this.ctx.bot.client.channels.fetch(threadId).catch(() => null);
    if (!thread?.isThread() || !thread.isSendable()) return;
    await thread
      .send({ content, allowedMentions: SAFE_MENTIONS })
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'could not note the refresh in the thread'));
  }
}

/**
 * A refresh a worker makes from its job row, through Discord's REST only: the interaction's
 * webhook (its token, in the row) for what the presser sees, the channel's routes for the public
 * summary's messages and its thread. A rerun after a crash edits the same messages again.
 */
export class RestRefreshOut implements RefreshOut {
  constructor(
    readonly ctx: RequestContext,
    readonly rest: REST,
    readonly reply: { readonly applicationId: string; readonly interactionToken: string },
    readonly order: RefreshOrder,
  ) {}

  async tell(content: string): Promise<void> {
    if (this.order.ephemeral) {
      await this.#followUp({ content, flags: MessageFlags.Ephemeral });
    } else {
      await this.#editOriginal({ content });
    }
  }

  async showPrivately(embeds: APIEmbed[]): Promise<void> {
    await this.#followUp({ embeds, flags: MessageFlags.Ephemeral });
  }

  async replace(
    sent: SummaryDelivery | undefined,
    messages: readonly APIEmbed[][],
    components: Components,
  ): Promise<string[]> {
    const [first = [], ...rest] = messages;
    if (this.order.ephemeral) {
      await this.#editOriginal({ content: '', embeds: first, components });
      const ids = [this.order.summaryId];
      for (const embeds of rest) ids.push(await this.#followUp({ embeds, flags: MessageFlags.Ephemeral }));
      return ids;
    }
    const channelId = sent?.channelId ?? this.order.channelId;
    const { rest: api } = this;
    return replacePublic(this.ctx, sent?.messageIds ?? [this.order.summaryId], messages, components, {
      edit: async (id, embeds, rows) =>
        void (await api.patch(Routes.channelMessage(channelId, id), {
          body: { embeds, components: rows, allowed_mentions: NO_MENTIONS },
        })),
      post: async (embeds) =>
        (
          (await api.post(Routes.channelMessages(channelId), {
            body: { embeds, allowed_mentions: NO_MENTIONS },
          })) as APIMessage
        ).id,
      remove: async (id) => void (await api.delete(Routes.channelMessage(channelId, id))),
    });
  }

  async note(threadId: string, content: string): Promise<void> {
    await this.rest
      .post(Routes.channelMessages(threadId), { body: { content, allowed_mentions: NO_MENTIONS } })
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'could not note the refresh in the thread'));
  }

  async #editOriginal(b: object): Promise<void> {
    const { applicationId, interactionToken } = this.reply;
    await this.rest.patch(Routes.webhookMessage(applicationId, interactionToken, '@original'), {
      body: { ...b, allowed_mentions: NO_MENTIONS },
      auth: false,
    });
  }

  async #followUp(b: object): Promise<string> {
    const { applicationId, interactionToken } = this.reply;
    const message = (await this.rest.post(Routes.webhook(applicationId, interactionToken), {
      body: { ...b, allowed_mentions: NO_MENTIONS },
      query: new URLSearchParams({ wait: 'true' }),
      auth: false,
    })) as APIMessage;
    return message.id;
  }
}

/** The public summary's messages, as one channel's edit, post and delete (see `RefreshOut.replace`). */
async function replacePublic(
  ctx: RequestContext,
  old: readonly string[],
  messages: readonly APIEmbed[][],
  components: Components,
  channel: {
    edit(id: string, embeds: APIEmbed[], components: Components): Promise<void>;
    post(embeds: APIEmbed[]): Promise<string>;
    remove(id: string): Promise<unknown>;
  },
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, embeds] of messages.entries()) {
    const id = old[i];
    if (id) {
      await channel.edit(id, embeds, i === 0 ? components : []);
      ids.push(id);
    } else {
      ids.push(await channel.post(embeds));
    }
  }
  for (const id of old.slice(messages.length)) {
    await channel
      .remove(id)
      .catch((err: unknown) => ctx.log.warn({ err, messageId: id }, 'could not delete a summary message'));
  }
  return ids;
}

/**
 * The refresh itself, the same wherever it runs: told and made through `out`. Queued with the
 * conversation's questions in this process: one in progress is answered from the text it began with.
 */
export async function refreshSummary(
  ctx: RequestContext,
  out: RefreshOut,
  order: RefreshOrder,
): Promise<RequestOutcome> {
  const { bot, log } = ctx;
  const { summaries } = bot.app;
  const { summaryId, ephemeral } = order;
  const tell = (content: string) => out.tell(content);
  const gone = async (): Promise<RequestOutcome> => {
    await tell(notices.conversationGone);
    return 'bad_usage';
  };
  if (!(await summaries.refreshTarget(summaryId))) return gone();

  return bot.conversations.run(summaryId, async () => {
    const target = await summaries.refreshTarget(summaryId);
    if (!target) return gone();
    const outcome = await summarizeAgain(
      ctx,
      target.url,
      order.options,
      order.requester,
      ephemeral ? null : tell,
    );
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
    // Where the bot may not edit the public summary the conversation keeps the text it shows.
    let messageIds: string[] | null = null;
    if (order.inPlace) {
      messageIds = await out
        .replace(
          sent,
          embeds,
          summaryButtons(order.options, {
            quotes: summaryQuotes(article, result),
            articleHash: article.contentHash,
          }),
        )
        .catch((err: unknown) => {
          log.warn({ err }, 'could not update the summary in place');
          return null;
        });
    }
    if (!messageIds) {
      await tell(notices.refreshNotInPlace);
      for (const part of embeds) await out.showPrivately(part);
      return 'ok';
    }
    const { changed } = await summaries.refreshed(target, outcome.value, messageIds, order.channelId);
    const threadId = sent?.threadId ?? null;
    const at = Math.floor((fetchedAt ?? Date.now()) / 1000);
    if (changed && threadId) await out.note(threadId, notices.refreshedInThread(at));
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
