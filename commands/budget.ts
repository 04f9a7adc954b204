import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import type { UsageReport } from '../src/app/budget.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { SAFE_MENTIONS } from '../src/discord/payloads.js';
import { budgetText } from '../src/discord/texts.js';

/**
 * `/budget [server_tokens] [member_tokens] [reset]`, for members with Manage Server: lowers this
 * server's daily model budget, or each member's, below the operator's (never above: a larger value
 * is cut to it, and the reply says so); `reset` restores the operator's defaults. Without options it
 * shows what is in force. Who may run it is Discord's to enforce (`default_member_permissions`),
 * so a server that grants it to another role under Integrations gets what it chose.
 */
export const budget = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'budget',
    description: 'See or lower this server’s daily AI model budget (tokens)',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'server_tokens',
        description: 'Tokens the whole server may use per day (0: offline engine only)',
        min_value: 0,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'member_tokens',
        description: 'Tokens each member may use per day (0: offline engine only)',
        min_value: 0,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'reset',
        description: 'Go back to the bot’s defaults first (then apply any tokens given)',
      },
    ],
  },
  async execute(interaction, ctx) {
    const { budgets } = ctx.bot.app;
    const say = (content: string) => acknowledge(ctx, () => tellPrivately(interaction, content));
    const guildId = interaction.guildId;
    if (guildId === null) {
      await say(budgetText.guildOnly);
      return 'bad_usage';
    }
    if (!budgets.usesModel) {
      await say(budgetText.offlineOnly);
      return 'ok';
    }
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const server = interaction.options.getInteger('server_tokens');
    const member = interaction.options.getInteger('member_tokens');
    const reset = interaction.options.getBoolean('reset') ?? false;
    const userId = interaction.user.id;
    if (server === null && member === null && !reset) {
      const report = await budgets.usageToday({ guildId, userId });
      await interaction.editReply({
        content: [budgetText.current, inForce(report), '', budgetText.howToChange].join('\n'),
        allowedMentions: SAFE_MENTIONS,
      });
      return 'ok';
    }
    const { report } = await budgets.setGuildBudget(
      guildId,
      {
        ...(server !== null ? { dailyTokens: server } : reset ? { dailyTokens: null } : {}),
        ...(member !== null ? { memberDailyTokens: member } : reset ? { memberDailyTokens: null } : {}),
      },
      userId,
    );
    ctx.log.info({ server, member, reset, limits: report.limits }, 'guild budget changed');
    const clamped = [
      server !== null && report.sources.guild === 'ceiling' && report.limits.guild !== null
        ? budgetText.clamped(server, report.limits.guild)
        : null,
      member !== null && report.sources.member === 'ceiling' && report.limits.member !== null
        ? budgetText.clamped(member, report.limits.member)
        : null,
    ].filter((line): line is string => line !== null);
    await interaction.editReply({
      content: [budgetText.updated, inForce(report), ...clamped].join('\n'),
      allowedMentions: SAFE_MENTIONS,
    });
    return 'ok';
  },
} satisfies SlashCommand;

function inForce(report: UsageReport): string {
  return budgetText.inForce(report.limits, report.sources);
}
