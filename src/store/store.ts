import type { Article } from '../article/article.js';
import type { Cache } from '../core/cache.js';
import type { Claim, SummaryLength } from '../engines/engine.js';

/**
 * What Verbatim keeps across restarts: fetched articles, computed results (through `cache`),
 * follow-up threads and their turns, where each summary was delivered, the guilds the bot is in,
 * daily usage and in-flight jobs. Async so that PostgreSQL can implement
 * it; SQLite (better-sqlite3) is the default. Both backends pass the same conformance tests
 * (test/store/conformance.ts).
 *
 * Ids are plain strings (Discord snowflakes, but the store knows nothing of Discord). Times are
 * milliseconds since the Unix epoch, taken from the `now` option unless a method receives one.
 * Unreadable rows (corrupted JSON, a text whose hash no longer matches) are treated as absent:
 * readers return `undefined` or skip them, log a warning naming the table and key, and never throw.
 * Bugs (closed store, unserializable values, bad arguments) throw.
 */
export interface Store {
  readonly backend: 'sqlite' | 'postgres';

  /**
   * A persistent, size-bounded LRU key-value cache (values are JSON) for what can be computed again:
   * summaries and answers, under keys built from (article hash, task, options, engine, model, prompt
   * version), so the same request is never sent to a model twice while its entry is within
   * `maxCacheEntries` and its TTL. Never records: it may forget any entry at any time.
   */
  readonly cache: Cache;

  /** The highest migration applied to this database (see migrations.ts). */
  schemaVersion(): Promise<number>;

  /**
   * Stores an article once per text (by `contentHash`) and records its request and canonical URLs
   * as aliases fetched at `fetchedAt`. Storing the same text again refreshes its metadata and
   * times. Unreferenced articles beyond `maxCacheEntries` are evicted, least recently used first.
   */
  putArticle(article: Article, source: ArticleSource): Promise<void>;

  /**
   * The article last stored under this URL (request or canonical, already normalized by the
   * caller), if it was fetched less than `maxAgeSeconds` ago. `fetchedAt` is when that URL was
   * fetched.
   */
  getArticleByUrl(normalizedUrl: string, maxAgeSeconds: number): Promise<StoredArticle | undefined>;

  /** The article with this text hash, however old (threads refer to articles by hash). */
  getArticle(contentHash: string): Promise<StoredArticle | undefined>;

  /** Creates or updates a thread. Updating never touches its turns. */
  putThread(thread: ThreadRecord): Promise<void>;
  getThread(threadId: string): Promise<ThreadRecord | undefined>;
  /**
   * The conversation most recently started in a channel (its `channelId`), e.g. a summary posted
   * inside a thread or forum post, which opens no thread of its own.
   */
  latestThreadIn(channelId: string): Promise<ThreadRecord | undefined>;
  /** Deletes a thread and its turns; false if there was none. */
  deleteThread(threadId: string): Promise<boolean>;

  /** Appends a turn; false (nothing stored) if the thread does not exist, e.g. it was just purged. */
  appendTurn(threadId: string, turn: NewTurn): Promise<boolean>;
  /** The last `limit` readable turns of a thread, oldest first (in the order they were appended). */
  recentTurns(threadId: string, limit: number): Promise<StoredTurn[]>;

  /** Adds one request's tokens to the (guild, user, day) counters atomically. */
  addUsage(entry: UsageEntry): Promise<void>;
  /** Totals for a day in a guild, for one user or (no `userId`) for everyone. Zeros if none. */
  getUsage(query: UsageQuery): Promise<UsageTotals>;

  /**
   * Reserves a model call's estimated tokens if they fit: the day's recorded usage, plus the
   * reservations of that day not expired (at `now`), plus `reservation.tokens`, must not exceed
   * `limits.guild` for the guild nor `limits.user` for the user in it (null: no limit). Check and
   * insert are one atomic step across every process sharing the database, so concurrent calls
   * never together overshoot a limit. Expired reservations of the guild are deleted on the way.
   * Returns which limit (guild first) refused it.
   */
  reserveUsage(reservation: UsageReservation, limits: ReservationLimits): Promise<ReservationOutcome>;
  /** Moves a live reservation's expiry (its holder is still working); false if it is gone. */
  renewReservation(id: string, expiresAt: number): Promise<boolean>;
  /**
   * Ends a reservation: deletes it and adds `usage` (if any) to the counters in one transaction, so
   * that no reader counts the call twice or not at all. Harmless if the reservation is already gone.
   */
  settleReservation(id: string, usage: UsageEntry | null): Promise<void>;

