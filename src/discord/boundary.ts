import { type Interaction, type Message, MessageFlags, type RepliableInteraction } from 'discord.js';
import { runWithRequestId } from '../log.js';
import type { RequestKind } from '../ops/metrics.js';
import type { BotContext, RequestContext, RequestOutcome } from './context.js';
import { SAFE_MENTIONS } from './payloads.js';
import { notices } from './texts.js';

/**
 * What a handler returns: how the request ended (`ok` when it returns nothing), or null when the
 * event was not a request after all (a message the bot ignores), which is then not counted.
 */
export type Work = (ctx: RequestContext) => Promise<RequestOutcome | null | undefined>;

/**
 * The one place an interaction's work runs: with a child logger carrying the interaction id, and a
 * catch that logs the error in full and tells the user in one private sentence with that id (never
 * the error itself). Nothing escapes to discord.js's `error` event. Counts the request and its
 * duration by kind and outcome.
 */
export async function interactionBoundary(
  bot: BotContext,
  interaction: Interaction,
  kind: RequestKind,
  work: Work,
): Promise<void> {
  const receivedAt = performance.now();
  const log = bot.log.child({
    requestId: interaction.id,
    interactionId: interaction.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    userId: interaction.user.id,
    command: interactionName(interaction),
  });
  try {
    const outcome = await runWithRequestId(interaction.id, () =>
      work({ bot, log, requestId: interaction.id, kind, receivedAt }),
    );
    count(bot, kind, outcome, receivedAt);
  } catch (err) {
    count(bot, kind, 'error', receivedAt);
    log.error({ err }, 'interaction failed');
    if (!interaction.isRepliable()) return;
    await tellPrivately(interaction, notices.unexpected(interaction.id)).catch((e: unknown) =>
      log.warn({ err: e }, 'could not tell the user about the failure'),
    );
  }
}

/**
 * The same boundary for a message the bot acts on (a mention, a question in a thread, a reaction
 * to it: then `userId` is who reacted).
 */
export async function messageBoundary(
  bot: BotContext,
  message: Message,
  kind: RequestKind,
  work: Work,
  userId: string = message.author.id,
): Promise<void> {
  const receivedAt = performance.now();
  const log = bot.log.child({
    requestId: message.id,
    messageId: message.id,
    guildId: message.guildId,
    channelId: message.channelId,
    userId,
  });
  try {
    const outcome = await runWithRequestId(message.id, () =>
      work({ bot, log, requestId: message.id, kind, receivedAt }),
    );
    count(bot, kind, outcome, receivedAt);
  } catch (err) {
    count(bot, kind, 'error', receivedAt);
    log.error({ err }, 'message handling failed');
    await message
      .reply({
        content: notices.unexpected(message.id),
        allowedMentions: SAFE_MENTIONS,
        failIfNotExists: false,
      })
      .catch((e: unknown) => log.warn({ err: e }, 'could not tell the user about the failure'));
  }
}

/**
 * Says `content` to the interaction's user alone, whatever state the interaction is in: a first
 * reply, an edit of a private pending reply, or (after a public deferral, whose first follow-up
 * Discord would show publicly) removal of the pending reply and a private follow-up.
 */
export async function tellPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const options = { content, allowedMentions: SAFE_MENTIONS };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...options, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply({ ...options, embeds: [], components: [] });
  } else {
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...options, flags: MessageFlags.Ephemeral });
  }
}

function count(
  bot: BotContext,
  kind: RequestKind,
  outcome: RequestOutcome | null | undefined,
  receivedAt: number,
): void {
  if (outcome === null) return;
  bot.metrics.requests.inc({ kind, outcome: outcome ?? 'ok' });
  bot.metrics.requestDuration.observe({ kind }, (performance.now() - receivedAt) / 1000);
}

function interactionName(interaction: Interaction): string {
  if (interaction.isCommand()) return interaction.commandName;
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return interaction.customId;
  return `type-${interaction.type}`;
}
