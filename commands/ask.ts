import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord.js';
import { answerQueued } from '../src/discord/asking.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { InteractionDelivery } from '../src/discord/delivery.js';
import { interactionReply } from '../src/discord/jobs.js';
import { notices } from '../src/discord/messages.js';
import { MAX_QUESTION_CHARS } from '../src/discord/payloads.js';

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
  async execute(interaction, ctx) {
    const refuse = (content: string) => acknowledge(ctx, () => tellPrivately(interaction, content));
    if (!interaction.channel?.isThread()) {
      await refuse(notices.notASummaryThread);
      return 'bad_usage';
    }
    const wait = await ctx.bot.rateLimits.take('questions', interaction.user.id);
    if (wait !== null) {
      await refuse(notices.questionsRateLimited(wait));
      return 'rate_limited';
    }
    await acknowledge(ctx, () => interaction.deferReply());
    const conversation = await ctx.bot.app.conversations.get(interaction.channelId);
    if (!conversation) {
      await tellPrivately(interaction, notices.notASummaryThread);
      return 'bad_usage';
    }
    return answerQueued(
      ctx,
      conversation,
      interaction.options.getString('question', true),
      interaction.user.id,
      new InteractionDelivery(interaction, false),
      interactionReply(interaction),
    );
  },
} satisfies SlashCommand;
