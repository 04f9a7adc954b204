import type { ButtonInteraction, ModalSubmitInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { RequestKind } from '../ops/metrics.js';
import type { RequestContext, RequestOutcome } from './context.js';

/**
 * A button or a modal, registered like a command (Sapphire's InteractionHandler): it owns the
 * custom ids under its prefix, making them (`customId`) and reading them back into typed data
 * (`parse`) — no other file encodes or decodes them — then `run`s with that data. Custom ids carry
 * everything a handler needs, so a button keeps working after a restart.
 */
interface Handler<T> {
  /** `verbatim:<name>`: the handler's ids are the prefix alone or `<prefix>:<data>`. */
  readonly prefix: string;
  /** How requests through it are counted in metrics; default `button`. */
  readonly kind?: RequestKind;
  /** `data` as a custom id, within Discord's 100 characters. */
  customId(data: T): string;
  /** A custom id under the prefix → its data, or null when it is malformed (an old or forged component). */
  parse(customId: string): T | null;
}

export interface ButtonHandler<T> extends Handler<T> {
  readonly type: 'button';
  run(interaction: ButtonInteraction, data: T, ctx: RequestContext): Promise<RequestOutcome>;
}

export interface ModalHandler<T> extends Handler<T> {
  readonly type: 'modal';
  run(interaction: ModalSubmitInteraction, data: T, ctx: RequestContext): Promise<RequestOutcome>;
}

/** Any registered component handler (buttons, modals, string select menus) (their data types differ; each checks its own). */
// biome-ignore lint/suspicious/noExplicitAny: a table of handlers with different data types
export type ComponentHandler = ButtonHandler<any> | ModalHandler<any> | SelectHandler<any>;

/** The handler prefix of a custom id: its first two `:`-separated segments. */
export function prefixOf(customId: string): string {
  return customId.split(':', 2).join(':');
}

/** The data after `prefix:` in a custom id, or null when the id is not under `prefix`. */
export function dataOf(customId: string, prefix: string): string | null {
  return customId.startsWith(`${prefix}:`) ? customId.slice(prefix.length + 1) : null;
}

export interface SelectHandler<T> extends Handler<T> {
  readonly type: 'select';
  run(interaction: StringSelectMenuInteraction, data: T, ctx: RequestContext): Promise<RequestOutcome>;
}
