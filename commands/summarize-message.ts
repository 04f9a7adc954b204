import { ApplicationCommandType, ApplicationIntegrationType, InteractionContextType } from 'discord.js';
import { resolveSummaryOptions } from '../src/app/server-settings.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { MessageCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { sourceInMessage } from '../src/discord/message-content.js';
import { runRequest } from '../src/discord/pipeline.js';
import { summaryFromInteraction } from '../src/discord/requests/summary-request.js';
import { notices } from '../src/discord/texts.js';

/**
 * The "Summarize" message command (Apps menu on any message): its first link, else its first
 * attachment, else its text. The target arrives in full even without the Message Content intent.
 * Length, language and privacy are the server's defaults (`/settings`), else standard, the user's
 * Discord language, public.
 */
export const summarizeMessage = {
  data: {
    type: ApplicationCommandType.Message,
    name: 'Summarize',
    // Also for users who install the app themselves: anywhere they are, even without the bot user
    // (the answer then comes through the interaction alone; see src/discord/where.ts).
    integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
    contexts: [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
  },
  async execute(interaction, ctx) {
    const input = sourceInMessage(interaction.targetMessage) ?? { refusal: notices.nothingInMessage };
    const defaults = await ctx.bot.app.settings.defaultsInTime(interaction.guildId);
    if (!defaults.ok) {
      await acknowledge(ctx, () => tellPrivately(interaction, notices.queueDown));
      return 'busy';
    }
    const options = resolveSummaryOptions(
      { length: null, language: null, private: null },
      defaults.value,
      interaction.locale,
    );
    return runRequest(ctx, summaryFromInteraction(interaction, ctx, input, options));
  },
} satisfies MessageCommand;
