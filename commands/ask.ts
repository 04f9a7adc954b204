import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { InteractionDelivery } from '../src/discord/delivery.js';
import { MAX_QUESTION_CHARS } from '../src/discord/payloads.js';
import { interactionReply, runRequest } from '../src/discord/pipeline.js';
import { questionRequest } from '../src/discord/requests/question-request.js';
import { notices } from '../src/discord/texts.js';

/** `/ask question`, inside a summary's thread: answered from the article, with quotes. */
export const ask = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'ask',
    description: 'Ask a question about the article this thread is about',
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question; the answer comes from the article, with quotes',
        required: true,
        max_length: MAX_QUESTION_CHARS,
      },
    ],
  },
  execute(interaction, ctx) {
    return runRequest(
      ctx,
      questionRequest({
        question: interaction.options.getString('question', true),
        userId: interaction.user.id,
        guildId: interaction.guildId,
        channelId: interaction.channelId,
        // Asked inside a summary's thread, whose id is the summary's: its conversation's id.
        conversationId: interaction.channelId,
        reply: interactionReply(interaction),
        preconditions: [
          () =>
            interaction.channel?.isThread() ? null : { code: 'bad_usage', notice: notices.notASummaryThread },
        ],
        refuse: (notice) => acknowledge(ctx, () => tellPrivately(interaction, notice)),
        acknowledge: async () => {
          await acknowledge(ctx, () => interaction.deferReply());
          return undefined;
        },
        resolve: async (runCtx) => {
          const conversation = await runCtx.bot.app.conversations.get(interaction.channelId);
          if (!conversation) {
            await tellPrivately(interaction, notices.notASummaryThread);
            return 'bad_usage';
          }
          return { conversation, out: new InteractionDelivery(interaction, false) };
        },
      }),
    );
  },
} satisfies SlashCommand;
