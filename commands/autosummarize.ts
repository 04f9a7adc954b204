import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { parseDomains } from '../src/app/auto-summaries.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge, type RequestContext, type RequestOutcome } from '../src/discord/context.js';
import { SAFE_MENTIONS } from '../src/discord/payloads.js';
import { autoText } from '../src/discord/texts.js';
import { judgePlace } from '../src/discord/where.js';
import { SUMMARY_LENGTHS, type SummaryLength } from '../src/engines/engine.js';

const AUTO_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/**
 * `/autosummarize [state] [channel] [include] [exclude] [length]`: turns auto-summaries on or off in
 * a channel (default: this one). Alone, lists the channels where they are on. Every answer is
 * private. Discord enforces who may run it (`default_member_permissions`: Manage Channels, which
 * server admins have; a server may grant it to other roles under Integrations). Turning it on
 * without the Message Content intent is refused with how to enable it: the bot would not see links.
 */
export const autosummarize = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'autosummarize',
    description: 'Summarize links people post in a channel by themselves, or list where that is on',
    default_member_permissions: PermissionFlagsBits.ManageChannels.toString(),
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'state',
        description: 'Turn auto-summaries on or off',
        choices: [
          { name: 'on', value: 'on' },
          { name: 'off', value: 'off' },
        ],
      },
      {
        type: ApplicationCommandOptionType.Channel,
        name: 'channel',
        description: 'The channel (default: this one)',
        channel_types: [...AUTO_CHANNEL_TYPES],
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'include',
        description: 'Only links to these domains (comma-separated, e.g. example.com)',
        max_length: 500,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'exclude',
        description: 'Never links to these domains (comma-separated)',
        max_length: 500,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'length',
        description: 'Summary length (default: standard)',
        choices: SUMMARY_LENGTHS.map((l) => ({ name: l, value: l })),
      },
    ],
  },
  async execute(interaction, ctx) {
    const guildId = interaction.guildId;
    if (guildId === null) {
      await acknowledge(ctx, () => tellPrivately(interaction, autoText.guildOnly));
      return 'bad_usage';
    }
    const state = interaction.options.getString('state');
    const other = ['channel', 'include', 'exclude', 'length'].some(
      (name) => interaction.options.get(name) !== null,
    );
    if (state === null && other) {
      await acknowledge(ctx, () => tellPrivately(interaction, autoText.chooseState));
      return 'bad_usage';
    }
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const say = async (content: string, outcome: RequestOutcome): Promise<RequestOutcome> => {
      await interaction.editReply({ content, allowedMentions: SAFE_MENTIONS });
      return outcome;
    };
    if (state === null) return say(await listing(ctx, guildId), 'ok');
    const channelId = interaction.options.getChannel('channel')?.id ?? interaction.channelId;
    if (state === 'off') {
      const was = await ctx.bot.app.autoSummaries.turnOff(channelId);
      ctx.log.info({ channelId, was }, 'auto-summaries turned off');
      return say(was ? autoText.off(channelId) : autoText.wasOff(channelId), 'ok');
    }
    return turnOn(interaction, ctx, guildId, channelId, say);
  },
} satisfies SlashCommand;

async function listing(ctx: RequestContext, guildId: string): Promise<string> {
  const channels = await ctx.bot.app.autoSummaries.channels(guildId);
  const text = channels.length === 0 ? autoText.none : autoText.list(channels);
  return ctx.bot.config.DISCORD_MESSAGE_CONTENT ? text : `${text}\n${autoText.noIntentList}`;
}

async function turnOn(
  interaction: ChatInputCommandInteraction,
  ctx: RequestContext,
  guildId: string,
  channelId: string,
  say: (content: string, outcome: RequestOutcome) => Promise<RequestOutcome>,
): Promise<RequestOutcome> {
  if (!ctx.bot.config.DISCORD_MESSAGE_CONTENT) return say(autoText.noIntent, 'unsupported_option');
  const include = parseDomains(interaction.options.getString('include'));
  if (include === null) return say(autoText.badDomains('include'), 'bad_usage');
  const exclude = parseDomains(interaction.options.getString('exclude'));
  if (exclude === null) return say(autoText.badDomains('exclude'), 'bad_usage');
  const length = SUMMARY_LENGTHS.find((l) => l === interaction.options.getString('length')) ?? null;

  const channel = interaction.guild?.channels.cache.get(channelId) ?? null;
  const me = ctx.bot.client.user;
  if (!channel || !(AUTO_CHANNEL_TYPES as readonly ChannelType[]).includes(channel.type) || !me) {
    return say(autoText.wrongChannel, 'bad_usage');
  }
  const place = judgePlace({
    channelType: channel.type,
    inGuild: true,
    botPresent: true,
    permissions: channel.permissionsFor(me)?.bitfield ?? null,
  });
  if (!place.canPost) return say(autoText.cannotPost(channelId, place.missingToPost), 'bad_usage');
  const options: { include: string[]; exclude: string[]; length: SummaryLength | null } = {
    include,
    exclude,
    length,
  };
  await ctx.bot.app.autoSummaries.turnOn({ guildId, channelId }, options, interaction.user.id);
  ctx.log.info({ channelId, include, exclude, length }, 'auto-summaries turned on');
  const noThread =
    !place.thread.ok && place.thread.code === 'missing_permissions' ? place.thread.missing : null;
  return say(
    [autoText.on(channelId, options), ...(noThread ? [autoText.noThreadThere(noThread)] : [])].join('\n'),
    'ok',
  );
}
