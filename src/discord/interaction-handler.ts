import { type Interaction, MessageFlags } from 'discord.js';
import { interactionBoundary } from './boundary.js';
import { type Command, commandKey, type MessageCommand, type SlashCommand } from './command.js';
import { onAskButton, onAskModal, onDeleteButton } from './components.js';
import type { BotContext } from './context.js';
import { onForgetButton } from './forget-flow.js';
import { notices } from './messages.js';
import { onPasteModal } from './paste.js';
import { CUSTOM_IDS, SAFE_MENTIONS } from './payloads.js';
import { onRefreshButton } from './refresh-flow.js';
import { onRetryButton } from './retry.js';

const isSlash = (c: Command): c is SlashCommand => (c.data.type ?? 1) === 1;
const isMessageCommand = (c: Command): c is MessageCommand => c.data.type === 3;

/**
 * Routes each interaction to its command or component handler inside the boundary. Nothing is
 * awaited before a handler runs, so every handler can acknowledge within Discord's 3 seconds.
 */
export function createInteractionHandler(bot: BotContext, commands: readonly Command[]) {
  const byKey = new Map(commands.map((c) => [commandKey(c.data.type, c.data.name), c]));
  return (interaction: Interaction): void => {
    if (!bot.accepting) {
      if (interaction.isRepliable()) {
        void interaction
          .reply({
            content: notices.shuttingDown,
            flags: MessageFlags.Ephemeral,
            allowedMentions: SAFE_MENTIONS,
          })
          .catch(() => undefined);
      }
      return;
    }
    bot.track(
      interactionBoundary(bot, interaction, async (ctx) => {
        if (interaction.isChatInputCommand()) {
          const command = byKey.get(commandKey(1, interaction.commandName));
          if (command && isSlash(command)) return command.execute(interaction, ctx);
        } else if (interaction.isMessageContextMenuCommand()) {
          const command = byKey.get(commandKey(3, interaction.commandName));
          if (command && isMessageCommand(command)) return command.execute(interaction, ctx);
        } else if (interaction.isButton()) {
          if (interaction.customId === CUSTOM_IDS.ask) return onAskButton(interaction, ctx);
          if (interaction.customId === CUSTOM_IDS.delete) return onDeleteButton(interaction, ctx);
          if (interaction.customId.startsWith(`${CUSTOM_IDS.forget}:`))
            return onForgetButton(interaction, ctx);
          if (interaction.customId.startsWith(`${CUSTOM_IDS.refresh}:`))
            return onRefreshButton(interaction, ctx);
          if (interaction.customId.startsWith(`${CUSTOM_IDS.retry}:`)) return onRetryButton(interaction, ctx);
        } else if (interaction.isModalSubmit()) {
          if (interaction.customId.startsWith(`${CUSTOM_IDS.askModal}:`)) return onAskModal(interaction, ctx);
          if (interaction.customId.startsWith(`${CUSTOM_IDS.pasteModal}:`))
            return onPasteModal(interaction, ctx);
        } else {
          // Autocomplete and other kinds Verbatim does not use: not requests.
          return null;
        }
        // A command or component this version does not know (stale registration, old message).
        ctx.log.warn('unknown interaction');
        if (interaction.isRepliable()) {
          await interaction.reply({
            content: notices.unexpected(interaction.id),
            flags: MessageFlags.Ephemeral,
            allowedMentions: SAFE_MENTIONS,
          });
        }
        return 'bad_usage';
      }),
    );
  };
}
