import { REST, type RESTPutAPIApplicationCommandsResult, Routes } from 'discord.js';
import type { Command } from './command.js';

export interface DeployOptions {
  readonly token: string;
  readonly applicationId: string;
  /** Register to this guild only (instant), else globally (may take up to an hour to appear). */
  readonly guildId: string | null;
  readonly apiUrl: string;
}

/** Registers exactly `commands` (replacing any others) through Discord's bulk-overwrite route. */
export async function deployCommands(
  commands: readonly Command[],
  options: DeployOptions,
): Promise<RESTPutAPIApplicationCommandsResult> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await rest.put(route, {
    body: commands.map((c) => c.data),
  })) as RESTPutAPIApplicationCommandsResult;
}
