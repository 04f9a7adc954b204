import pg from 'pg';
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

/** Connections per process. The bot's writes are small; a few connections keep latency flat. */
const POOL_SIZE = 4;
/** First key of the advisory lock taken while migrating (the second is the schema's hash). */
const MIGRATION_LOCK_CLASS = 7_310_001;
/** First key of the advisory locks serializing budget reservations per (guild, day). */
const RESERVATION_LOCK_CLASS = 7_310_002;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DEADLOCK = '40P01';

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Opens a PostgreSQL store. With `schema`, every connection uses it as its search_path (created
 * if missing), so several Verbatims or test runs can share a database. Migrations run under an
 * advisory lock, so processes starting together migrate once.
 */
export async function openPgStore(
  url: string,
  schema: string | null,
  options: ResolvedStoreOptions,
): Promise<Store> {
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new RangeError(`pgSchema must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`);
  }
  const connection = {
    connectionString: url,
    connectionTimeoutMillis: options.pgTimeouts.connectMs,
    // A connection whose peer vanished (no reset, no answer) is noticed by the kernel, not only by a timeout.
    keepAlive: true,
    ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
  };
  // Migrations run on a connection of their own, with no query timeout: a long one (or waiting for
  // another process's) must not fail start-up.
  const migrator = new pg.Client(connection);
  try {
    await migrator.connect();
  } catch (err) {
    await migrator.end().catch(() => undefined);
    throw new StoreError(`cannot connect to PostgreSQL at ${describeUrl(url)}: ${(err as Error).message}`);
  }
  try {
    await migrate(migrator, schema, options.now);
  } finally {
    await migrator.end().catch(() => undefined);
  }
  const pool = new pg.Pool({
    ...connection,
    max: POOL_SIZE,
    // Each query's answer is awaited this long (0: forever): an unreachable server (packets dropped)
    // fails a request instead of holding it, and the connection is dropped from the pool.
    ...(options.pgTimeouts.queryMs > 0 ? { query_timeout: options.pgTimeouts.queryMs } : {}),
  });
  pool.on('error', (err) => {
    options.logger?.warn(
      { backend: 'postgres', code: (err as { code?: string }).code ?? null },
      'store: idle connection failed',
    );
  });
  return new PgStore(pool, options);
}

