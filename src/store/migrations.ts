/**
 * The schema, as numbered migrations applied in order, each in its own transaction, and recorded in
 * `schema_migrations`. The same list is written once per dialect. Never edit a released migration:
 * append a new one. JSON lives in TEXT columns on both backends so values round-trip byte for byte
 * (and so a corrupted value can be read, and skipped, rather than refused by the database).
 * Times are integer milliseconds since the epoch.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const v1 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const serial =
    dialect === 'sqlite'
      ? 'INTEGER PRIMARY KEY AUTOINCREMENT'
      : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  return `
CREATE TABLE articles (
  content_hash TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  meta TEXT NOT NULL,
  fetched_at ${int} NOT NULL,
  last_used_at ${int} NOT NULL
);
CREATE INDEX articles_last_used ON articles (last_used_at);
CREATE INDEX articles_fetched ON articles (fetched_at);

CREATE TABLE article_urls (
  url TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL REFERENCES articles (content_hash) ON DELETE CASCADE,
  fetched_at ${int} NOT NULL
);
CREATE INDEX article_urls_hash ON article_urls (content_hash);
CREATE INDEX article_urls_fetched ON article_urls (fetched_at);

CREATE TABLE cache_entries (
  namespace TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at ${int} NOT NULL,
  expires_at ${int},
  last_used_at ${int} NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX cache_entries_last_used ON cache_entries (last_used_at);
CREATE INDEX cache_entries_created ON cache_entries (created_at);
CREATE INDEX cache_entries_expires ON cache_entries (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE threads (
  thread_id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  article_hash TEXT NOT NULL,
  summary_message_id TEXT,
  request_key TEXT,
  created_at ${int} NOT NULL
);
CREATE INDEX threads_guild ON threads (guild_id);
CREATE INDEX threads_requester ON threads (requester_id);
CREATE INDEX threads_article ON threads (article_hash);
CREATE INDEX threads_created ON threads (created_at);

CREATE TABLE turns (
  id ${serial},
  thread_id TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  asked_by TEXT NOT NULL,
  created_at ${int} NOT NULL
);
CREATE INDEX turns_thread ON turns (thread_id, id);
CREATE INDEX turns_asked_by ON turns (asked_by);
CREATE INDEX turns_created ON turns (created_at);

CREATE TABLE usage_daily (
  guild_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  requests ${int} NOT NULL,
  input_tokens ${int} NOT NULL,
  output_tokens ${int} NOT NULL,
  PRIMARY KEY (guild_id, day, user_id)
);
CREATE INDEX usage_daily_user ON usage_daily (user_id);
CREATE INDEX usage_daily_day ON usage_daily (day);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  guild_id TEXT,
  channel_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  reply_via TEXT NOT NULL CHECK (reply_via IN ('interaction', 'message')),
  application_id TEXT,
  interaction_token TEXT,
  message_id TEXT,
  started_at ${int} NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX jobs_user ON jobs (user_id);
CREATE INDEX jobs_guild ON jobs (guild_id);
CREATE INDEX jobs_started ON jobs (started_at);
${rowCounts(dialect)}`;
};

/**
 * Row counts kept by triggers, so that bounding the cache and the article table costs O(1) per
 * write instead of a count or an OFFSET scan over every row (~15 ms for 5,000 rows on PostgreSQL).
 */
const rowCounts = (dialect: 'sqlite' | 'postgres'): string => {
  const tables = ['cache_entries', 'articles'];
  const head = `
CREATE TABLE row_counts (name TEXT PRIMARY KEY, n ${dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'} NOT NULL);
INSERT INTO row_counts (name, n) VALUES ${tables.map((t) => `('${t}', 0)`).join(', ')};
`;
  if (dialect === 'postgres') {
    return `${head}
CREATE FUNCTION verbatim_count_rows() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE row_counts SET n = n + (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END) WHERE name = TG_TABLE_NAME;
  RETURN NULL;
END $$;
${tables
  .map(
    (t) =>
      `CREATE TRIGGER ${t}_counted AFTER INSERT OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION verbatim_count_rows();`,
  )
  .join('\n')}
`;
  }
  return `${head}
${tables
  .map(
    (t) => `CREATE TRIGGER ${t}_counted_insert AFTER INSERT ON ${t}
  BEGIN UPDATE row_counts SET n = n + 1 WHERE name = '${t}'; END;
CREATE TRIGGER ${t}_counted_delete AFTER DELETE ON ${t}
  BEGIN UPDATE row_counts SET n = n - 1 WHERE name = '${t}'; END;`,
  )
  .join('\n')}
`;
};

/**
 * Per-guild settings an admin changes (`/budget`): daily model token limits, NULL for the operator's
 * default. `updated_by` is the admin's user id (NULL once they are forgotten).
 */
