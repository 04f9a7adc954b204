import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../article/article.js';
import { articleResultKey, type Cache } from '../core/cache.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from './migrations.js';
import {
  type AutoSummaryChannelRow,
  type AutoSummaryLinkRow,
  articleUrls,
  checkDay,
  checkGuildSettings,
  checkLimit,
  checkReservation,
  checkShards,
  checkUsageEntry,
  type DeliveryRow,
  decodeArticle,
  decodeAutoSummaryChannel,
  decodeAutoSummaryLink,
  decodeDelivery,
  decodeGuildSettings,
  decodeJob,
  decodeThread,
  decodeTurn,
  encodeArticleMeta,
  encodeAutoSummaryChannel,
  encodeAutoSummaryLink,
  encodeDelivery,
  encodeGuildSettings,
  encodeJob,
  encodeTurnAnswer,
  expiresAt,
  type GuildSettingsRow,
  guildSettingsUpsert,
  type JobRow,
  parseJson,
  reservationOver,
  type ThreadRow,
  toJson,
} from './rows.js';
import {
  type ArticleSource,
  type AutoSummaryChannel,
  type AutoSummaryLink,
  type GuildSettings,
  type JobRecord,
  type NewTurn,
  type PurgeCounts,
  RECENCY_RESOLUTION_MS,
  type ReactionClaim,
  type ReservationLimits,
  type ReservationOutcome,
  type ResolvedStoreOptions,
  type ShardRef,
  type ShardSet,
  type Store,
  type StoredArticle,
  type StoredTurn,
  StoreError,
  type SummaryDelivery,
  type ThreadRecord,
  type UsageEntry,
  type UsageQuery,
  type UsageReservation,
  type UsageTotals,
  type UserDataCounts,
  utcDay,
} from './store.js';

/** How long a connection waits for another process's write lock before failing, in ms. */
const BUSY_TIMEOUT_MS = 10_000;

type Db = Database.Database;

interface ArticleRow {
  content_hash: string;
  text: string;
  meta: string;
  last_used_at: number;
  fetched_at: number;
}

/**
 * Opens a SQLite store: WAL (readers never block the writer), synchronous=NORMAL (durable across
 * process crashes; the last commits may be lost on power loss), foreign keys on, and a busy timeout
 * so that several processes can share one file. Write transactions start IMMEDIATE so they take the
 * write lock up front and wait for it, rather than failing with SQLITE_BUSY on upgrade. Folders it
 * creates are private to the user (0700): the file holds interaction tokens and user ids.
 */
