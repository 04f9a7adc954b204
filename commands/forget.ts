import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { forgetButtonRow } from '../src/discord/handlers/forget-buttons.js';
import { SAFE_MENTIONS } from '../src/discord/payloads.js';
import { notices } from '../src/discord/texts.js';

/**
 * `/forget`: see what Verbatim keeps about you, and delete it. Privately shows the caller what is
 * kept about them (counts, never contents), with Confirm and Cancel buttons bound to them (see
 * `forgetButtons`); nothing is deleted until they confirm.
 */
export const forget = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'forget',
    description: 'See what Verbatim keeps about you (summaries, questions, usage) and delete it',
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },
  async execute(interaction, ctx) {
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const kept = await ctx.bot.app.userData.preview(interaction.user.id);
    const empty =
      kept.threads + kept.turns + kept.usageDays + kept.jobs + kept.autoSummaryChannels + kept.settings === 0;
    await interaction.editReply({
      content: empty ? notices.forgetNothing : notices.forgetPreview(kept),
      components: empty ? [] : forgetButtonRow(interaction.user.id),
      allowedMentions: SAFE_MENTIONS,
    });
    return 'ok';
  },
} satisfies SlashCommand;