const v2 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE guild_settings (
  guild_id TEXT PRIMARY KEY,
  daily_tokens ${int} CHECK (daily_tokens >= 0),
  member_daily_tokens ${int} CHECK (member_daily_tokens >= 0),
  updated_by TEXT,
  updated_at ${int} NOT NULL
);
CREATE INDEX guild_settings_updated_by ON guild_settings (updated_by);
`;
};

/** Summaries posted inside a thread or forum post are found by the channel they were posted in. */
const v3 = (): string => `
CREATE INDEX threads_channel ON threads (channel_id, created_at);
`;

/**
 * Records that were kept in the evictable cache become tables: where each summary was delivered
 * (for Delete and /forget) and the guilds the bot is a member of (for purging guilds it was removed
 * from while offline). Rows the cache still held are moved over (a summary's delivery only while its
 * conversation exists; the membership list as seen by one process running every shard), unreadable
 * ones are skipped, and the old namespaces are emptied, together with results cached under keys that
 * no longer match (summaries and model results now share one cache whose keys carry the prompt
 * version).
 */
const v4 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const tables = `
CREATE TABLE summary_deliveries (
  summary_id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  thread_id TEXT,
  requester_id TEXT NOT NULL,
  message_ids TEXT NOT NULL,
  created_at ${int} NOT NULL
);
CREATE INDEX summary_deliveries_guild ON summary_deliveries (guild_id);
CREATE INDEX summary_deliveries_requester ON summary_deliveries (requester_id);
CREATE INDEX summary_deliveries_created ON summary_deliveries (created_at);

CREATE TABLE guild_memberships (
  guild_id TEXT PRIMARY KEY,
  shard_id INTEGER NOT NULL CHECK (shard_id >= 0),
  shard_count INTEGER NOT NULL CHECK (shard_count > shard_id),
  seen_at ${int} NOT NULL
);
CREATE INDEX guild_memberships_shard ON guild_memberships (shard_count, shard_id, seen_at);
`;
  const emptyOld = `
DELETE FROM cache_entries
  WHERE namespace IN ('discord-summary-messages', 'discord-guild-membership', 'summaries', 'model-results');
`;
  if (dialect === 'sqlite') {
    return `${tables}
INSERT OR IGNORE INTO summary_deliveries
    (summary_id, guild_id, channel_id, thread_id, requester_id, message_ids, created_at)
  SELECT c.key, t.guild_id, json_extract(c.value, '$.channelId'), json_extract(c.value, '$.threadId'),
      t.requester_id, json_extract(c.value, '$.messageIds'), t.created_at
    FROM cache_entries c JOIN threads t ON t.thread_id = c.key
    WHERE c.namespace = 'discord-summary-messages' AND json_valid(c.value)
      AND json_type(c.value) = 'object' AND json_type(c.value, '$.messageIds') = 'array'
      AND json_type(c.value, '$.channelId') = 'text'
      AND coalesce(json_type(c.value, '$.threadId'), 'null') IN ('text', 'null');
INSERT OR IGNORE INTO guild_memberships (guild_id, shard_id, shard_count, seen_at)
  SELECT g.value, 0, 1, c.last_used_at FROM cache_entries c, json_each(c.value) g
    WHERE c.namespace = 'discord-guild-membership' AND c.key = 'guilds' AND json_valid(c.value)
      AND json_type(c.value) = 'array' AND g.type = 'text';
${emptyOld}`;
  }
  return `${tables}
DO $$
DECLARE
  r record;
  j json;
BEGIN
  FOR r IN SELECT c.namespace, c.key, c.value, c.last_used_at, t.guild_id, t.requester_id, t.created_at
      FROM cache_entries c LEFT JOIN threads t ON t.thread_id = c.key
      WHERE c.namespace IN ('discord-summary-messages', 'discord-guild-membership') LOOP
    BEGIN
      j := r.value::json;
    EXCEPTION WHEN others THEN
      CONTINUE;
    END;
    IF r.namespace = 'discord-summary-messages' AND r.guild_id IS NOT NULL
        AND json_typeof(j) = 'object' AND json_typeof(j -> 'messageIds') = 'array'
        AND json_typeof(j -> 'channelId') = 'string'
        AND coalesce(json_typeof(j -> 'threadId'), 'null') IN ('string', 'null') THEN
      INSERT INTO summary_deliveries
          (summary_id, guild_id, channel_id, thread_id, requester_id, message_ids, created_at)
        VALUES (r.key, r.guild_id, j ->> 'channelId', j ->> 'threadId', r.requester_id,
          (j -> 'messageIds')::text, r.created_at)
        ON CONFLICT DO NOTHING;
    ELSIF r.namespace = 'discord-guild-membership' AND r.key = 'guilds' AND json_typeof(j) = 'array' THEN
      INSERT INTO guild_memberships (guild_id, shard_id, shard_count, seen_at)
        SELECT g, 0, 1, r.last_used_at FROM json_array_elements_text(j) AS g
        ON CONFLICT DO NOTHING;
    END IF;
  END LOOP;