  /** What a guild's admins set (`/budget`, `/settings`), or undefined when they never did. */
  getGuildSettings(guildId: string): Promise<GuildSettings | undefined>;
  /** Creates or replaces a guild's settings (every field: callers keep what they do not change). */
  putGuildSettings(settings: GuildSettings): Promise<void>;

  /**
   * Claims a message for the one summary a reaction asks for: true when this call recorded it, false
   * when it already was (by anyone, in any process). Atomic. Claims name no user; they go with their
   * guild (`purgeGuild`) and with retention (`claimedAt` before the cutoff).
   */
  claimReactionSummary(claim: ReactionClaim): Promise<boolean>;
  /** Gives a claim back (the summary could not be made), so a later reaction may try; false if none. */
  releaseReactionSummary(messageId: string): Promise<boolean>;

  /**
   * Creates or replaces where a summary was delivered (a refresh may change its messages). Kept
   * until the summary is deleted, its requester forgotten, its guild purged, or retention purges its
   * conversation; never evicted.
   */
  putDelivery(delivery: SummaryDelivery): Promise<void>;
  /** Where a summary was delivered, or undefined when it is not (or no longer) recorded. */
  getDelivery(summaryId: string): Promise<SummaryDelivery | undefined>;
  /** Deletes a summary's delivery record; false if there was none. */
  deleteDelivery(summaryId: string): Promise<boolean>;
  /** The deliveries of the summaries a user requested, oldest first (what `/forget` removes). */
  deliveriesRequestedBy(userId: string): Promise<SummaryDelivery[]>;

  /**
   * Records that the bot is a member of these guilds, as `shard` saw them at `seenAt` (ms). A
   * guild recorded again moves to the latest shard and time. Membership rows are not personal and
   * not purged by retention: only `purgeGuild` (the bot left the guild) deletes one.
   */
  recordGuildMemberships(guildIds: readonly string[], shard: ShardRef, seenAt: number): Promise<void>;
  /**
   * Guilds recorded as members and not seen since `before` (ms): the guilds a process that just
   * recorded every guild it sees was removed from while nobody watched. `shards` null: every row (a
   * process running every shard); else only rows recorded under the same shard count by one of
   * `shards.ids`, so a process running some shards never judges guilds it cannot see.
   */
  guildsNotSeenSince(before: number, shards: ShardSet | null): Promise<string[]>;

  /** Records work in progress so a restart can answer or apologise. Re-recording an id replaces it. */
  recordJob(job: JobRecord): Promise<void>;
  /** Removes a job; false if it was not recorded (or already finished). */
  finishJob(id: string): Promise<boolean>;
  /** Jobs recorded and not finished, oldest first. */
  unfinishedJobs(): Promise<JobRecord[]>;
  /** One recorded, unfinished job by its id; undefined once finished (or never recorded). */
  getJob(id: string): Promise<JobRecord | undefined>;
  /**
   * Replaces a recorded job's payload only while it is recorded: false (nothing written) once it is
   * finished, so a late writer (a worker whose job another worker already finished) cannot bring it back.
   */
  updateJobPayload(id: string, payload: unknown): Promise<boolean>;

  /**
   * Deletes what the store holds about a user: threads they requested (with every turn in them and
   * their summaries' delivery records), turns they asked in other threads, their jobs, usage rows and
   * budget reservations, and the links they posted that were auto-summarized; guild settings (`UserDataCounts.settings`) and
   * auto-summary channels they changed keep their values but no longer name them. Articles and cached model results are not personal (they
   * are keyed by text and request) and stay.
   */
  forgetUser(userId: string): Promise<PurgeCounts>;
  /**
   * Deletes a guild's threads (with turns and delivery records), jobs, usage rows and budget
   * reservations, its membership,
   * reaction claims, settings and auto-summary rows (not counted:
   * `PurgeCounts` counts what users made, and a guild has at most one settings row), and the texts
   * its threads were about that `deleteArticleIfUnreferenced` would delete once they are gone.
   */
  purgeGuild(guildId: string): Promise<PurgeCounts>;
  /**
   * Deletes an article's text only when nothing but the caller wanted it: no URL alias (so it was
   * pasted or uploaded, not fetched from a public link) and no thread refers to it. True if deleted.
   * Used when a conversation is deleted, so that a pasted text does not outlive its summary. Cache
   * entries computed from it (keys made by `articleResultKey`) are deleted with it.
   */
  deleteArticleIfUnreferenced(contentHash: string): Promise<boolean>;
  /** The threads a user requested, oldest first (what `/forget` deletes first). */
  threadsRequestedBy(userId: string): Promise<ThreadRecord[]>;
  /** How much the store holds about a user, as `forgetUser` would delete it. */
  countUserData(userId: string): Promise<UserDataCounts>;
  /**
   * Retention: deletes turns created before `cutoffMs`, threads created before it with no later
   * turn (and the delivery records of summaries whose thread is gone), articles fetched before it
   * that no remaining thread refers to (and URL aliases fetched before it), cache entries created
   * before it or expired, jobs started before it, auto-summarized links posted before it, reaction
   * claims made before it, usage rows for UTC days before the cutoff's day, and budget reservations
   * expired (at `now`) or of such days. Guild memberships are
   * kept: they say where the bot is, not what anyone did.
   */
  purgeOlderThan(cutoffMs: number): Promise<PurgeCounts>;
  /** Deletes expired cache entries; returns how many. Also done as entries are written. */
  purgeExpired(): Promise<number>;