/** host:port/database, never the user or password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (unparseable)';
  }
}

async function migrate(client: pg.ClientBase, schema: string | null, now: () => number): Promise<void> {
  const lockName = `verbatim:${schema ?? '(search_path)'}`;
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, lockName]);
  try {
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(SCHEMA_MIGRATIONS_TABLE('postgres'));
    const { rows } = await client.query<{ v: number }>(
      'SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations',
    );
    const version = rows[0]?.v ?? 0;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StoreError(
        `the database schema is version ${version}, newer than this Verbatim understands (${LATEST_SCHEMA_VERSION}): upgrade Verbatim`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= version) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          now(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, lockName]);
  }
}

interface ArticleRow {
  content_hash: string;
  text: string;
  meta: string;
  fetched_at: string;
}

class PgStore implements Store {
  readonly backend = 'postgres' as const;
  readonly cache: Cache;
  readonly #pool: pg.Pool;
  readonly #now: () => number;
  readonly #max: number;
  readonly #log: ResolvedStoreOptions['logger'];
  #closed = false;

  constructor(pool: pg.Pool, options: ResolvedStoreOptions) {
    this.#pool = pool;
    this.#now = options.now;
    this.#max = options.maxCacheEntries;
    this.#log = options.logger;
    this.cache = {
      get: <T>(namespace: string, key: string) => this.#cacheGet<T>(namespace, key),
      put: <T>(namespace: string, key: string, value: T, ttlSeconds?: number | null) =>
        this.#cachePut(namespace, key, value, ttlSeconds),
      delete: async (namespace: string, key: string) => {
        const r = await this.#pool.query('DELETE FROM cache_entries WHERE namespace = $1 AND key = $2', [
          namespace,
          key,
        ]);
        return (r.rowCount ?? 0) > 0;
      },
    };
  }

  async schemaVersion(): Promise<number> {
    const { rows } = await this.#pool.query<{ v: number }>(
      'SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations',
    );
    return rows[0]?.v ?? 0;
  }

  async #cacheGet<T>(namespace: string, key: string): Promise<T | undefined> {
    const now = this.#now();
    const { rows } = await this.#pool.query<{ value: string }>(
      `WITH hit AS (
         SELECT value, last_used_at FROM cache_entries
           WHERE namespace = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)),
       touch AS (
         UPDATE cache_entries SET last_used_at = $3 FROM hit
           WHERE namespace = $1 AND key = $2 AND hit.last_used_at <= $4)
       SELECT value FROM hit`,
      [namespace, key, now, now - RECENCY_RESOLUTION_MS],
    );
    const row = rows[0];
    if (!row) return undefined;
    return parseJson(row.value, this.#log, { table: 'cache_entries', namespace, key })?.value as
      | T
      | undefined;
  }

  /**
   * One transaction (one commit): the upsert, then the eviction of expired entries and of the least
   * recently used beyond the bound, counted by the row_counts trigger.
   */
  async #cachePut(namespace: string, key: string, value: unknown, ttlSeconds: number | null | undefined) {
    const now = this.#now();
    const json = toJson(value, 'cache value');
    await retryOnDeadlock(() =>
      this.#tx(async (c) => {
        await c.query(
          `INSERT INTO cache_entries (namespace, key, value, created_at, expires_at, last_used_at)
             VALUES ($1, $2, $3, $4, $5, $4)
             ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at,
               expires_at = excluded.expires_at, last_used_at = excluded.last_used_at`,
          [namespace, key, json, now, expiresAt(now, ttlSeconds)],
        );
        await c.query('DELETE FROM cache_entries WHERE expires_at <= $1', [now]);
        await c.query(
          `DELETE FROM cache_entries WHERE (namespace, key) IN (
             SELECT namespace, key FROM cache_entries ORDER BY last_used_at ASC, created_at ASC
               LIMIT greatest(0, (SELECT n FROM row_counts WHERE name = 'cache_entries') - $1))`,
          [this.#max],
        );
      }),
    );
  }

  async putArticle(article: Article, source: ArticleSource): Promise<void> {
    const now = this.#now();
    await retryOnDeadlock(() =>
      this.#tx(async (c) => {
        await c.query(
          `INSERT INTO articles (content_hash, text, meta, fetched_at, last_used_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (content_hash) DO UPDATE SET meta = excluded.meta,
               fetched_at = greatest(articles.fetched_at, excluded.fetched_at), last_used_at = excluded.last_used_at`,
          [article.contentHash, article.text, encodeArticleMeta(article), source.fetchedAt, now],
        );
        for (const url of articleUrls(source.requestUrl, source.canonicalUrl)) {
          await c.query(
            `INSERT INTO article_urls (url, content_hash, fetched_at) VALUES ($1, $2, $3)
               ON CONFLICT (url) DO UPDATE SET content_hash = excluded.content_hash, fetched_at = excluded.fetched_at`,
            [url, article.contentHash, source.fetchedAt],
          );
        }
        await c.query(
          `DELETE FROM articles WHERE (SELECT n FROM row_counts WHERE name = 'articles') > $1 AND content_hash IN (
             SELECT content_hash FROM articles a
               WHERE NOT EXISTS (SELECT 1 FROM threads t WHERE t.article_hash = a.content_hash)
               ORDER BY last_used_at DESC, fetched_at DESC OFFSET $1)`,
          [this.#max],
        );
      }),
    );
  }

  async getArticleByUrl(normalizedUrl: string, maxAgeSeconds: number): Promise<StoredArticle | undefined> {
    const now = this.#now();
    const { rows } = await this.#pool.query<ArticleRow>(
      `WITH hit AS (
         SELECT a.content_hash, a.text, a.meta, a.last_used_at, u.fetched_at FROM article_urls u
           JOIN articles a ON a.content_hash = u.content_hash
           WHERE u.url = $1 AND u.fetched_at > $2),
       touch AS (
         UPDATE articles a SET last_used_at = $3 FROM hit
           WHERE a.content_hash = hit.content_hash AND hit.last_used_at <= $4)
       SELECT content_hash, text, meta, fetched_at FROM hit`,
      [normalizedUrl, now - maxAgeSeconds * 1000, now, now - RECENCY_RESOLUTION_MS],
    );
    const row = rows[0];
    return row ? decodeArticle(row, Number(row.fetched_at), this.#log) : undefined;
  }

  async getArticle(contentHash: string): Promise<StoredArticle | undefined> {
    const now = this.#now();
    const { rows } = await this.#pool.query<ArticleRow>(
      `WITH hit AS (SELECT content_hash, text, meta, last_used_at, fetched_at FROM articles WHERE content_hash = $1),
       touch AS (
         UPDATE articles a SET last_used_at = $2 FROM hit
           WHERE a.content_hash = hit.content_hash AND hit.last_used_at <= $3)
       SELECT content_hash, text, meta, fetched_at FROM hit`,
      [contentHash, now, now - RECENCY_RESOLUTION_MS],
    );
    const row = rows[0];
    return row ? decodeArticle(row, Number(row.fetched_at), this.#log) : undefined;
  }

  async putThread(t: ThreadRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO threads (thread_id, guild_id, channel_id, requester_id, article_hash, summary_message_id,
           request_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (thread_id) DO UPDATE SET guild_id = excluded.guild_id, channel_id = excluded.channel_id,
           requester_id = excluded.requester_id, article_hash = excluded.article_hash,
           summary_message_id = excluded.summary_message_id, request_key = excluded.request_key,
           created_at = excluded.created_at`,
      [
        t.threadId,
        t.guildId,
        t.channelId,
        t.requesterId,
        t.articleHash,
        t.summaryMessageId,
        t.requestKey,
        t.createdAt,
      ],
    );
  }

  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    const { rows } = await this.#pool.query<ThreadRow>('SELECT * FROM threads WHERE thread_id = $1', [
      threadId,
    ]);
    const row = rows[0];
    return row ? decodeThread(row) : undefined;
  }

  async latestThreadIn(channelId: string): Promise<ThreadRecord | undefined> {
    const { rows } = await this.#pool.query<ThreadRow>(
      'SELECT * FROM threads WHERE channel_id = $1 ORDER BY created_at DESC, thread_id DESC LIMIT 1',
      [channelId],
    );
    const row = rows[0];
    return row ? decodeThread(row) : undefined;
  }

  async deleteThread(threadId: string): Promise<boolean> {
    const r = await this.#pool.query('DELETE FROM threads WHERE thread_id = $1', [threadId]);
    return (r.rowCount ?? 0) > 0;
  }

  async appendTurn(threadId: string, turn: NewTurn): Promise<boolean> {
    const r = await this.#pool.query(
      `INSERT INTO turns (thread_id, question, answer, asked_by, created_at)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM threads WHERE thread_id = $1)`,
      [threadId, turn.question, encodeTurnAnswer(turn), turn.askedBy, turn.createdAt],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async recentTurns(threadId: string, limit: number): Promise<StoredTurn[]> {
    checkLimit(limit);
    const { rows } = await this.#pool.query<Parameters<typeof decodeTurn>[0]>(
      `SELECT * FROM (SELECT id, question, answer, asked_by, created_at FROM turns
         WHERE thread_id = $1 ORDER BY id DESC LIMIT $2) recent ORDER BY id ASC`,
      [threadId, limit],
    );
    return rows.flatMap((row) => decodeTurn(row, this.#log) ?? []);
  }

  async addUsage(entry: UsageEntry): Promise<void> {
    checkUsageEntry(entry);
    await addUsage(this.#pool, entry);
  }

  async getUsage(query: UsageQuery): Promise<UsageTotals> {
    checkDay(query.day);
    const { rows } = await this.#pool.query<{
      requests: string;
      input_tokens: string;
      output_tokens: string;
    }>(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(input_tokens), 0) AS input_tokens,
         coalesce(sum(output_tokens), 0) AS output_tokens FROM usage_daily
         WHERE guild_id = $1 AND day = $2 AND ($3::text IS NULL OR user_id = $3)`,
      [query.guildId, query.day, query.userId ?? null],
    );
    const row = rows[0];
    return {
      requests: Number(row?.requests ?? 0),
      inputTokens: Number(row?.input_tokens ?? 0),
      outputTokens: Number(row?.output_tokens ?? 0),
    };
  }

  /**
   * Serialized per (guild, day) by a transaction-scoped advisory lock: the next reserver of the same
   * guild reads this one's row (READ COMMITTED takes a new snapshot per statement, after the lock).
   * The user's budget lives inside the guild's, so one lock covers both checks.
   */
  async reserveUsage(r: UsageReservation, limits: ReservationLimits): Promise<ReservationOutcome> {
    checkReservation(r);
    const now = this.#now();
    return this.#tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        RESERVATION_LOCK_CLASS,
        `${r.guildId}|${r.day}`,
      ]);
      await c.query('DELETE FROM usage_reservations WHERE guild_id = $1 AND day = $2 AND expires_at <= $3', [
        r.guildId,
        r.day,
        now,
      ]);
      const { rows } = await c.query<{ guild: string; user: string }>(
        `SELECT
           (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_daily WHERE guild_id = $1 AND day = $2)
           + (SELECT coalesce(sum(tokens), 0) FROM usage_reservations WHERE guild_id = $1 AND day = $2) AS guild,
           (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_daily
             WHERE guild_id = $1 AND day = $2 AND user_id = $3)
           + (SELECT coalesce(sum(tokens), 0) FROM usage_reservations
             WHERE guild_id = $1 AND day = $2 AND user_id = $3) AS user`,
        [r.guildId, r.day, r.userId],
      );
      const over = reservationOver(limits, r.tokens, {
        guild: Number(rows[0]?.guild ?? 0),
        user: Number(rows[0]?.user ?? 0),
      });
      if (over) return { reserved: false, over } as const;
      await c.query(
        'INSERT INTO usage_reservations (id, guild_id, user_id, day, tokens, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.id, r.guildId, r.userId, r.day, r.tokens, r.expiresAt],
      );
      return { reserved: true } as const;
    });
  }

  async renewReservation(id: string, expiresAt: number): Promise<boolean> {
    const r = await this.#pool.query('UPDATE usage_reservations SET expires_at = $1 WHERE id = $2', [
      expiresAt,
      id,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async settleReservation(id: string, usage: UsageEntry | null): Promise<void> {
    if (usage) checkUsageEntry(usage);
    await this.#tx(async (c) => {
      await c.query('DELETE FROM usage_reservations WHERE id = $1', [id]);
      if (usage && usage.inputTokens + usage.outputTokens > 0) await addUsage(c, usage);
    });
  }

  async getGuildSettings(guildId: string): Promise<GuildSettings | undefined> {
    const { rows } = await this.#pool.query<GuildSettingsRow>(
      'SELECT * FROM guild_settings WHERE guild_id = $1',
      [guildId],
    );
    const row = rows[0];
    return row ? decodeGuildSettings(row) : undefined;
  }

  async putGuildSettings(settings: GuildSettings): Promise<void> {
    checkGuildSettings(settings);
    await this.#pool.query(
      guildSettingsUpsert((n) => `$${n}`),
      encodeGuildSettings(settings, (b) => b),
    );
  }

  async claimReactionSummary(claim: ReactionClaim): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      'INSERT INTO reaction_summaries (message_id, guild_id, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [claim.messageId, claim.guildId, claim.claimedAt],
    );
    return (rowCount ?? 0) > 0;
  }

  async releaseReactionSummary(messageId: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM reaction_summaries WHERE message_id = $1', [
      messageId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async putDelivery(delivery: SummaryDelivery): Promise<void> {
    await this.#pool.query(
      `INSERT INTO summary_deliveries (summary_id, guild_id, channel_id, thread_id, requester_id, message_ids,
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (summary_id) DO UPDATE SET guild_id = excluded.guild_id, channel_id = excluded.channel_id,
           thread_id = excluded.thread_id, requester_id = excluded.requester_id,
           message_ids = excluded.message_ids, created_at = excluded.created_at`,
      encodeDelivery(delivery),
    );
  }

  async getDelivery(summaryId: string): Promise<SummaryDelivery | undefined> {
    const { rows } = await this.#pool.query<DeliveryRow>(
      'SELECT * FROM summary_deliveries WHERE summary_id = $1',
      [summaryId],
    );
    const row = rows[0];
    return row ? decodeDelivery(row, this.#log) : undefined;
  }

  async deleteDelivery(summaryId: string): Promise<boolean> {
    const r = await this.#pool.query('DELETE FROM summary_deliveries WHERE summary_id = $1', [summaryId]);
    return (r.rowCount ?? 0) > 0;
  }

  async deliveriesRequestedBy(userId: string): Promise<SummaryDelivery[]> {
    const { rows } = await this.#pool.query<DeliveryRow>(
      'SELECT * FROM summary_deliveries WHERE requester_id = $1 ORDER BY created_at ASC, summary_id ASC',
      [userId],
    );
    return rows.flatMap((row) => decodeDelivery(row, this.#log) ?? []);
  }

  async recordGuildMemberships(guildIds: readonly string[], shard: ShardRef, seenAt: number): Promise<void> {
    checkShards([shard.id], shard.count);
    if (guildIds.length === 0) return;
    await this.#pool.query(
      `INSERT INTO guild_memberships (guild_id, shard_id, shard_count, seen_at)
         SELECT DISTINCT g, $2::int, $3::int, $4::bigint FROM unnest($1::text[]) AS g
         ON CONFLICT (guild_id) DO UPDATE SET shard_id = excluded.shard_id, shard_count = excluded.shard_count,
           seen_at = greatest(guild_memberships.seen_at, excluded.seen_at)`,
      [guildIds, shard.id, shard.count, seenAt],
    );
  }

  async guildsNotSeenSince(before: number, shards: ShardSet | null): Promise<string[]> {
    if (shards !== null) checkShards(shards.ids, shards.count);
    const { rows } = await this.#pool.query<{ guild_id: string }>(
      `SELECT guild_id FROM guild_memberships WHERE seen_at < $1
         AND ($2::int IS NULL OR (shard_count = $2 AND shard_id = ANY($3::int[]))) ORDER BY guild_id`,
      [before, shards?.count ?? null, shards ? [...shards.ids] : []],
    );
    return rows.map((r) => r.guild_id);
  }

  async recordJob(job: JobRecord): Promise<void> {
    await this.#pool.query(
      `INSERT INTO jobs (id, kind, guild_id, channel_id, user_id, reply_via, application_id, interaction_token,
           message_id, started_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, guild_id = excluded.guild_id,
           channel_id = excluded.channel_id, user_id = excluded.user_id, reply_via = excluded.reply_via,
           application_id = excluded.application_id, interaction_token = excluded.interaction_token,
           message_id = excluded.message_id, started_at = excluded.started_at, payload = excluded.payload`,
      encodeJob(job),
    );
  }

  async finishJob(id: string): Promise<boolean> {
    const r = await this.#pool.query('DELETE FROM jobs WHERE id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async unfinishedJobs(): Promise<JobRecord[]> {
    const { rows } = await this.#pool.query<JobRow>('SELECT * FROM jobs ORDER BY started_at ASC, id ASC');
    return rows.flatMap((row) => decodeJob(row, this.#log) ?? []);
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.#pool.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    const row = rows[0];
    return row ? decodeJob(row, this.#log) : undefined;
  }

  async updateJobPayload(id: string, payload: unknown): Promise<boolean> {
    const r = await this.#pool.query('UPDATE jobs SET payload = $2 WHERE id = $1', [
      id,
      toJson(payload, 'job payload'),
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async forgetUser(userId: string): Promise<PurgeCounts> {
    return this.#tx(async (c) => {
      const run = count(c);
      const turns = await run(
        'DELETE FROM turns WHERE asked_by = $1 OR thread_id IN (SELECT thread_id FROM threads WHERE requester_id = $1)',
        userId,
      );
      const threads = await run('DELETE FROM threads WHERE requester_id = $1', userId);
      await run('DELETE FROM summary_deliveries WHERE requester_id = $1', userId);
      const jobs = await run('DELETE FROM jobs WHERE user_id = $1', userId);
      const usageRows = await run('DELETE FROM usage_daily WHERE user_id = $1', userId);
      await run('DELETE FROM usage_reservations WHERE user_id = $1', userId);
      await run('UPDATE guild_settings SET updated_by = NULL WHERE updated_by = $1', userId);
      await run('UPDATE auto_summary_channels SET updated_by = NULL WHERE updated_by = $1', userId);
      await run('DELETE FROM auto_summary_links WHERE requester_id = $1', userId);
      return { articles: 0, cacheEntries: 0, threads, turns, jobs, usageRows };
    });
  }

  async purgeGuild(guildId: string): Promise<PurgeCounts> {
    return this.#tx(async (c) => {
      const run = count(c);
      const { rows: hashes } = await c.query<{ article_hash: string }>(
        'SELECT DISTINCT article_hash FROM threads WHERE guild_id = $1',
        [guildId],
      );
      const turns = await run(
        'DELETE FROM turns WHERE thread_id IN (SELECT thread_id FROM threads WHERE guild_id = $1)',
        guildId,
      );
      const threads = await run('DELETE FROM threads WHERE guild_id = $1', guildId);
      await run('DELETE FROM summary_deliveries WHERE guild_id = $1', guildId);
      const jobs = await run('DELETE FROM jobs WHERE guild_id = $1', guildId);
      const usageRows = await run('DELETE FROM usage_daily WHERE guild_id = $1', guildId);
      await run('DELETE FROM usage_reservations WHERE guild_id = $1', guildId);
      await run('DELETE FROM guild_settings WHERE guild_id = $1', guildId);
      await run('DELETE FROM auto_summary_channels WHERE guild_id = $1', guildId);
      await run('DELETE FROM auto_summary_links WHERE guild_id = $1', guildId);
      await run('DELETE FROM reaction_summaries WHERE guild_id = $1', guildId);
      await run('DELETE FROM guild_memberships WHERE guild_id = $1', guildId);
      let articles = 0;
      for (const { article_hash } of hashes)
        if (await deleteArticleIfUnreferenced(c, article_hash)) articles++;
      return { articles, cacheEntries: 0, threads, turns, jobs, usageRows };
    });
  }

  async deleteArticleIfUnreferenced(contentHash: string): Promise<boolean> {
    return this.#tx((c) => deleteArticleIfUnreferenced(c, contentHash));
  }

  async threadsRequestedBy(userId: string): Promise<ThreadRecord[]> {
    const { rows } = await this.#pool.query<ThreadRow>(
      'SELECT * FROM threads WHERE requester_id = $1 ORDER BY created_at ASC, thread_id ASC',
      [userId],
    );
    return rows.map(decodeThread);
  }

  async countUserData(userId: string): Promise<UserDataCounts> {
    const { rows } = await this.#pool.query<{
      threads: number;
      turns: number;
      usage_days: number;
      jobs: number;
      settings: number;
    }>(
      `SELECT (SELECT count(*) FROM threads WHERE requester_id = $1)::int AS threads,
         (SELECT count(*) FROM turns WHERE asked_by = $1)::int AS turns,
         (SELECT count(DISTINCT day) FROM usage_daily WHERE user_id = $1)::int AS usage_days,
         (SELECT count(*) FROM jobs WHERE user_id = $1)::int AS jobs,
         (SELECT count(*) FROM guild_settings WHERE updated_by = $1)::int AS settings`,
      [userId],
    );
    const row = rows[0];
    return {
      threads: row?.threads ?? 0,
      turns: row?.turns ?? 0,
      usageDays: row?.usage_days ?? 0,
      jobs: row?.jobs ?? 0,
      settings: row?.settings ?? 0,
    };
  }

  async purgeOlderThan(cutoffMs: number): Promise<PurgeCounts> {
    const now = this.#now();
    return this.#tx(async (c) => {
      const run = count(c);
      const turns = await run('DELETE FROM turns WHERE created_at < $1', cutoffMs);
      const threads = await run(
        `DELETE FROM threads WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM turns WHERE turns.thread_id = threads.thread_id)`,
        cutoffMs,
      );
      await run(
        `DELETE FROM summary_deliveries WHERE created_at < $1
           AND NOT EXISTS (SELECT 1 FROM threads WHERE threads.thread_id = summary_deliveries.summary_id)`,
        cutoffMs,
      );
      await run('DELETE FROM article_urls WHERE fetched_at < $1', cutoffMs);
      const articles = await run(
        `DELETE FROM articles WHERE fetched_at < $1
           AND NOT EXISTS (SELECT 1 FROM threads WHERE threads.article_hash = articles.content_hash)`,
        cutoffMs,
      );
      const cacheEntries = await run(
        'DELETE FROM cache_entries WHERE created_at < $1 OR expires_at <= $2',
        cutoffMs,
        now,
      );
      const jobs = await run('DELETE FROM jobs WHERE started_at < $1', cutoffMs);
      await run('DELETE FROM auto_summary_links WHERE posted_at < $1', cutoffMs);
      await run('DELETE FROM reaction_summaries WHERE claimed_at < $1', cutoffMs);
      const usageRows = await run('DELETE FROM usage_daily WHERE day < $1', utcDay(cutoffMs));
      await run('DELETE FROM usage_reservations WHERE expires_at <= $1 OR day < $2', now, utcDay(cutoffMs));
      return { articles, cacheEntries, threads, turns, jobs, usageRows };
    });
  }

  async putAutoSummaryChannel(setting: AutoSummaryChannel): Promise<void> {
    await this.#pool.query(
      `INSERT INTO auto_summary_channels (channel_id, guild_id, include_domains, exclude_domains,
         summary_length, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id,
         include_domains = excluded.include_domains, exclude_domains = excluded.exclude_domains,
         summary_length = excluded.summary_length, updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
      encodeAutoSummaryChannel(setting),
    );
  }

  async getAutoSummaryChannel(channelId: string): Promise<AutoSummaryChannel | undefined> {
    const { rows } = await this.#pool.query<AutoSummaryChannelRow>(
      'SELECT * FROM auto_summary_channels WHERE channel_id = $1',
      [channelId],
    );
    const row = rows[0];
    return row ? decodeAutoSummaryChannel(row, this.#log) : undefined;
  }

  async deleteAutoSummaryChannel(channelId: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query('DELETE FROM auto_summary_channels WHERE channel_id = $1', [
      channelId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async autoSummaryChannelsIn(guildId: string): Promise<AutoSummaryChannel[]> {
    const { rows } = await this.#pool.query<AutoSummaryChannelRow>(
      'SELECT * FROM auto_summary_channels WHERE guild_id = $1 ORDER BY channel_id',
      [guildId],
    );
    return rows.flatMap((row) => decodeAutoSummaryChannel(row, this.#log) ?? []);
  }

  async countAutoSummaryChannelsSetBy(userId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM auto_summary_channels WHERE updated_by = $1',
      [userId],
    );
    return rows[0]?.n ?? 0;
  }

  async putAutoSummaryLink(link: AutoSummaryLink): Promise<void> {
    await this.#pool.query(
      `INSERT INTO auto_summary_links (channel_id, url, guild_id, summary_id, message_id, requester_id,
         posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (channel_id, url) DO UPDATE SET guild_id = excluded.guild_id,
         summary_id = excluded.summary_id, message_id = excluded.message_id,
         requester_id = excluded.requester_id, posted_at = excluded.posted_at`,
      encodeAutoSummaryLink(link),
    );
  }

  async autoSummaryLinkSince(
    channelId: string,
    url: string,
    since: number,
  ): Promise<AutoSummaryLink | undefined> {
    const { rows } = await this.#pool.query<AutoSummaryLinkRow>(
      `SELECT l.* FROM auto_summary_links l
         WHERE l.channel_id = $1 AND l.url = $2 AND l.posted_at >= $3
           AND EXISTS (SELECT 1 FROM summary_deliveries d WHERE d.summary_id = l.summary_id)`,
      [channelId, url, since],
    );
    const row = rows[0];
    return row ? decodeAutoSummaryLink(row) : undefined;
  }

  async autoSummaryLinksFor(messageId: string): Promise<AutoSummaryLink[]> {
    const { rows } = await this.#pool.query<AutoSummaryLinkRow>(
      'SELECT * FROM auto_summary_links WHERE message_id = $1 ORDER BY posted_at, url',
      [messageId],
    );
    return rows.map(decodeAutoSummaryLink);
  }

  async deleteAutoSummaryLinks(summaryId: string): Promise<number> {
    const { rowCount } = await this.#pool.query('DELETE FROM auto_summary_links WHERE summary_id = $1', [
      summaryId,
    ]);
    return rowCount ?? 0;
  }

  async purgeExpired(): Promise<number> {
    const r = await this.#pool.query('DELETE FROM cache_entries WHERE expires_at <= $1', [this.#now()]);
    return r.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').then(
        () => client.release(),
        () => client.release(true),
      );
      throw err;
    }
  }
}

/**
 * Runs `fn` again (up to 3 attempts in all) when PostgreSQL aborted it as a deadlock victim, which
 * two processes evicting overlapping rows at once can cause.
 */
async function retryOnDeadlock<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 3 || (err as { code?: string }).code !== DEADLOCK) throw err;
    }
  }
}

/** `Store.addUsage` on a connection or in the caller's transaction. */
async function addUsage(db: Queryable, entry: UsageEntry): Promise<void> {
  await db.query(
    `INSERT INTO usage_daily (guild_id, user_id, day, requests, input_tokens, output_tokens)
       VALUES ($1, $2, $3, 1, $4, $5)
       ON CONFLICT (guild_id, day, user_id) DO UPDATE SET requests = usage_daily.requests + 1,
         input_tokens = usage_daily.input_tokens + excluded.input_tokens,
         output_tokens = usage_daily.output_tokens + excluded.output_tokens`,
    [entry.guildId, entry.userId, entry.day, entry.inputTokens, entry.outputTokens],
  );
}

/** A DELETE runner returning the number of rows deleted. */
/** `Store.deleteArticleIfUnreferenced` inside the caller's transaction. */
async function deleteArticleIfUnreferenced(c: Queryable, contentHash: string): Promise<boolean> {
  const r = await c.query(
    `DELETE FROM articles WHERE content_hash = $1
       AND NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.content_hash = articles.content_hash)
       AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.article_hash = articles.content_hash)`,
    [contentHash],
  );
  if ((r.rowCount ?? 0) === 0) return false;
  await c.query('DELETE FROM cache_entries WHERE substr(key, 1, length($1)) = $1', [
    articleResultKey(contentHash, ''),
  ]);
  return true;
}

function count(db: Queryable) {
  return async (sql: string, ...params: unknown[]): Promise<number> =>
    (await db.query(sql, params)).rowCount ?? 0;
}
