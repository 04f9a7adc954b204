import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import {
  isReactionEmoji,
  type ServerDefaults,
  type ServerDefaultsChange,
} from '../src/app/server-settings.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge } from '../src/discord/context.js';
import { LANGUAGE_CHOICES, LENGTH_CHOICES } from '../src/discord/languages.js';
import { SAFE_MENTIONS } from '../src/discord/payloads.js';
import { settingsText } from '../src/discord/texts.js';
import type { SummaryLength } from '../src/engines/engine.js';

/** What `reset:` can put back to the bot's own behaviour. */
type ResetChoice = 'all' | 'length' | 'language' | 'private' | 'reaction_emoji';

/**
 * `/settings [length] [language] [private] [reaction_emoji] [reset]`, for members with Manage
 * Server: this server's defaults for summaries, which a request's own options still override, and
 * the emoji whose reaction asks for a summary. `reset` applies first, then the options given.
 * Without options it shows the defaults in force, privately. Who may run it is Discord's to enforce
 * (`default_member_permissions`), as for `/budget`.
 */
export const settings = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'settings',
    description: 'See or change this server’s defaults for summaries and the reaction that asks for one',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'length',
        description: 'Default summary length',
        choices: LENGTH_CHOICES,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'language',
        description: 'Default summary language (reset: language puts back each reader’s Discord language)',
        choices: LANGUAGE_CHOICES,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Only the person who asks sees summaries from /summarize and the Summarize menu',
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'reaction_emoji',
        description: 'The emoji whose reaction asks me to summarize a message (default 📰)',
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'reset',
        description: 'Put a setting (or all) back to the bot’s default, before applying the others given',
        choices: [
          { name: 'All of them', value: 'all' },
          { name: 'Length (standard)', value: 'length' },
          { name: 'Language (each reader’s Discord language)', value: 'language' },
          { name: 'Private (no)', value: 'private' },
          { name: 'Reaction emoji (📰)', value: 'reaction_emoji' },
        ],
      },
    ],
  },
  async execute(interaction, ctx) {
    const guildId = interaction.guildId;
    if (guildId === null) {
      await acknowledge(ctx, () => tellPrivately(interaction, settingsText.guildOnly));
      return 'bad_usage';
    }
    const emoji = interaction.options.getString('reaction_emoji')?.trim() ?? null;
    if (emoji !== null && !isReactionEmoji(emoji)) {
      await acknowledge(ctx, () => tellPrivately(interaction, settingsText.notAnEmoji(emoji)));
      return 'bad_usage';
    }
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const { settings: serverSettings } = ctx.bot.app;
    const reset = interaction.options.getString('reset') as ResetChoice | null;
    const resets = (name: ResetChoice) => reset === 'all' || reset === name;
    const length = interaction.options.getString('length') as SummaryLength | null;
    const language = interaction.options.getString('language');
    const privately = interaction.options.getBoolean('private');
    const change: ServerDefaultsChange = {
      ...(length !== null ? { length } : resets('length') ? { length: null } : {}),
      ...(language !== null ? { language } : resets('language') ? { language: null } : {}),
      ...(privately !== null
        ? { privateSummaries: privately }
        : resets('private')
          ? { privateSummaries: false }
          : {}),
      ...(emoji !== null
        ? { reactionEmoji: emoji }
        : resets('reaction_emoji')
          ? { reactionEmoji: null }
          : {}),
    };
    if (Object.keys(change).length === 0) {
      const defaults = await serverSettings.defaults(guildId);
      await interaction.editReply({
        content: shown(settingsText.current, defaults, settingsText.howToChange),
        allowedMentions: SAFE_MENTIONS,
      });
      return 'ok';
    }
    const defaults = await serverSettings.change(guildId, change, interaction.user.id);
    ctx.log.info({ changed: Object.keys(change), reset }, 'server defaults changed');
    await interaction.editReply({
      content: shown(settingsText.updated, defaults, null),
      allowedMentions: SAFE_MENTIONS,
    });
    return 'ok';
  },
} satisfies SlashCommand;

function shown(heading: string, defaults: ServerDefaults, footer: string | null): string {
  const changed = settingsText.lastChanged(defaults.updatedBy, defaults.updatedAt);
  return [
    heading,
    ...settingsText.lines(defaults),
    ...(changed ? [changed] : []),
    ...(footer ? ['', footer] : []),
  ].join('\n');
}
