import { fail, ok, type Result } from '../core/result.js';
import type { SummaryLength } from '../engines/engine.js';
import { type GuildSettings, UNSET_SERVER_DEFAULTS } from '../store/store.js';
import type { Parts } from './parts.js';

/**
 * How long an acknowledgement may wait on a server's defaults, in ms: Discord drops an interaction
 * not acknowledged within 3 s, and the acknowledgement itself needs some of them.
 */
export const DEFAULTS_BEFORE_ACK_MS = 1500;

/**
 * How long a guild's defaults read for an acknowledgement are used again without reading, in ms:
 * a burst of requests in one server costs one read, not one each before every acknowledgement. A
 * change made through this process applies at once; one made through another process (a second
 * gateway) within this time.
 */
export const DEFAULTS_REUSE_MS = 5000;

/** Guilds whose recent defaults are kept at most (beyond, those older than DEFAULTS_REUSE_MS are dropped). */
const RECENT_GUILDS = 10_000;

/** The emoji whose reaction asks for a summary where a server chose none. */
export const DEFAULT_REACTION_EMOJI = '📰';

/**
 * A server's defaults for summaries (`/settings`), as every way in reads them: one record, the
 * guild's settings row, shared with the budgets.
 */
export interface ServerDefaults {
  /** null: the bot's default (standard). */
  readonly length: SummaryLength | null;
  /** A BCP 47 code, `original` (the article's own), or null: each reader's Discord language. */
  readonly language: string | null;
  /** Whether interaction summaries are private unless the request says otherwise. */
  readonly privateSummaries: boolean;
  /** The emoji as stored: Unicode, or `<:name:id>` / `<a:name:id>`; null: `DEFAULT_REACTION_EMOJI`. */
  readonly reactionEmoji: string | null;
  /** The admin who last changed the guild's settings (budgets included); null once forgotten. */
  readonly updatedBy: string | null;
  /** Milliseconds since the epoch; null when never set. */
  readonly updatedAt: number | null;
}

/** Which defaults `/settings` changes: `undefined` keeps a value, null puts back the bot's own. */
export interface ServerDefaultsChange {
  readonly length?: SummaryLength | null;
  readonly language?: string | null;
  readonly privateSummaries?: boolean;
  readonly reactionEmoji?: string | null;
}

/** What one request asked for itself; null where it left the choice to the server. */
export interface AskedSummaryOptions {
  readonly length: SummaryLength | null;
  /** A BCP 47 code, `original`, or null. */
  readonly language: string | null;
  readonly private: boolean | null;
}

/** The options a summary is made with, once the request's own and the server's are combined. */
export interface ResolvedSummaryOptions {
  readonly length: SummaryLength;
  /** BCP 47, or null for the article's own language. */
  readonly lang: string | null;
  readonly private: boolean;
}

const NONE: ServerDefaults = {
  length: UNSET_SERVER_DEFAULTS.summaryLength,
  language: UNSET_SERVER_DEFAULTS.summaryLanguage,
  privateSummaries: UNSET_SERVER_DEFAULTS.privateSummaries,
  reactionEmoji: UNSET_SERVER_DEFAULTS.reactionEmoji,
  updatedBy: null,
  updatedAt: null,
};

/**
 * The request's options first, then the server's defaults, then the bot's: standard length, the
 * reader's Discord language (`readerLanguage`; null where there is no reader's locale, a mention or
 * a reaction: the article's own) and public.
 */
export function resolveSummaryOptions(
  asked: AskedSummaryOptions,
  defaults: ServerDefaults,
  readerLanguage: string | null,
): ResolvedSummaryOptions {
  const language = asked.language ?? defaults.language;
  return {
    length: asked.length ?? defaults.length ?? 'standard',
    lang: language === 'original' ? null : (language ?? readerLanguage),
    private: asked.private ?? defaults.privateSummaries,
  };
}

/**
 * Whether `text` is one emoji a reaction can be: a custom emoji as Discord writes it
 * (`<:name:id>`, `<a:name:id>`; names 2–32 word characters) or one Unicode emoji (a pictograph,
 * keycap or flag with its joiners and modifiers, at most 32 code points). Linear: no pattern here
 * backtracks.
 */
export function isReactionEmoji(text: string): boolean {
  if (/^<a?:\w{2,32}:\d{17,20}>$/u.test(text)) return true;
  const points = [...text];
  if (points.length === 0 || points.length > 32) return false;
  if (!points.some((p) => /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(p))) return false;
  return points.every((p) =>
    /\p{Extended_Pictographic}|\p{Emoji_Component}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u200d\ufe0f\u20e3]/u.test(
      p,
    ),
  );
}

/**
 * Whether a reaction's emoji (`id` for a custom one, else its Unicode `name`) is the one `configured`
 * (as stored; null: the default). Variation selectors are ignored: Discord may send 🗞 for 🗞️.
 */
