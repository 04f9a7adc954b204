/**
 * Discord's error shapes. Bodies are `{ code, message }`, plus `errors` for 50035 Invalid Form
 * Body, whose tree mirrors the request body (keys and array indices) down to `_errors` lists.
 * discord.js turns them into `DiscordAPIError` with `code`, `status` and a flattened message.
 */

export interface FieldError {
  readonly code: string;
  readonly message: string;
}

/** A nested `errors` object as Discord sends it with code 50035. */
export interface ErrorTree {
  [key: string]: ErrorTree | FieldError[];
}

export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors: ErrorTree | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DiscordHttpError';
  }

  body(): Record<string, unknown> {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code };
  }
}

/** Collects field errors for one request; `toError()` gives 50035 when any were added. */
export class FormErrors {
  readonly tree: ErrorTree = {};
  #count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node: ErrorTree = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (next === undefined || Array.isArray(next)) {
        const created: ErrorTree = {};
        node[k] = created;
        node = created;
      } else {
        node = next;
      }
    }
    const list = node._errors;
    const entry = { code, message };
    if (Array.isArray(list)) list.push(entry);
    else node._errors = [entry];
    this.#count += 1;
  }

  get empty(): boolean {
    return this.#count === 0;
  }

  toError(): DiscordHttpError | null {
    return this.empty ? null : invalidFormBody(this.tree);
  }

  throwIfAny(): void {
    const error = this.toError();
    if (error) throw error;
  }
}

export const invalidFormBody = (errors: ErrorTree): DiscordHttpError =>
  new DiscordHttpError(400, 50035, 'Invalid Form Body', errors);

/** Discord's JSON error codes used by the fake, with the HTTP status each comes with. */
export const discordErrors = {
  unauthorized: () => new DiscordHttpError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordHttpError(404, 0, '404: Not Found'),
  unknownChannel: () => new DiscordHttpError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new DiscordHttpError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new DiscordHttpError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new DiscordHttpError(404, 10008, 'Unknown Message'),
  unknownUser: () => new DiscordHttpError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new DiscordHttpError(404, 10015, 'Unknown Webhook'),
  unknownApplication: () => new DiscordHttpError(404, 10002, 'Unknown Application'),
  unknownCommand: () => new DiscordHttpError(404, 10063, 'Unknown application command'),
  unknownInteraction: () => new DiscordHttpError(404, 10062, 'Unknown interaction'),
  requestTooLarge: () => new DiscordHttpError(413, 40005, 'Request entity too large'),
  alreadyAcknowledged: () => new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => new DiscordHttpError(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: () =>
    new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => new DiscordHttpError(400, 50006, 'Cannot send an empty message'),
  missingPermissions: () => new DiscordHttpError(403, 50013, 'Missing Permissions'),
  cannotSendInNonText: () => new DiscordHttpError(400, 50008, 'Cannot send messages in a non-text channel'),
  wrongChannelType: () => new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type'),
  invalidWebhookToken: () => new DiscordHttpError(401, 50027, 'Invalid Webhook Token'),
  threadAlreadyCreated: () =>
    new DiscordHttpError(400, 160004, 'A thread has already been created for this message'),
  threadArchived: () => new DiscordHttpError(400, 50083, 'Thread is archived'),
  threadLocked: () => new DiscordHttpError(403, 160005, 'Thread is locked'),
} as const;
