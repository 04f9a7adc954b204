import { type ButtonInteraction, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { tellPrivately } from './boundary.js';
import { closeThread, deleteSummaryMessages } from './components.js';
import { acknowledge, type RequestContext, type RequestOutcome } from './context.js';
import { type ForgottenAboutUser, notices } from './messages.js';
import { CUSTOM_IDS, forgetButtons, SAFE_MENTIONS } from './payloads.js';

/**
 * `/forget`: privately shows the caller what the store keeps about them (counts, never contents),
 * with Confirm and Cancel buttons bound to them; nothing is deleted until they confirm.
 */
export async function showForgetPreview(
  interaction: ChatInputCommandInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
  const kept = await ctx.bot.app.userData.preview(interaction.user.id);
  const empty = kept.threads + kept.turns + kept.usageDays + kept.jobs === 0;
  await interaction.editReply({
    content: empty ? notices.forgetNothing : notices.forgetPreview(kept),
    components: empty ? [] : forgetButtons(interaction.user.id),
    allowedMentions: SAFE_MENTIONS,
  });
  return 'ok';
}

/**
 * `/forget`'s buttons. Only the user they were made for may press them (anyone else is told so and
 * nothing happens). Confirm deletes everything the store keeps about that user and the bot's
 * summary messages of their summaries, then says what was deleted; Cancel deletes nothing.
 */
export async function onForgetButton(
  interaction: ButtonInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  const [action, ownerId] = interaction.customId.slice(CUSTOM_IDS.forget.length + 1).split(':');
  if (interaction.user.id !== ownerId) {
    await acknowledge(ctx, () => tellPrivately(interaction, notices.notYourButtons));
    return 'bad_usage';
  }
  if (action !== 'confirm') {
    await acknowledge(ctx, () =>
      interaction.update({
        content: notices.forgetCancelled,
        components: [],
        allowedMentions: SAFE_MENTIONS,
      }),
    );
    return 'ok';
  }
  // Removing the buttons first means a second press cannot start a second deletion.
  await acknowledge(ctx, () =>
    interaction.update({ content: notices.forgetWorking, components: [], allowedMentions: SAFE_MENTIONS }),
  );
  const done = await forgetEverything(ctx, ownerId);
  ctx.log.info({ ...done }, 'user data forgotten at their request');
  await interaction.editReply({ content: notices.forgotten(done), allowedMentions: SAFE_MENTIONS });
  return 'ok';
}

/**
 * Deletes what the store keeps about a user: first each conversation they requested (with its
 * pasted text when nothing else refers to it), so nothing more is answered from it, then the rest
 * (`forgetUser`), and last the bot's messages of those summaries, where Discord still lets it.
 */
async function forgetEverything(ctx: RequestContext, userId: string): Promise<ForgottenAboutUser> {
  const { deliveries, ...forgotten } = await ctx.bot.app.userData.forget(userId);
  let messages = 0;
  for (const sent of deliveries) {
    // Private summaries' messages cannot be deleted as the bot: expected, so only logged at debug.
    messages += await deleteSummaryMessages(ctx, sent.channelId, sent.messageIds, 'debug');
    if (sent.threadId) await closeThread(ctx, sent.threadId);
  }
  return { ...forgotten, messages };
}