export function isConfiguredReaction(
  configured: string | null,
  emoji: { readonly id: string | null; readonly name: string | null },
): boolean {
  const wanted = configured ?? DEFAULT_REACTION_EMOJI;
  const custom = /^<a?:\w+:(\d+)>$/u.exec(wanted);
  if (custom) return emoji.id === custom[1];
  const plain = (s: string) => s.replaceAll('\ufe0f', '');
  return emoji.id === null && emoji.name !== null && plain(emoji.name) === plain(wanted);
}

/**
 * Server defaults (`/settings`) as use cases: read by every way a summary is asked for, changed by
 * the server's admins, kept in the guild's settings row with its budgets (so purged with the guild,
 * and no longer naming an admin who used `/forget`).
 */
export class ServerSettings {
  readonly #parts: Parts;
  /** Defaults read for acknowledgements, by guild, with when they were read (see `defaultsInTime`). */
  readonly #recent = new Map<string, { readonly at: number; readonly defaults: ServerDefaults }>();

  constructor(parts: Parts) {
    this.#parts = parts;
  }

  /** A guild's defaults (null: outside a guild, the bot's own). */
  async defaults(guildId: string | null): Promise<ServerDefaults> {
    if (guildId === null) return NONE;
    const settings = await this.#parts.store.getGuildSettings(guildId);
    return settings ? fromSettings(settings) : NONE;
  }

  /**
   * A guild's defaults when an acknowledgement waits on them (whether a summary is private decides
   * how it is acknowledged): those read in the last DEFAULTS_REUSE_MS, else the store's answer, or a
   * `busy` failure when the store fails or does not answer within `withinMs` (PostgreSQL
   * unreachable), so that the user can still be told to try again shortly.
   */
  async defaultsInTime(
    guildId: string | null,
    withinMs: number = DEFAULTS_BEFORE_ACK_MS,
  ): Promise<Result<ServerDefaults>> {
    if (guildId === null) return ok(NONE);
    const recent = this.#recent.get(guildId);
    if (recent && this.#parts.now() - recent.at < DEFAULTS_REUSE_MS) return ok(recent.defaults);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), withinMs);
    });
    try {
      const read = await Promise.race([this.defaults(guildId), late]);
      if (read) {
        this.#remember(guildId, read);
        return ok(read);
      }
      this.#parts.log.warn({ guildId, waitedMs: withinMs }, 'server settings not read in time');
    } catch (err) {
      this.#parts.log.warn({ err, guildId }, 'could not read server settings');
    } finally {
      clearTimeout(timer);
    }
    return fail('busy', 'The settings store did not answer in time.', { step: 'settings' });
  }

  #remember(guildId: string, defaults: ServerDefaults): void {
    const now = this.#parts.now();
    if (this.#recent.size >= RECENT_GUILDS) {
      for (const [id, entry] of this.#recent) {
        if (now - entry.at >= DEFAULTS_REUSE_MS) this.#recent.delete(id);
      }
    }
    this.#recent.set(guildId, { at: now, defaults });
  }

  /** Changes a guild's defaults, keeping its budgets and whatever `change` leaves out; returns them. */
  async change(guildId: string, change: ServerDefaultsChange, by: string): Promise<ServerDefaults> {
    const { store, now } = this.#parts;
    if (change.reactionEmoji && !isReactionEmoji(change.reactionEmoji)) {
      throw new RangeError(`not an emoji: ${JSON.stringify(change.reactionEmoji)}`);
    }
    const current = await store.getGuildSettings(guildId);
    const settings: GuildSettings = {
      dailyTokens: null,
      memberDailyTokens: null,
      ...UNSET_SERVER_DEFAULTS,
      ...current,
      ...(change.length === undefined ? {} : { summaryLength: change.length }),
      ...(change.language === undefined ? {} : { summaryLanguage: change.language }),
      ...(change.privateSummaries === undefined ? {} : { privateSummaries: change.privateSummaries }),
      ...(change.reactionEmoji === undefined ? {} : { reactionEmoji: change.reactionEmoji }),
      guildId,
      updatedBy: by,
      updatedAt: now(),
    };
    await store.putGuildSettings(settings);
    const changed = fromSettings(settings);
    this.#recent.set(guildId, { at: now(), defaults: changed });
    return changed;
  }

  /**
   * Claims the one summary a reaction asks for on a message: true for the first reaction (in any
   * process), false for every later one until `releaseReaction` (the summary could not be made).
   */
  claimReaction(guildId: string, messageId: string): Promise<boolean> {
    return this.#parts.store.claimReactionSummary({ messageId, guildId, claimedAt: this.#parts.now() });
  }

  /** Gives back a reaction's claim so that a later reaction may try again. */
  async releaseReaction(messageId: string): Promise<void> {
    await this.#parts.store.releaseReactionSummary(messageId);
  }
}

function fromSettings(settings: GuildSettings): ServerDefaults {
  return {
    length: settings.summaryLength,
    language: settings.summaryLanguage,
    privateSummaries: settings.privateSummaries,
    reactionEmoji: settings.reactionEmoji,
    updatedBy: settings.updatedBy,
    updatedAt: settings.updatedAt,
  };
}
