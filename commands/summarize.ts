import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  type ChatInputCommandInteraction,
  InteractionContextType,
} from 'discord.js';
import { parseMessageLink } from '../src/app/message-link.js';
import { resolveSummaryOptions } from '../src/app/server-settings.js';
import { tellPrivately } from '../src/discord/boundary.js';
import type { SlashCommand } from '../src/discord/command.js';
import { acknowledge, type RequestContext } from '../src/discord/context.js';
import { pasteModal } from '../src/discord/handlers/paste-modal.js';
import { LANGUAGE_CHOICES, LENGTH_CHOICES } from '../src/discord/languages.js';
import { attachmentInfo } from '../src/discord/message-content.js';
import { openMessageLink } from '../src/discord/message-link.js';
import { runRequest } from '../src/discord/pipeline.js';
import {
  type LaterInput,
  type SummaryInput,
  type SummaryOptions,
  summaryFromInteraction,
} from '../src/discord/requests/summary-request.js';
import { notices } from '../src/discord/texts.js';
import { placeOfInteraction } from '../src/discord/where.js';
import type { SummaryLength } from '../src/engines/engine.js';

/** `/summarize url|text|file [length] [language] [private]`. */
export const summarize = {
  data: {
    type: ApplicationCommandType.ChatInput,
    name: 'summarize',
    description: 'Summarize an article: key points, each backed by a quote from it',
    // Also for users who install the app themselves: anywhere they are, even without the bot user
    // (the answer then comes through the interaction alone; see src/discord/where.ts).
    integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
    contexts: [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'Link to the article (a web page or a PDF)',
        max_length: 2000,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'text',
        description:
          'The article’s text, pasted (longer: give no url, text or file for a paste form; or upload a file)',
        max_length: 6000,
      },
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'file',
        description: 'The article as a file: .txt, .md, .html or .pdf',
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'length',
        description: 'How long the summary should be (default: the server’s, else standard)',
        choices: LENGTH_CHOICES,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'language',
        description: 'Language of the summary (default: the server’s, else your Discord language)',
        choices: LANGUAGE_CHOICES,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Only you see the summary (no thread; ask with the button). Default: the server’s',
      },
    ],
  },
  async execute(interaction, ctx) {
    const url = interaction.options.getString('url');
    const text = interaction.options.getString('text');
    const file = interaction.options.getAttachment('file');
    const given = [url, text, file].filter((v) => v !== null).length;
    const options = await summaryOptions(interaction, ctx);
    if (!options) {
      await acknowledge(ctx, () => tellPrivately(interaction, notices.queueDown));
      return 'busy';
    }
    if (given === 0) {
      // Nothing to summarize yet: the "Paste an article" form (a modal must be the first response).
      await acknowledge(ctx, () => interaction.showModal(pasteModal.modal(options)));
      return 'ok';
    }
    const link = url !== null && given === 1 ? parseMessageLink(url.trim().replace(/^<(.+)>$/u, '$1')) : null;
    // A message link is read through Discord, as the requester may see it; never fetched as a page.
    const seenOnlyByRequester = options.private || placeOfInteraction(interaction).kind === 'dm';
    // Opened after the rate limit and the acknowledgement: reading it may be slow (Discord's REST).
    const input: SummaryInput | LaterInput = link
      ? { later: () => openMessageLink(interaction, link, seenOnlyByRequester) }
      : given > 1
        ? { refusal: notices.oneSource }
        : url !== null
          ? { kind: 'url', url: url.trim().replace(/^<(.+)>$/u, '$1') }
          : text !== null
            ? { kind: 'text', text, source: 'discord:text' }
            : file
              ? { kind: 'attachment', attachment: attachmentInfo(file) }
              : { refusal: notices.noSource };
    return runRequest(ctx, summaryFromInteraction(interaction, ctx, input, options));
  },
} satisfies SlashCommand;

/**
 * The `length`, `language` and `private` options, each falling back to the server's default
 * (`/settings`), then to the bot's: standard, the user's Discord language, public. Null when the
 * server's defaults could not be read in time (the store unreachable).
 */
async function summaryOptions(
  interaction: ChatInputCommandInteraction,
  ctx: RequestContext,
): Promise<SummaryOptions | null> {
  const defaults = await ctx.bot.app.settings.defaultsInTime(interaction.guildId);
  if (!defaults.ok) return null;
  return resolveSummaryOptions(
    {
      length: interaction.options.getString('length') as SummaryLength | null,
      language: interaction.options.getString('language'),
      private: interaction.options.getBoolean('private'),
    },
    defaults.value,
    interaction.locale,
  );
}
