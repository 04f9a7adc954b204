import type {
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { RequestContext, RequestOutcome } from './context.js';

/** A slash command: its definition (as registered by deploy-commands) and its handler. */
export interface SlashCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: RequestContext): Promise<RequestOutcome>;
}

/** A message context-menu command ("Apps → Summarize" on a message). */
export interface MessageCommand {
  readonly data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: RequestContext): Promise<RequestOutcome>;
}

export type Command = SlashCommand | MessageCommand;

/** The key a command is found by: its type (1 slash, 3 message) and name. */
export function commandKey(type: number | undefined, name: string): string {
  return `${type ?? 1}:${name}`;
}