END $$;
${emptyOld}`;
};

/**
 * Server defaults (`/settings`) join the budgets in the guild's one settings row: a summary length
 * (NULL: standard), a language (NULL: each reader's Discord language; `original`: the article's
 * own; else a BCP 47 code), whether summaries are private unless asked otherwise, and the emoji
 * whose reaction asks for a summary (NULL: 📰; a custom emoji as `<:name:id>` or `<a:name:id>`).
 * `reaction_summaries` holds which messages a reaction already had summarized, one row per message,
 * so that the second person reacting gets nothing new (and a restart or another process agrees).
 * It names nobody: only the guild, for the guild purge.
 */
const v5 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const bool =
    dialect === 'sqlite'
      ? 'INTEGER NOT NULL DEFAULT 0 CHECK (private_summaries IN (0, 1))'
      : 'BOOLEAN NOT NULL DEFAULT false';
  return `
ALTER TABLE guild_settings ADD COLUMN summary_length TEXT CHECK (summary_length IN ('short', 'standard', 'detailed'));
ALTER TABLE guild_settings ADD COLUMN summary_language TEXT;
ALTER TABLE guild_settings ADD COLUMN private_summaries ${bool};
ALTER TABLE guild_settings ADD COLUMN reaction_emoji TEXT;

CREATE TABLE reaction_summaries (
  message_id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  claimed_at ${int} NOT NULL
);
CREATE INDEX reaction_summaries_guild ON reaction_summaries (guild_id);
CREATE INDEX reaction_summaries_claimed ON reaction_summaries (claimed_at);
`;
};

/**
 * Auto-summaries (issue 14): the channels where they are on, with their options (domains as JSON
 * arrays), and the links summarized there, so that the same link within a day gets a pointer to
 * the earlier summary after any restart, and a deleted message's summary can be found.
 */
const v6 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE auto_summary_channels (
  channel_id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  include_domains TEXT NOT NULL,
  exclude_domains TEXT NOT NULL,
  summary_length TEXT,
  updated_by TEXT,
  updated_at ${int} NOT NULL
);
CREATE INDEX auto_summary_channels_guild ON auto_summary_channels (guild_id, channel_id);
CREATE INDEX auto_summary_channels_updated_by ON auto_summary_channels (updated_by);

CREATE TABLE auto_summary_links (
  channel_id TEXT NOT NULL,
  url TEXT NOT NULL,
  guild_id TEXT NOT NULL,
  summary_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  posted_at ${int} NOT NULL,
  PRIMARY KEY (channel_id, url)
);
CREATE INDEX auto_summary_links_message ON auto_summary_links (message_id);
CREATE INDEX auto_summary_links_summary ON auto_summary_links (summary_id);
CREATE INDEX auto_summary_links_guild ON auto_summary_links (guild_id);
CREATE INDEX auto_summary_links_requester ON auto_summary_links (requester_id);
CREATE INDEX auto_summary_links_posted ON auto_summary_links (posted_at);
`;
};

/**
 * Budget reservations (issue 12): the tokens of model calls in flight, so that processes sharing a
 * database admit calls against one count. A row lives from admission until its call's usage is
 * recorded; a holder that dies stops renewing `expires_at` and its row stops counting then.
 */
const v7 = (dialect: 'sqlite' | 'postgres'): string => {
  const int = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE usage_reservations (
  id TEXT PRIMARY KEY,
  guild_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  tokens ${int} NOT NULL,
  expires_at ${int} NOT NULL
);
CREATE INDEX usage_reservations_guild_day ON usage_reservations (guild_id, day, user_id);
CREATE INDEX usage_reservations_user ON usage_reservations (user_id);
CREATE INDEX usage_reservations_expires ON usage_reservations (expires_at);
`;
};

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sqlite: v1('sqlite'), postgres: v1('postgres') },
  { version: 2, name: 'guild settings (model budgets)', sqlite: v2('sqlite'), postgres: v2('postgres') },
  { version: 3, name: 'conversations by channel', sqlite: v3(), postgres: v3() },
  {
    version: 4,
    name: 'summary deliveries and guild memberships as tables',
    sqlite: v4('sqlite'),
    postgres: v4('postgres'),
  },
  {
    version: 5,
    name: 'server defaults and reaction summaries',
    sqlite: v5('sqlite'),
    postgres: v5('postgres'),
  },
  { version: 6, name: 'auto-summary channels and links', sqlite: v6('sqlite'), postgres: v6('postgres') },
  { version: 7, name: 'budget reservations', sqlite: v7('sqlite'), postgres: v7('postgres') },
];

/** The schema version this code expects: the last migration's number. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/** Created before any migration runs, so it is not itself a migration. */
export const SCHEMA_MIGRATIONS_TABLE = (dialect: 'sqlite' | 'postgres'): string => `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at ${dialect === 'sqlite' ? 'INTEGER' : 'BIGINT'} NOT NULL
)`;