  /**
   * Auto-summaries (`/autosummarize`): turns a channel on, or replaces its options. One row per
   * channel; `forgetUser` keeps the row but removes the admin's name, `purgeGuild` deletes it.
   */
  putAutoSummaryChannel(setting: AutoSummaryChannel): Promise<void>;
  /** The channel's auto-summary setting, or undefined when it is off. */
  getAutoSummaryChannel(channelId: string): Promise<AutoSummaryChannel | undefined>;
  /** Turns a channel's auto-summaries off; false if they were not on. */
  deleteAutoSummaryChannel(channelId: string): Promise<boolean>;
  /** The channels of a guild where auto-summaries are on, by channel id. */
  autoSummaryChannelsIn(guildId: string): Promise<AutoSummaryChannel[]>;
  /** How many channel settings name this user as the admin who set them (`/forget`'s preview). */
  countAutoSummaryChannelsSetBy(userId: string): Promise<number>;
  /**
   * Records that a link was auto-summarized in a channel: one row per (channel, url), a later one
   * replacing it. Deleted with its requester (`forgetUser`), its guild, or by retention.
   */
  putAutoSummaryLink(link: AutoSummaryLink): Promise<void>;
  /**
   * The latest auto-summary of `url` in a channel posted at or after `since` (ms) whose summary is
   * still recorded as delivered (not deleted, forgotten or purged); else undefined.
   */
  autoSummaryLinkSince(channelId: string, url: string, since: number): Promise<AutoSummaryLink | undefined>;
  /** The auto-summaries that replied to one person's message (its links), oldest first. */
  autoSummaryLinksFor(messageId: string): Promise<AutoSummaryLink[]>;
  /** Deletes the link rows of one summary; returns how many. */
  deleteAutoSummaryLinks(summaryId: string): Promise<number>;

  /** Closes the database. Idempotent; any other call afterwards throws. */
  close(): Promise<void>;
}

export interface ArticleSource {
  /** The normalized URL the user asked for; null for uploads and pasted text. */
  readonly requestUrl: string | null;
  /** The page's canonical URL (normalized), when known and different or not. */
  readonly canonicalUrl: string | null;
  /** Milliseconds since the epoch. */
  readonly fetchedAt: number;
}

export interface StoredArticle {
  /** Identical to the article that was stored: text, contentHash and every metadata field. */
  readonly article: Article;
  /** When the URL it was found under was fetched (`getArticle`: when the text was last stored). */
  readonly fetchedAt: number;
}

export interface ThreadRecord {
  readonly threadId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly requesterId: string;
  /** `Article.contentHash` of the article the thread is about; keeps that article from eviction. */
  readonly articleHash: string;
  readonly summaryMessageId: string | null;
  /** The cache key of the summary the thread started from, if any. */
  readonly requestKey: string | null;
  readonly createdAt: number;
}

export interface NewTurn {
  readonly question: string;
  readonly answer: readonly Claim[];
  readonly askedBy: string;
  readonly createdAt: number;
}

/**
 * A quote as stored: the same fields as `Quote` but without its brand. The store only keeps JSON;
 * callers must locate each quote in the article again (src/grounding/) before showing it, which is
 * what turns it back into a `Quote`.
 */
