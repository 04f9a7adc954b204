import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
} from 'discord.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { SAFE_MENTIONS } from '../src/discord/payloads.js';
import { budgetText } from '../src/discord/texts.js';

/**
 * `/usage`, privately: today's model tokens and requests for this server and for the caller, the
 * limits in force and what remains, and when they reset. In a DM, only the caller's.
 */
export const usage = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'usage',
    description: 'How much of today’s AI model budget this server and you have used',
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },
  async execute(interaction, ctx) {
    const { budgets } = ctx.bot.app;
    if (!budgets.usesModel) {
      await acknowledge(ctx, () => tellPrivately(interaction, budgetText.offlineOnly));
      return 'ok';
    }
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const report = await budgets.usageToday({ guildId: interaction.guildId, userId: interaction.user.id });
    await interaction.editReply({ content: budgetText.usage(report), allowedMentions: SAFE_MENTIONS });
    return 'ok';
  },
} satisfies SlashCommand;
