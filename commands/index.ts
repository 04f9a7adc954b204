import type { Command } from '../src/discord/command.js';
import { ask } from './ask.js';
import { autosummarize } from './autosummarize.js';
import { budget } from './budget.js';
import { forget } from './forget.js';
import { settings } from './settings.js';
import { summarize } from './summarize.js';
import { summarizeMessage } from './summarize-message.js';
import { usage } from './usage.js';

/** Every command Verbatim registers and handles; `deploy-commands` registers exactly these. */
export const commands: readonly Command[] = [
  summarize,
  ask,
  summarizeMessage,
  usage,
  budget,
  settings,
  forget,
  autosummarize,
];