export function openSqliteStore(path: string, options: ResolvedStoreOptions): Store {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Db;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new StoreError(`cannot open the SQLite database at ${path}: ${(err as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.now);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db, options);
}

/** Each pending migration in its own IMMEDIATE transaction, rechecking the version inside it. */
function migrate(db: Db, now: () => number): void {
  db.exec(SCHEMA_MIGRATIONS_TABLE('sqlite'));
  const current = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const version = current.get() as number;
  if (version > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      `the database schema is version ${version}, newer than this Verbatim understands (${LATEST_SCHEMA_VERSION}): upgrade Verbatim`,
    );
  }
  for (const m of MIGRATIONS) {
    db.transaction(() => {
      if (m.version <= (current.get() as number)) return;
      db.exec(m.sqlite);
      record.run(m.version, m.name, now());
    }).immediate();
  }
}

class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly cache: Cache;
  readonly #db: Db;
  readonly #now: () => number;
  readonly #max: number;
  readonly #log: ResolvedStoreOptions['logger'];
  readonly #q: ReturnType<typeof prepareStatements>;

  constructor(db: Db, options: ResolvedStoreOptions) {
    this.#db = db;
    this.#now = options.now;
    this.#max = options.maxCacheEntries;
    this.#log = options.logger;
    this.#q = prepareStatements(db);
    this.cache = {
      get: async <T>(namespace: string, key: string) => this.#cacheGet<T>(namespace, key),
      put: async <T>(namespace: string, key: string, value: T, ttlSeconds?: number | null) =>
        this.#cachePut(namespace, key, value, ttlSeconds),
      delete: async (namespace: string, key: string) => this.#q.cacheDelete.run(namespace, key).changes > 0,
    };
  }

  async schemaVersion(): Promise<number> {
    return (this.#q.schemaVersion.get() as { v: number }).v;
  }

  #cacheGet<T>(namespace: string, key: string): T | undefined {
    const now = this.#now();
    const row = this.#q.cacheGet.get(namespace, key, now) as
      | { value: string; last_used_at: number }
      | undefined;
    if (!row) return undefined;
    if (now - row.last_used_at >= RECENCY_RESOLUTION_MS) this.#q.cacheTouch.run(now, namespace, key);
    return parseJson(row.value, this.#log, { table: 'cache_entries', namespace, key })?.value as
      | T
      | undefined;
  }

  #cachePut(namespace: string, key: string, value: unknown, ttlSeconds: number | null | undefined): void {
    const now = this.#now();
    const json = toJson(value, 'cache value');
    const expires = expiresAt(now, ttlSeconds);
    this.#tx(() => {
      this.#q.cacheUpsert.run(namespace, key, json, now, expires, now);
      this.#q.cacheDeleteExpired.run(now);
      this.#q.cacheEvict.run(this.#max);
    });
  }

  async putArticle(article: Article, source: ArticleSource): Promise<void> {
    const now = this.#now();
    this.#tx(() => {
      this.#q.articleUpsert.run(
        article.contentHash,
        article.text,
        encodeArticleMeta(article),
        source.fetchedAt,
        now,
      );
      for (const url of articleUrls(source.requestUrl, source.canonicalUrl)) {
        this.#q.articleUrlUpsert.run(url, article.contentHash, source.fetchedAt);
      }
      if ((this.#q.articleCount.get() as number) > this.#max) this.#q.articleEvict.run(this.#max);
    });
  }

  async getArticleByUrl(normalizedUrl: string, maxAgeSeconds: number): Promise<StoredArticle | undefined> {
    const now = this.#now();
    const row = this.#q.articleByUrl.get(normalizedUrl, now - maxAgeSeconds * 1000) as ArticleRow | undefined;
    if (!row) return undefined;
    this.#touchArticle(row, now);
    return decodeArticle(row, row.fetched_at, this.#log);
  }

  async getArticle(contentHash: string): Promise<StoredArticle | undefined> {
    const row = this.#q.articleByHash.get(contentHash) as ArticleRow | undefined;
    if (!row) return undefined;
    this.#touchArticle(row, this.#now());
    return decodeArticle(row, row.fetched_at, this.#log);
  }

  #touchArticle(row: ArticleRow, now: number): void {
    if (now - row.last_used_at >= RECENCY_RESOLUTION_MS) this.#q.articleTouch.run(now, row.content_hash);
  }

  async putThread(t: ThreadRecord): Promise<void> {
    this.#q.threadUpsert.run(
      t.threadId,
      t.guildId,
      t.channelId,
      t.requesterId,
      t.articleHash,
      t.summaryMessageId,
      t.requestKey,
      t.createdAt,
    );
  }

  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    const row = this.#q.threadGet.get(threadId) as ThreadRow | undefined;
    return row ? decodeThread(row) : undefined;
  }

  async latestThreadIn(channelId: string): Promise<ThreadRecord | undefined> {
    const row = this.#q.threadLatestIn.get(channelId) as ThreadRow | undefined;
    return row ? decodeThread(row) : undefined;
  }

  async deleteThread(threadId: string): Promise<boolean> {
    return this.#q.threadDelete.run(threadId).changes > 0;
  }

  async appendTurn(threadId: string, turn: NewTurn): Promise<boolean> {
    const answer = encodeTurnAnswer(turn);
    return (
      this.#q.turnInsert.run(threadId, turn.question, answer, turn.askedBy, turn.createdAt, threadId)
        .changes > 0
    );
  }

  async recentTurns(threadId: string, limit: number): Promise<StoredTurn[]> {
    checkLimit(limit);
    const rows = this.#q.turnsRecent.all(threadId, limit) as Parameters<typeof decodeTurn>[0][];
    return rows.flatMap((row) => decodeTurn(row, this.#log) ?? []);
  }

  async addUsage(entry: UsageEntry): Promise<void> {
    checkUsageEntry(entry);
    this.#q.usageAdd.run(entry.guildId, entry.userId, entry.day, entry.inputTokens, entry.outputTokens);
  }

  async getUsage(query: UsageQuery): Promise<UsageTotals> {
    checkDay(query.day);
    const row = (
      query.userId === undefined
        ? this.#q.usageGuild.get(query.guildId, query.day)
        : this.#q.usageUser.get(query.guildId, query.day, query.userId)
    ) as { requests: number; input_tokens: number; output_tokens: number };
    return { requests: row.requests, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
  }

  async reserveUsage(r: UsageReservation, limits: ReservationLimits): Promise<ReservationOutcome> {
    checkReservation(r);
    return this.#tx(() => {
      this.#q.reservationsExpire.run(r.guildId, r.day, this.#now());
      const spent = this.#q.reservedAndUsed.get({ guild: r.guildId, day: r.day, user: r.userId }) as {
        guild: number;
        user: number;
      };
      const over = reservationOver(limits, r.tokens, spent);
      if (over) return { reserved: false, over };
      this.#q.reservationInsert.run(r.id, r.guildId, r.userId, r.day, r.tokens, r.expiresAt);
      return { reserved: true };
    });
  }

  async renewReservation(id: string, expiresAt: number): Promise<boolean> {
    return this.#q.reservationRenew.run(expiresAt, id).changes > 0;
  }

  async settleReservation(id: string, usage: UsageEntry | null): Promise<void> {
    if (usage) checkUsageEntry(usage);
    this.#tx(() => {
      this.#q.reservationDelete.run(id);
      if (usage && usage.inputTokens + usage.outputTokens > 0)
        this.#q.usageAdd.run(usage.guildId, usage.userId, usage.day, usage.inputTokens, usage.outputTokens);
    });
  }

  async getGuildSettings(guildId: string): Promise<GuildSettings | undefined> {
    const row = this.#q.guildSettingsGet.get(guildId) as GuildSettingsRow | undefined;
    return row ? decodeGuildSettings(row) : undefined;
  }

  async putGuildSettings(settings: GuildSettings): Promise<void> {
    checkGuildSettings(settings);
    this.#q.guildSettingsUpsert.run(...encodeGuildSettings(settings, (b) => (b ? 1 : 0)));
  }

  async claimReactionSummary(claim: ReactionClaim): Promise<boolean> {
    return this.#q.reactionClaim.run(claim.messageId, claim.guildId, claim.claimedAt).changes > 0;
  }

  async releaseReactionSummary(messageId: string): Promise<boolean> {
    return this.#q.reactionRelease.run(messageId).changes > 0;
  }

  async putDelivery(delivery: SummaryDelivery): Promise<void> {
    this.#q.deliveryUpsert.run(...encodeDelivery(delivery));
  }

  async getDelivery(summaryId: string): Promise<SummaryDelivery | undefined> {
    const row = this.#q.deliveryGet.get(summaryId) as DeliveryRow | undefined;
    return row ? decodeDelivery(row, this.#log) : undefined;
  }

  async deleteDelivery(summaryId: string): Promise<boolean> {
    return this.#q.deliveryDelete.run(summaryId).changes > 0;
  }

  async deliveriesRequestedBy(userId: string): Promise<SummaryDelivery[]> {
    const rows = this.#q.deliveriesByRequester.all(userId) as DeliveryRow[];
    return rows.flatMap((row) => decodeDelivery(row, this.#log) ?? []);
  }

  async recordGuildMemberships(guildIds: readonly string[], shard: ShardRef, seenAt: number): Promise<void> {
    checkShards([shard.id], shard.count);
    this.#tx(() => {
      for (const id of guildIds) this.#q.membershipUpsert.run(id, shard.id, shard.count, seenAt);
    });
  }

  async guildsNotSeenSince(before: number, shards: ShardSet | null): Promise<string[]> {
    if (shards === null) return this.#q.membershipsStale.all(before) as string[];
    checkShards(shards.ids, shards.count);
    if (shards.ids.length === 0) return [];
    return this.#db
      .prepare(
        `SELECT guild_id FROM guild_memberships WHERE seen_at < ? AND shard_count = ?
           AND shard_id IN (${shards.ids.map(() => '?').join(', ')}) ORDER BY guild_id`,
      )
      .pluck()
      .all(before, shards.count, ...shards.ids) as string[];
  }

  async recordJob(job: JobRecord): Promise<void> {
    this.#q.jobUpsert.run(...encodeJob(job));
  }

  async finishJob(id: string): Promise<boolean> {
    return this.#q.jobDelete.run(id).changes > 0;
  }

  async unfinishedJobs(): Promise<JobRecord[]> {
    const rows = this.#q.jobsAll.all() as JobRow[];
    return rows.flatMap((row) => decodeJob(row, this.#log) ?? []);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const row = this.#q.jobGet.get(id) as JobRow | undefined;
    return row ? decodeJob(row, this.#log) : undefined;
  }

  async updateJobPayload(id: string, payload: unknown): Promise<boolean> {
    return this.#q.jobPayloadUpdate.run(toJson(payload, 'job payload'), id).changes > 0;
  }

  async forgetUser(userId: string): Promise<PurgeCounts> {
    return this.#tx(() => {
      const turns = this.#db
        .prepare(
          'DELETE FROM turns WHERE asked_by = ? OR thread_id IN (SELECT thread_id FROM threads WHERE requester_id = ?)',
        )
        .run(userId, userId).changes;
      const threads = this.#db.prepare('DELETE FROM threads WHERE requester_id = ?').run(userId).changes;
      this.#db.prepare('DELETE FROM summary_deliveries WHERE requester_id = ?').run(userId);
      const jobs = this.#db.prepare('DELETE FROM jobs WHERE user_id = ?').run(userId).changes;
      const usageRows = this.#db.prepare('DELETE FROM usage_daily WHERE user_id = ?').run(userId).changes;
      this.#db.prepare('DELETE FROM usage_reservations WHERE user_id = ?').run(userId);
      this.#db.prepare('UPDATE guild_settings SET updated_by = NULL WHERE updated_by = ?').run(userId);
      this.#db.prepare('UPDATE auto_summary_channels SET updated_by = NULL WHERE updated_by = ?').run(userId);
      this.#db.prepare('DELETE FROM auto_summary_links WHERE requester_id = ?').run(userId);
      return { articles: 0, cacheEntries: 0, threads, turns, jobs, usageRows };
    });
  }

  async purgeGuild(guildId: string): Promise<PurgeCounts> {
    return this.#tx(() => {
      const hashes = this.#q.guildArticleHashes.all(guildId) as string[];
      const turns = this.#db
        .prepare('DELETE FROM turns WHERE thread_id IN (SELECT thread_id FROM threads WHERE guild_id = ?)')
        .run(guildId).changes;
      const threads = this.#db.prepare('DELETE FROM threads WHERE guild_id = ?').run(guildId).changes;
      this.#db.prepare('DELETE FROM summary_deliveries WHERE guild_id = ?').run(guildId);
      const jobs = this.#db.prepare('DELETE FROM jobs WHERE guild_id = ?').run(guildId).changes;
      const usageRows = this.#db.prepare('DELETE FROM usage_daily WHERE guild_id = ?').run(guildId).changes;
      this.#db.prepare('DELETE FROM usage_reservations WHERE guild_id = ?').run(guildId);
      this.#db.prepare('DELETE FROM guild_settings WHERE guild_id = ?').run(guildId);
      this.#db.prepare('DELETE FROM auto_summary_channels WHERE guild_id = ?').run(guildId);
      this.#db.prepare('DELETE FROM auto_summary_links WHERE guild_id = ?').run(guildId);
      this.#db.prepare('DELETE FROM reaction_summaries WHERE guild_id = ?').run(guildId);
      this.#db.prepare('DELETE FROM guild_memberships WHERE guild_id = ?').run(guildId);
      const articles = hashes.filter((hash) => this.#deleteArticleIfUnreferenced(hash)).length;
      return { articles, cacheEntries: 0, threads, turns, jobs, usageRows };
    });
  }

  async deleteArticleIfUnreferenced(contentHash: string): Promise<boolean> {
    return this.#tx(() => this.#deleteArticleIfUnreferenced(contentHash));
  }

  /** `deleteArticleIfUnreferenced` inside the caller's transaction. */
  #deleteArticleIfUnreferenced(contentHash: string): boolean {
    if (this.#q.articleDeleteUnreferenced.run(contentHash).changes === 0) return false;
    const prefix = articleResultKey(contentHash, '');
    this.#q.cacheDeleteDerived.run(prefix, prefix);
    return true;
  }

  async threadsRequestedBy(userId: string): Promise<ThreadRecord[]> {
    const rows = this.#q.threadsByRequester.all(userId) as ThreadRow[];
    return rows.map(decodeThread);
  }

  async countUserData(userId: string): Promise<UserDataCounts> {
    const row = this.#q.userCounts.get(userId, userId, userId, userId, userId) as {
      threads: number;
      turns: number;
      usage_days: number;
      jobs: number;
      settings: number;
    };
    return {
      threads: row.threads,
      turns: row.turns,
      usageDays: row.usage_days,
      jobs: row.jobs,
      settings: row.settings,
    };
  }

  async purgeOlderThan(cutoffMs: number): Promise<PurgeCounts> {
    const now = this.#now();
    return this.#tx(() => {
      const run = (sql: string, ...params: (string | number)[]) =>
        this.#db.prepare(sql).run(...params).changes;
      const turns = run('DELETE FROM turns WHERE created_at < ?', cutoffMs);
      const threads = run(
        `DELETE FROM threads WHERE created_at < ?
           AND NOT EXISTS (SELECT 1 FROM turns WHERE turns.thread_id = threads.thread_id)`,
        cutoffMs,
      );
      run(
        `DELETE FROM summary_deliveries WHERE created_at < ?
           AND NOT EXISTS (SELECT 1 FROM threads WHERE threads.thread_id = summary_deliveries.summary_id)`,
        cutoffMs,
      );
      run('DELETE FROM article_urls WHERE fetched_at < ?', cutoffMs);
      const articles = run(
        `DELETE FROM articles WHERE fetched_at < ?
           AND NOT EXISTS (SELECT 1 FROM threads WHERE threads.article_hash = articles.content_hash)`,
        cutoffMs,
      );
      const cacheEntries = run(
        'DELETE FROM cache_entries WHERE created_at < ? OR expires_at <= ?',
        cutoffMs,
        now,
      );
      const jobs = run('DELETE FROM jobs WHERE started_at < ?', cutoffMs);
      run('DELETE FROM auto_summary_links WHERE posted_at < ?', cutoffMs);
      run('DELETE FROM reaction_summaries WHERE claimed_at < ?', cutoffMs);
      const usageRows = run('DELETE FROM usage_daily WHERE day < ?', utcDay(cutoffMs));
      run('DELETE FROM usage_reservations WHERE expires_at <= ? OR day < ?', now, utcDay(cutoffMs));
      return { articles, cacheEntries, threads, turns, jobs, usageRows };
    });
  }

  async putAutoSummaryChannel(setting: AutoSummaryChannel): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO auto_summary_channels (channel_id, guild_id, include_domains, exclude_domains,
           summary_length, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id,
           include_domains = excluded.include_domains, exclude_domains = excluded.exclude_domains,
           summary_length = excluded.summary_length, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at`,
      )
      .run(...encodeAutoSummaryChannel(setting));
  }

  async getAutoSummaryChannel(channelId: string): Promise<AutoSummaryChannel | undefined> {
    const row = this.#db.prepare('SELECT * FROM auto_summary_channels WHERE channel_id = ?').get(channelId) as
      | AutoSummaryChannelRow
      | undefined;
    return row ? decodeAutoSummaryChannel(row, this.#log) : undefined;
  }

  async deleteAutoSummaryChannel(channelId: string): Promise<boolean> {
    return (
      this.#db.prepare('DELETE FROM auto_summary_channels WHERE channel_id = ?').run(channelId).changes > 0
    );
  }

  async autoSummaryChannelsIn(guildId: string): Promise<AutoSummaryChannel[]> {
    const rows = this.#db
      .prepare('SELECT * FROM auto_summary_channels WHERE guild_id = ? ORDER BY channel_id')
      .all(guildId) as AutoSummaryChannelRow[];
    return rows.flatMap((row) => decodeAutoSummaryChannel(row, this.#log) ?? []);
  }

  async countAutoSummaryChannelsSetBy(userId: string): Promise<number> {
    return this.#db
      .prepare('SELECT count(*) FROM auto_summary_channels WHERE updated_by = ?')
      .pluck()
      .get(userId) as number;
  }

  async putAutoSummaryLink(link: AutoSummaryLink): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO auto_summary_links (channel_id, url, guild_id, summary_id, message_id, requester_id,
           posted_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, url) DO UPDATE SET guild_id = excluded.guild_id,
           summary_id = excluded.summary_id, message_id = excluded.message_id,
           requester_id = excluded.requester_id, posted_at = excluded.posted_at`,
      )
      .run(...encodeAutoSummaryLink(link));
  }

  async autoSummaryLinkSince(
    channelId: string,
    url: string,
    since: number,
  ): Promise<AutoSummaryLink | undefined> {
    const row = this.#db
      .prepare(
        `SELECT l.* FROM auto_summary_links l
           WHERE l.channel_id = ? AND l.url = ? AND l.posted_at >= ?
             AND EXISTS (SELECT 1 FROM summary_deliveries d WHERE d.summary_id = l.summary_id)`,
      )
      .get(channelId, url, since) as AutoSummaryLinkRow | undefined;
    return row ? decodeAutoSummaryLink(row) : undefined;
  }

  async autoSummaryLinksFor(messageId: string): Promise<AutoSummaryLink[]> {
    const rows = this.#db
      .prepare('SELECT * FROM auto_summary_links WHERE message_id = ? ORDER BY posted_at, url')
      .all(messageId) as AutoSummaryLinkRow[];
    return rows.map(decodeAutoSummaryLink);
  }

  async deleteAutoSummaryLinks(summaryId: string): Promise<number> {
    return this.#db.prepare('DELETE FROM auto_summary_links WHERE summary_id = ?').run(summaryId).changes;
  }

  async purgeExpired(): Promise<number> {
    return this.#q.cacheDeleteExpired.run(this.#now()).changes;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #tx<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }
}

function prepareStatements(db: Db) {
  const p = (sql: string) => db.prepare(sql);
  return {
    schemaVersion: p('SELECT coalesce(max(version), 0) AS v FROM schema_migrations'),
    cacheGet: p(
      `SELECT value, last_used_at FROM cache_entries
         WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)`,
    ),
    cacheTouch: p('UPDATE cache_entries SET last_used_at = ? WHERE namespace = ? AND key = ?'),
    cacheUpsert: p(
      `INSERT INTO cache_entries (namespace, key, value, created_at, expires_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
    ),
    cacheDeleteExpired: p('DELETE FROM cache_entries WHERE expires_at <= ?'),
    cacheDelete: p('DELETE FROM cache_entries WHERE namespace = ? AND key = ?'),
    cacheEvict: p(
      `DELETE FROM cache_entries WHERE rowid IN (
         SELECT rowid FROM cache_entries ORDER BY last_used_at ASC, rowid ASC
           LIMIT max(0, (SELECT n FROM row_counts WHERE name = 'cache_entries') - ?))`,
    ),
    articleCount: p(`SELECT n FROM row_counts WHERE name = 'articles'`).pluck(),
    articleUpsert: p(
      `INSERT INTO articles (content_hash, text, meta, fetched_at, last_used_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (content_hash) DO UPDATE SET meta = excluded.meta,
           fetched_at = max(articles.fetched_at, excluded.fetched_at), last_used_at = excluded.last_used_at`,
    ),
    articleUrlUpsert: p(
      `INSERT INTO article_urls (url, content_hash, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET content_hash = excluded.content_hash, fetched_at = excluded.fetched_at`,
    ),
    articleEvict: p(
      `DELETE FROM articles WHERE content_hash IN (
         SELECT content_hash FROM articles a
           WHERE NOT EXISTS (SELECT 1 FROM threads t WHERE t.article_hash = a.content_hash)
           ORDER BY last_used_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
    ),
    articleByUrl: p(
      `SELECT a.content_hash, a.text, a.meta, a.last_used_at, u.fetched_at FROM article_urls u
         JOIN articles a ON a.content_hash = u.content_hash
         WHERE u.url = ? AND u.fetched_at > ?`,
    ),
    articleTouch: p('UPDATE articles SET last_used_at = ? WHERE content_hash = ?'),
    articleByHash: p(
      'SELECT content_hash, text, meta, last_used_at, fetched_at FROM articles WHERE content_hash = ?',
    ),
    threadUpsert: p(
      `INSERT INTO threads (thread_id, guild_id, channel_id, requester_id, article_hash, summary_message_id,
           request_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (thread_id) DO UPDATE SET guild_id = excluded.guild_id, channel_id = excluded.channel_id,
           requester_id = excluded.requester_id, article_hash = excluded.article_hash,
           summary_message_id = excluded.summary_message_id, request_key = excluded.request_key,
           created_at = excluded.created_at`,
    ),
    threadGet: p('SELECT * FROM threads WHERE thread_id = ?'),
    threadLatestIn: p(
      'SELECT * FROM threads WHERE channel_id = ? ORDER BY created_at DESC, thread_id DESC LIMIT 1',
    ),
    threadDelete: p('DELETE FROM threads WHERE thread_id = ?'),
    turnInsert: p(
      `INSERT INTO turns (thread_id, question, answer, asked_by, created_at)
         SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM threads WHERE thread_id = ?)`,
    ),
    turnsRecent: p(
      `SELECT * FROM (SELECT id, question, answer, asked_by, created_at FROM turns
         WHERE thread_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id ASC`,
    ),
    usageAdd: p(
      `INSERT INTO usage_daily (guild_id, user_id, day, requests, input_tokens, output_tokens)
         VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (guild_id, day, user_id) DO UPDATE SET requests = usage_daily.requests + 1,
           input_tokens = usage_daily.input_tokens + excluded.input_tokens,
           output_tokens = usage_daily.output_tokens + excluded.output_tokens`,
    ),
    usageGuild: p(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,
         coalesce(sum(output_tokens), 0) AS output_tokens FROM usage_daily WHERE guild_id = ? AND day = ?`,
    ),
    usageUser: p(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,
         coalesce(sum(output_tokens), 0) AS output_tokens FROM usage_daily
         WHERE guild_id = ? AND day = ? AND user_id = ?`,
    ),
    reservationsExpire: p(
      'DELETE FROM usage_reservations WHERE guild_id = ? AND day = ? AND expires_at <= ?',
    ),
    // Recorded usage plus live reservations, of the guild and of one user in it.
    reservedAndUsed: p(
      `SELECT
         (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_daily WHERE guild_id = @guild AND day = @day)
         + (SELECT coalesce(sum(tokens), 0) FROM usage_reservations WHERE guild_id = @guild AND day = @day) AS guild,
         (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_daily
           WHERE guild_id = @guild AND day = @day AND user_id = @user)
         + (SELECT coalesce(sum(tokens), 0) FROM usage_reservations
           WHERE guild_id = @guild AND day = @day AND user_id = @user) AS user`,
    ),
    reservationInsert: p(
      'INSERT INTO usage_reservations (id, guild_id, user_id, day, tokens, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    reservationRenew: p('UPDATE usage_reservations SET expires_at = ? WHERE id = ?'),
    reservationDelete: p('DELETE FROM usage_reservations WHERE id = ?'),
    guildSettingsGet: p('SELECT * FROM guild_settings WHERE guild_id = ?'),
    guildSettingsUpsert: p(guildSettingsUpsert(() => '?')),
    reactionClaim: p(
      'INSERT INTO reaction_summaries (message_id, guild_id, claimed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    reactionRelease: p('DELETE FROM reaction_summaries WHERE message_id = ?'),
    jobUpsert: p(
      `INSERT OR REPLACE INTO jobs (id, kind, guild_id, channel_id, user_id, reply_via, application_id,
         interaction_token, message_id, started_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    jobDelete: p('DELETE FROM jobs WHERE id = ?'),
    deliveryUpsert: p(
      `INSERT INTO summary_deliveries (summary_id, guild_id, channel_id, thread_id, requester_id, message_ids,
           created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (summary_id) DO UPDATE SET guild_id = excluded.guild_id, channel_id = excluded.channel_id,
           thread_id = excluded.thread_id, requester_id = excluded.requester_id,
           message_ids = excluded.message_ids, created_at = excluded.created_at`,
    ),
    deliveryGet: p('SELECT * FROM summary_deliveries WHERE summary_id = ?'),
    deliveryDelete: p('DELETE FROM summary_deliveries WHERE summary_id = ?'),
    deliveriesByRequester: p(
      'SELECT * FROM summary_deliveries WHERE requester_id = ? ORDER BY created_at ASC, summary_id ASC',
    ),
    membershipUpsert: p(
      `INSERT INTO guild_memberships (guild_id, shard_id, shard_count, seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET shard_id = excluded.shard_id, shard_count = excluded.shard_count,
           seen_at = max(guild_memberships.seen_at, excluded.seen_at)`,
    ),
    membershipsStale: p('SELECT guild_id FROM guild_memberships WHERE seen_at < ? ORDER BY guild_id').pluck(),
    /** Entries whose key starts with the parameter (a prefix of hex digits and `sha256:`: no wildcards). */
    cacheDeleteDerived: p('DELETE FROM cache_entries WHERE substr(key, 1, length(?)) = ?'),
    articleDeleteUnreferenced: p(
      `DELETE FROM articles WHERE content_hash = ?
         AND NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.content_hash = articles.content_hash)
         AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.article_hash = articles.content_hash)`,
    ),
    threadsByRequester: p(
      'SELECT * FROM threads WHERE requester_id = ? ORDER BY created_at ASC, thread_id ASC',
    ),
    userCounts: p(
      `SELECT (SELECT count(*) FROM threads WHERE requester_id = ?) AS threads,
         (SELECT count(*) FROM turns WHERE asked_by = ?) AS turns,
         (SELECT count(DISTINCT day) FROM usage_daily WHERE user_id = ?) AS usage_days,
         (SELECT count(*) FROM jobs WHERE user_id = ?) AS jobs,
         (SELECT count(*) FROM guild_settings WHERE updated_by = ?) AS settings`,
    ),
    guildArticleHashes: p(
      'SELECT DISTINCT article_hash FROM threads WHERE guild_id = ? ORDER BY article_hash',
    ).pluck(),
    jobsAll: p('SELECT * FROM jobs ORDER BY started_at ASC, id ASC'),
    jobGet: p('SELECT * FROM jobs WHERE id = ?'),
    jobPayloadUpdate: p('UPDATE jobs SET payload = ? WHERE id = ?'),
  };
}
