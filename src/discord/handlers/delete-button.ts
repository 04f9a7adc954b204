import {
  type APIButtonComponent,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  type Message,
  MessageFlags,
} from 'discord.js';
import { acknowledge, type RequestContext, type RequestOutcome } from '../context.js';
import type { ButtonHandler } from '../handler.js';
import { SAFE_MENTIONS } from '../payloads.js';
import { closeThread, deleteSummaryMessages } from '../summary-removal.js';
import { labels, notices } from '../texts.js';
import { placeOfInteraction } from '../where.js';

const PREFIX = 'verbatim:delete';

/** The custom id of this handler's component. */
const customId = () => PREFIX;

/**
 * "Delete": only the requester may. Forgets the conversation first (so nothing more is answered
 * from it), then deletes the summary's messages and the bot's messages in its thread, and closes
 * the thread (renamed, archived, locked when permitted).
 */
export const deleteButton = {
  type: 'button',
  prefix: PREFIX,
  customId,
  parse: (customId: string) => (customId === PREFIX ? {} : null),
  run: (interaction, _data, ctx) => deleteSummary(interaction, ctx),
} satisfies ButtonHandler<Record<string, never>>;

/** The "Delete" button, last under every summary. */
export function deleteButtonComponent(): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: customId(),
    label: labels.deleteButton,
  };
}

async function deleteSummary(interaction: ButtonInteraction, ctx: RequestContext): Promise<RequestOutcome> {
  const summaryId = interaction.message.id;
  // Only its requester ever sees an ephemeral summary: its message is updated in place. So is one
  // where the bot user is not (a server or DM where only users installed the app): the bot may not
  // touch that channel itself, only the message the button is on, through the interaction.
  const ephemeral = interaction.message.flags.has(MessageFlags.Ephemeral);
  const inPlace = ephemeral || placeOfInteraction(interaction).kind === 'elsewhere';
  await acknowledge(ctx, () =>
    inPlace ? interaction.deferUpdate() : interaction.deferReply({ flags: MessageFlags.Ephemeral }),
  );
  const deleted = await ctx.bot.app.summaries.delete(summaryId, interaction.user.id);
  const unrecorded =
    deleted.status === 'unrecorded' ? await deleteUnrecordedSummary(interaction, ctx, ephemeral) : null;
  if (unrecorded) return unrecorded;
  if (deleted.status !== 'deleted') {
    const content = deleted.status === 'not_requester' ? notices.notRequester : notices.conversationGone;
    if (inPlace) {
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: SAFE_MENTIONS });
    } else {
      await interaction.editReply({ content, allowedMentions: SAFE_MENTIONS });
    }
    return 'bad_usage';
  }
  const sent = deleted.delivery;

  const channelId = sent?.channelId ?? interaction.channelId;
  if (inPlace) {
    await interaction.deleteReply();
    // The rest of a long summary, where the bot can reach it (else only logged).
    await deleteSummaryMessages(ctx, channelId, ephemeral ? [] : (sent?.messageIds.slice(1) ?? []));
  } else {
    await deleteSummaryMessages(ctx, channelId, sent?.messageIds ?? [summaryId]);
    if (sent?.threadId) await closeThread(ctx, sent.threadId);
  }
  ctx.log.info({ summaryId }, 'summary deleted by its requester');
  await interaction.followUp({
    content: notices.deleted,
    flags: MessageFlags.Ephemeral,
    allowedMentions: SAFE_MENTIONS,
  });
  return 'ok';
}

/** How many messages after a summary are searched for the rest of it (a summary is a few messages). */
const SUMMARY_TAIL_SEARCH = 20;

/**
 * "Delete" on a summary the store no longer keeps (retention purged its conversation and its list
 * of messages): Discord itself still says who asked, in the interaction metadata of a summary made
 * by a command, so its requester can still remove it and close its thread; anyone else is refused.
 * Returns null when nothing says who asked (a summary sent in reply to a mention), leaving the
 * caller to say the conversation is gone. The interaction is already acknowledged.
 */
async function deleteUnrecordedSummary(
  interaction: ButtonInteraction,
  ctx: RequestContext,
  ephemeral: boolean,
): Promise<RequestOutcome | null> {
  const metadata = interaction.message.interactionMetadata;
  if (!metadata) return null;
  if (metadata.user.id !== interaction.user.id) {
    if (ephemeral) {
      await interaction.followUp({
        content: notices.notRequester,
        flags: MessageFlags.Ephemeral,
        allowedMentions: SAFE_MENTIONS,
      });
    } else {
      await interaction.editReply({ content: notices.notRequester, allowedMentions: SAFE_MENTIONS });
    }
    return 'bad_usage';
  }
  if (ephemeral) {
    await interaction.deleteReply();
  } else {
    const ids = (await summaryMessages(ctx, interaction.message)).map((m) => m.id);
    await deleteSummaryMessages(ctx, interaction.message.channelId, ids);
    if (interaction.message.hasThread) await closeThread(ctx, interaction.message.id);
  }
  ctx.log.info(
    { summaryId: interaction.message.id },
    'summary deleted by its requester after its data was purged',
  );
  await interaction.followUp({
    content: notices.deleted,
    flags: MessageFlags.Ephemeral,
    allowedMentions: SAFE_MENTIONS,
  });
  return 'ok';
}

/** The summary's first message and the bot's later messages answering the same interaction. */
async function summaryMessages(ctx: RequestContext, first: Message): Promise<Message[]> {
  const interactionId = first.interactionMetadata?.id;
  const later = await first.channel.messages
    .fetch({ after: first.id, limit: SUMMARY_TAIL_SEARCH })
    .catch(() => null);
  const rest = [...(later?.values() ?? [])].filter(
    (m) => m.author.id === ctx.bot.client.user?.id && m.interactionMetadata?.id === interactionId,
  );
  return [first, ...rest];
}