export interface StoredQuote {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface StoredClaim {
  readonly text: string;
  readonly quotes: readonly StoredQuote[];
}

export interface StoredTurn {
  readonly question: string;
  /** Unverified on read: revalidate the quotes against the article before use. */
  readonly answer: readonly StoredClaim[];
  readonly askedBy: string;
  readonly createdAt: number;
}

export interface UsageEntry {
  readonly guildId: string;
  readonly userId: string;
  /** UTC day, `YYYY-MM-DD` (see `utcDay`). */
  readonly day: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Tokens held for a model call in flight (see `reserveUsage`), under `day` of (guild, user). */
export interface UsageReservation {
  /** Unique per call (a random UUID). */
  readonly id: string;
  readonly guildId: string;
  readonly userId: string;
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly tokens: number;
  /** Milliseconds since the epoch: after this the reservation no longer counts (its holder died). */
  readonly expiresAt: number;
}

/** Daily token limits a reservation must fit; null: no limit. */
export interface ReservationLimits {
  readonly guild: number | null;
  readonly user: number | null;
}

/** Whether a reservation was made, or which limit refused it. */
export type ReservationOutcome =
  | { readonly reserved: true }
  | { readonly reserved: false; readonly over: 'guild' | 'user' };

export interface UsageQuery {
  readonly guildId: string;
  readonly userId?: string;
  readonly day: string;
}

export interface UsageTotals {
  /** Number of `addUsage` calls counted. */
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * A guild's own settings. Token limits are per UTC day; null means the operator's default
 * (BUDGET_GUILD_DAILY_TOKENS, BUDGET_USER_DAILY_TOKENS), 0 means no model use at all. Stored as the
 * admin asked: the operator's ceiling is applied when the limits are read (src/app/budget.ts), so a
 * ceiling raised or lowered later takes effect without touching these rows.
 */
export interface GuildSettings {
  readonly guildId: string;
  readonly dailyTokens: number | null;
  readonly memberDailyTokens: number | null;
  /** Default summary length (`/settings`); null: the bot's default (standard). */
  readonly summaryLength: SummaryLength | null;
  /**
   * Default summary language (`/settings`): a BCP 47 code, `original` for the article's own, or null
   * for each reader's Discord language (where there is none, a mention: the article's own).
   */
  readonly summaryLanguage: string | null;
  /** Whether summaries are private (only the requester sees them) unless a request says otherwise. */
  readonly privateSummaries: boolean;
  /**
   * The emoji whose reaction asks for a summary: a Unicode emoji, or a custom one as `<:name:id>` /
   * `<a:name:id>`; null: the default (📰).
   */
  readonly reactionEmoji: string | null;
  /** The admin who last changed them; null once that user is forgotten. */
  readonly updatedBy: string | null;
  readonly updatedAt: number;
}

/** The `/settings` fields of a guild that never set them: the bot's own behaviour. */
export const UNSET_SERVER_DEFAULTS = {
  summaryLength: null,
  summaryLanguage: null,
  privateSummaries: false,
  reactionEmoji: null,
} as const satisfies Partial<GuildSettings>;

/**
 * Where a summary was delivered: its messages (in order), its channel and the thread opened under it,
 * with who asked and in which guild, so that Delete and `/forget` can remove it after any restart.
 */
export interface SummaryDelivery {
  /** The summary's first message id, which is also its conversation's id (`ThreadRecord.threadId`). */
  readonly summaryId: string;
  /** `@me` outside a guild, as for threads. */
  readonly guildId: string;
  readonly channelId: string;
  /** Every message the summary was sent as, first to last (the first is `summaryId`). */
  readonly messageIds: readonly string[];
  /** The thread opened under the summary for questions, or null when none opened. */
  readonly threadId: string | null;
  readonly requesterId: string;
  readonly createdAt: number;
}

/**
 * A channel where every link people post is summarized (`/autosummarize on`). `include`: only
 * these domains (and their subdomains) when not empty; `exclude`: never these. Domains are
 * lowercase host names. `length` is a summary length name, or null for the default.
 */
export interface AutoSummaryChannel {
  readonly guildId: string;
  readonly channelId: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly length: string | null;
  /** The admin who last turned it on or changed it; null once that user is forgotten. */
  readonly updatedBy: string | null;
  readonly updatedAt: number;
}

/** A link summarized by itself in a channel: where the summary is, and whose message it answered. */
export interface AutoSummaryLink {
  readonly guildId: string;
  readonly channelId: string;
  /** The normalized link (as posted, or the page's canonical URL). */
  readonly url: string;
  /** The summary's first message (its `SummaryDelivery.summaryId`). */
  readonly summaryId: string;
  /** The person's message that carried the link. */
  readonly messageId: string;
  /** Who posted the link (whose rate limit and budget paid for the summary). */
  readonly requesterId: string;
  readonly postedAt: number;
}

/** One gateway shard (`id` of `count`, as Discord numbers them from 0). */
export interface ShardRef {
  readonly id: number;
  readonly count: number;
}

/** The shards one process runs, of `count`. */
export interface ShardSet {
  readonly ids: readonly number[];
  readonly count: number;
}

/** How to reply once the job is resumed or abandoned after a restart. */
export type JobReply =
  /** Interaction tokens are credentials valid for 15 minutes: they are stored, never logged. */
  | { readonly via: 'interaction'; readonly applicationId: string; readonly interactionToken: string }
  | { readonly via: 'message'; readonly messageId: string };

export interface JobRecord {
  readonly id: string;
  /** What the job does, e.g. `summarize` or `answer`; opaque to the store. */
  readonly kind: string;
  /** null outside a guild (direct messages). */
  readonly guildId: string | null;
  readonly channelId: string;
  readonly userId: string;
  readonly reply: JobReply;
  readonly startedAt: number;
  /** Any JSON value; returned parsed and unvalidated. */
  readonly payload: unknown;
}

/** A message a reaction asked to summarize (see `claimReactionSummary`). */
export interface ReactionClaim {
  readonly messageId: string;
  readonly guildId: string;
  readonly claimedAt: number;
}

/** What the store holds about one user (see `countUserData`). */
export interface UserDataCounts {
  /** Threads (conversations) they requested. */
  readonly threads: number;
  /** Questions they asked, in any thread. */
  readonly turns: number;
  /** Distinct UTC days with usage counted for them, in any guild. */
  readonly usageDays: number;
  /** Their requests recorded as in progress. */
  readonly jobs: number;
  /** Guilds whose settings (`/budget`, `/settings`) name them as the admin who last changed them. */
  readonly settings: number;
}

/** Rows deleted by a purge, per kind; zero for kinds the purge does not touch. */
export interface PurgeCounts {
  readonly articles: number;
  readonly cacheEntries: number;
  readonly threads: number;
  readonly turns: number;
  readonly jobs: number;
  readonly usageRows: number;
}

/** Where the store reports unreadable rows. A pino `Logger` fits. */
export interface StoreLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface StoreOptions {
  /** SQLite file (its folder is created) or `:memory:`. Used when `url` is not set. Default `:memory:`. */
  readonly path?: string;
  /** A `postgres://` URL: when set, PostgreSQL is used instead of SQLite. */
  readonly url?: string | null;
  /** PostgreSQL schema to use (created if missing); default the server's search_path (`public`). */
  readonly pgSchema?: string;
  /** Bound on cache entries and, separately, on articles no thread refers to. Default 5,000. */
  readonly maxCacheEntries?: number;
  /** Clock in milliseconds since the epoch; default `Date.now`. Tests inject one. */
  readonly now?: () => number;
  readonly logger?: StoreLogger;
  /** PostgreSQL only: how long connecting and each query may take (see `PgTimeouts`). */
  readonly pgTimeouts?: PgTimeouts;
}

/** How long PostgreSQL may take, in ms: to open a connection, and to answer a query (0: no limit). */
export interface PgTimeouts {
  readonly connectMs: number;
  readonly queryMs: number;
}

/** Connecting may take 10 s; queries are not limited (the bot's config sets its own). */
export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { connectMs: 10_000, queryMs: 0 };

export const DEFAULT_MAX_CACHE_ENTRIES = 5000;

/**
 * A read refreshes an entry's recency (for LRU eviction) at most once per this many milliseconds,
 * so that most reads write nothing: on PostgreSQL every write is a commit and a WAL flush (~4 ms
 * on this kind of machine). Eviction order is exact to this resolution.
 */
export const RECENCY_RESOLUTION_MS = 60_000;

/** Thrown when the database cannot be opened or is newer than this code. Never holds credentials. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** The options a backend receives, defaults applied. */
export interface ResolvedStoreOptions {
  readonly maxCacheEntries: number;
  readonly pgTimeouts: PgTimeouts;
  readonly now: () => number;
  readonly logger: StoreLogger | null;
}

/** Opens (and migrates) the store: PostgreSQL when `url` is set, else SQLite at `path`. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const maxCacheEntries = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
  if (!Number.isInteger(maxCacheEntries) || maxCacheEntries < 1) {
    throw new RangeError(`maxCacheEntries must be a positive integer, got ${maxCacheEntries}`);
  }
  const resolved: ResolvedStoreOptions = {
    maxCacheEntries,
    now: options.now ?? Date.now,
    logger: options.logger ?? null,
    pgTimeouts: options.pgTimeouts ?? DEFAULT_PG_TIMEOUTS,
  };
  if (options.url) {
    const { openPgStore } = await import('./pg-store.js');
    return openPgStore(options.url, options.pgSchema ?? null, resolved);
  }
  const { openSqliteStore } = await import('./sqlite-store.js');
  return openSqliteStore(options.path ?? ':memory:', resolved);
}

/** The UTC day (`YYYY-MM-DD`) of a time in milliseconds, as usage rows are keyed. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
