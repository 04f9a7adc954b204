import { ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import type { SlashCommand } from '../src/discord/command.js';
import { showForgetPreview } from '../src/discord/forget-flow.js';

/** `/forget`: see what Verbatim keeps about you, and delete it (asks first; only you see it). */
export const forget = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'forget',
    description: 'See what Verbatim keeps about you (summaries, questions, usage) and delete it',
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  },
  execute: (interaction, ctx) => showForgetPreview(interaction, ctx),
} satisfies SlashCommand;
