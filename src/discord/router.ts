import { type Interaction, MessageFlags } from 'discord.js';
import type { RequestKind } from '../ops/metrics.js';
import { interactionBoundary, type Work } from './boundary.js';
import { type Command, commandKey, type MessageCommand, type SlashCommand } from './command.js';
import type { BotContext } from './context.js';
import { type ComponentHandler, prefixOf } from './handler.js';
import { SAFE_MENTIONS } from './payloads.js';
import { notices } from './texts.js';

const isSlash = (c: Command): c is SlashCommand => (c.data.type ?? 1) === 1;
const isMessageCommand = (c: Command): c is MessageCommand => c.data.type === 3;

/** What an interaction is: how it is counted, and the work that answers it. */
interface Route {
  readonly kind: RequestKind;
  readonly work: Work;
}

/**
 * Routes each interaction, inside the boundary, to its command (by type and name) or to the
 * component handler owning its custom id's prefix: two tables, built once from the lists. A
 * component's custom id is parsed by its handler before it runs; one that does not parse, or that no
 * handler owns (a stale registration, a component of an older version), is answered privately as
 * unexpected. Nothing is awaited before a handler runs, so every handler can acknowledge within
 * Discord's 3 seconds.
 */
export function createInteractionRouter(
  bot: BotContext,
  commands: readonly Command[],
  handlers: readonly ComponentHandler[],
): (interaction: Interaction) => void {
  const byCommand = new Map(commands.map((c) => [commandKey(c.data.type, c.data.name), c]));
  const byPrefix = new Map<string, ComponentHandler>();
  for (const handler of handlers) {
    const key = `${handler.type}:${handler.prefix}`;
    if (byPrefix.has(key)) throw new Error(`two handlers own the custom id prefix ${key}`);
    byPrefix.set(key, handler);
  }

  const route = (interaction: Interaction): Route | null => {
    if (interaction.isChatInputCommand()) {
      const name = interaction.commandName;
      const kind: RequestKind = name === 'ask' || name === 'summarize' ? name : 'other';
      const command = byCommand.get(commandKey(1, name));
      if (!command || !isSlash(command)) return { kind, work: unknown(interaction) };
      return { kind, work: (ctx) => command.execute(interaction, ctx) };
    }
    if (interaction.isMessageContextMenuCommand()) {
      const command = byCommand.get(commandKey(3, interaction.commandName));
      if (!command || !isMessageCommand(command)) return { kind: 'context_menu', work: unknown(interaction) };
      return { kind: 'context_menu', work: (ctx) => command.execute(interaction, ctx) };
    }
    if (interaction.isButton() || interaction.isModalSubmit() || interaction.isStringSelectMenu()) {
      const type = interaction.isButton() ? 'button' : interaction.isModalSubmit() ? 'modal' : 'select';
      const handler = byPrefix.get(`${type}:${prefixOf(interaction.customId)}`);
      const data = handler?.parse(interaction.customId) ?? null;
      if (!handler || data === null) return { kind: handler?.kind ?? 'button', work: unknown(interaction) };
      const kind = handler.kind ?? 'button';
      if (handler.type === 'button' && interaction.isButton()) {
        return { kind, work: (ctx) => handler.run(interaction, data, ctx) };
      }
      if (handler.type === 'modal' && interaction.isModalSubmit()) {
        return { kind, work: (ctx) => handler.run(interaction, data, ctx) };
      }
      if (handler.type === 'select' && interaction.isStringSelectMenu()) {
        return { kind, work: (ctx) => handler.run(interaction, data, ctx) };
      }
      return { kind, work: unknown(interaction) };
    }
    if (interaction.isMessageComponent()) return { kind: 'button', work: unknown(interaction) };
    // Autocomplete and other kinds Verbatim does not use: not requests.
    return null;
  };

  return (interaction) => {
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
    const found = route(interaction);
    if (found) bot.track(interactionBoundary(bot, interaction, found.kind, found.work));
  };
}

/** Not a request this version knows (a stale command registration, an old or forged component). */
function unknown(interaction: Interaction): Work {
  return async (ctx) => {
    ctx.log.warn('unknown interaction');
    if (interaction.isRepliable()) {
      await interaction.reply({
        content: notices.unexpected(interaction.id),
        flags: MessageFlags.Ephemeral,
        allowedMentions: SAFE_MENTIONS,
      });
    }
    return 'bad_usage';
  };
}
