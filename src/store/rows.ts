import * as z from 'zod';
import { type Article, cleanMeta, hashText } from '../article/article.js';
import { SUMMARY_LENGTHS } from '../engines/engine.js';
import type {
  AutoSummaryChannel,
  AutoSummaryLink,
  GuildSettings,
  JobRecord,
  NewTurn,
  PurgeCounts,
  ReservationLimits,
  StoredArticle,
  StoredClaim,
  StoredTurn,
  StoreLogger,
  SummaryDelivery,
  ThreadRecord,
  UsageEntry,
  UsageReservation,
} from './store.js';

/**
 * Row encoding and decoding shared by both backends. Decoders return `undefined` for a row that
 * cannot be read (and say so through the logger) instead of throwing: one bad row must not take a
 * thread, a cache lookup or the restart path down with it.
 */

const articleMetaSchema = z.looseObject({
  source: z.string(),
  url: z.string().nullable(),
  canonicalUrl: z.string().nullable(),
  title: z.string().nullable(),
  byline: z.string().nullable(),
  siteName: z.string().nullable(),
  lang: z.string().nullable(),
  publishedTime: z.string().nullable(),
});

const storedClaimsSchema = z.array(
  z.looseObject({
    text: z.string(),
    quotes: z.array(
      z.looseObject({
        text: z.string(),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
      }),
    ),
  }),
);

const messageIdsSchema = z.array(z.string()).min(1);

const USAGE_DAY = /^\d{4}-\d{2}-\d{2}$/;

export const ZERO_COUNTS: PurgeCounts = Object.freeze({
  articles: 0,
  cacheEntries: 0,
  threads: 0,
  turns: 0,
  jobs: 0,
  usageRows: 0,
});

/** JSON.parse that reports failure as `undefined`; `where` names the row for the log line. */
export function parseJson(
  text: string,
  logger: StoreLogger | null,
  where: Record<string, unknown>,
): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    logger?.warn(where, 'store: unreadable JSON in a row; treating it as absent');
    return undefined;
  }
}

/** Throws TypeError for values JSON cannot hold (undefined, functions, symbols): a caller bug. */
export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError(`${what} is not JSON-serializable`);
  return text;
}

/** Everything of an Article except text and hash, which have their own columns. */
export function encodeArticleMeta(article: Article): string {
  const { text: _text, contentHash: _hash, ...meta } = article;
  return JSON.stringify(meta);
}

export function decodeArticle(
  row: { content_hash: string; text: string; meta: string },
  fetchedAt: number,
  logger: StoreLogger | null,
): StoredArticle | undefined {
  const where = { table: 'articles', contentHash: row.content_hash };
  const json = parseJson(row.meta, logger, where);
  if (!json) return undefined;
  const meta = articleMetaSchema.safeParse(json.value);
  if (!meta.success) {
    logger?.warn(where, 'store: article metadata has the wrong shape; treating it as absent');
    return undefined;
  }
  if (hashText(row.text) !== row.content_hash) {
    logger?.warn(where, 'store: article text does not match its hash; treating it as absent');
    return undefined;
  }
  // Cleaned again: rows written before metadata was cleaned at extraction may hold control characters.
  const article = Object.freeze({
    ...meta.data,
    ...cleanMeta(meta.data),
    text: row.text,
    contentHash: row.content_hash,
  }) as Article;
  return { article, fetchedAt };
}

export function decodeTurn(
  row: {
    id: number | string;
    question: string;
    answer: string;
    asked_by: string;
    created_at: number | string;
  },
  logger: StoreLogger | null,
): StoredTurn | undefined {
  const where = { table: 'turns', id: String(row.id) };
  const json = parseJson(row.answer, logger, where);
  if (!json) return undefined;
  const answer = storedClaimsSchema.safeParse(json.value);
  if (!answer.success) {
    logger?.warn(where, 'store: turn answer has the wrong shape; skipping it');
    return undefined;
  }
  return {
    question: row.question,
    answer: answer.data as StoredClaim[],
    askedBy: row.asked_by,
    createdAt: Number(row.created_at),
  };
}

export interface ThreadRow {
  thread_id: string;
  guild_id: string;
  channel_id: string;
  requester_id: string;
  article_hash: string;
  summary_message_id: string | null;
  request_key: string | null;
  created_at: number | string;
}

export function decodeThread(row: ThreadRow): ThreadRecord {
  return {
    threadId: row.thread_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    requesterId: row.requester_id,
    articleHash: row.article_hash,
    summaryMessageId: row.summary_message_id,
    requestKey: row.request_key,
    createdAt: Number(row.created_at),
  };
}

export interface DeliveryRow {
  summary_id: string;
  guild_id: string;
  channel_id: string;
  thread_id: string | null;
  requester_id: string;
  message_ids: string;
  created_at: number | string;
}

/** Column values for a delivery, in the order the backends' INSERT statements list them. */
export function encodeDelivery(d: SummaryDelivery): (string | number | null)[] {
  if (d.messageIds.length === 0) throw new RangeError('a delivery has at least one message');
  return [
    d.summaryId,
    d.guildId,
    d.channelId,
    d.threadId,
    d.requesterId,
    toJson(d.messageIds, 'message ids'),
    d.createdAt,
  ];
}

export function decodeDelivery(row: DeliveryRow, logger: StoreLogger | null): SummaryDelivery | undefined {
  const where = { table: 'summary_deliveries', summaryId: row.summary_id };
  const json = parseJson(row.message_ids, logger, where);
  if (!json) return undefined;
  const ids = messageIdsSchema.safeParse(json.value);
  if (!ids.success) {
    logger?.warn(where, 'store: delivery message ids have the wrong shape; treating it as absent');
    return undefined;
  }
  return {
    summaryId: row.summary_id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    messageIds: ids.data,
    threadId: row.thread_id,
    requesterId: row.requester_id,
    createdAt: Number(row.created_at),
  };
}

/** Throws RangeError for a shard that is not `0 <= id < count` in integers, or a bad shard set: a caller bug. */
export function checkShards(ids: readonly number[], count: number): void {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`shard count must be ≥ 1, got ${count}`);
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 0 || id >= count)
      throw new RangeError(`shard id must be in [0, ${count}), got ${id}`);
  }
}

export interface JobRow {
  id: string;
  kind: string;
  guild_id: string | null;
  channel_id: string;
  user_id: string;
  reply_via: string;
  application_id: string | null;
  interaction_token: string | null;
  message_id: string | null;
  started_at: number | string;
  payload: string;
}

/** Column values for a job, in the order the backends' INSERT statements list them. */
export function encodeJob(job: JobRecord): (string | number | null)[] {
  const reply = job.reply;
  return [
    job.id,
    job.kind,
    job.guildId,
    job.channelId,
    job.userId,
    reply.via,
    reply.via === 'interaction' ? reply.applicationId : null,
    reply.via === 'interaction' ? reply.interactionToken : null,
    reply.via === 'message' ? reply.messageId : null,
    job.startedAt,
    toJson(job.payload, 'job payload'),
  ];
}

export function decodeJob(row: JobRow, logger: StoreLogger | null): JobRecord | undefined {
  const where = { table: 'jobs', id: row.id };
  const json = parseJson(row.payload, logger, where);
  if (!json) return undefined;
  let reply: JobRecord['reply'];
  if (row.reply_via === 'interaction' && row.application_id !== null && row.interaction_token !== null) {
    reply = {
      via: 'interaction',
      applicationId: row.application_id,
      interactionToken: row.interaction_token,
    };
  } else if (row.reply_via === 'message' && row.message_id !== null) {
    reply = { via: 'message', messageId: row.message_id };
  } else {
    logger?.warn(where, 'store: job has no usable reply target; skipping it');
    return undefined;
  }
  return {
    id: row.id,
    kind: row.kind,
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    reply,
    startedAt: Number(row.started_at),
    payload: json.value,
  };
}

export function checkUsageEntry(entry: UsageEntry): void {
  checkDay(entry.day);
  for (const n of [entry.inputTokens, entry.outputTokens]) {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`token counts must be non-negative integers, got ${n}`);
  }
}

/** Throws RangeError for a reservation with a malformed day or a negative or fractional token count. */
export function checkReservation(r: UsageReservation): void {
  checkDay(r.day);
  if (!Number.isSafeInteger(r.tokens) || r.tokens < 0)
    throw new RangeError(`reserved tokens must be a non-negative integer, got ${r.tokens}`);
}

/**
 * Which limit (guild first) `tokens` more would overrun, given what is spent (recorded + reserved)
 * of the guild and of the user in it; null when both fit.
 */
export function reservationOver(
  limits: ReservationLimits,
  tokens: number,
  spent: { readonly guild: number; readonly user: number },
): 'guild' | 'user' | null {
  if (limits.guild !== null && spent.guild + tokens > limits.guild) return 'guild';
  if (limits.user !== null && spent.user + tokens > limits.user) return 'user';
  return null;
}

/** Throws RangeError for limits that are not null or a non-negative safe integer: a caller bug. */
export function checkGuildSettings(settings: GuildSettings): void {
  for (const n of [settings.dailyTokens, settings.memberDailyTokens]) {
    if (n !== null && (!Number.isSafeInteger(n) || n < 0))
      throw new RangeError(`token limits must be null or non-negative integers, got ${n}`);
  }
  if (settings.summaryLength !== null && !SUMMARY_LENGTHS.includes(settings.summaryLength))
    throw new RangeError(`unknown summary length ${JSON.stringify(settings.summaryLength)}`);
  for (const [name, text] of [
    ['summary language', settings.summaryLanguage],
    ['reaction emoji', settings.reactionEmoji],
  ] as const) {
    if (text !== null && (text.length === 0 || text.length > 100))
      throw new RangeError(`${name} must be null or 1–100 characters, got ${JSON.stringify(text)}`);
  }
}

export interface GuildSettingsRow {
  guild_id: string;
  daily_tokens: number | string | null;
  member_daily_tokens: number | string | null;
  summary_length: string | null;
  summary_language: string | null;
  /** SQLite: 0 or 1; PostgreSQL: boolean. */
  private_summaries: number | boolean;
  reaction_emoji: string | null;
  updated_by: string | null;
  updated_at: number | string;
}

/** The settings row's columns after `guild_id`, in the order both backends write them. */
export function encodeGuildSettings(
  settings: GuildSettings,
  bool: (b: boolean) => number | boolean,
): (string | number | boolean | null)[] {
  return [
    settings.guildId,
    settings.dailyTokens,
    settings.memberDailyTokens,
    settings.summaryLength,
    settings.summaryLanguage,
    bool(settings.privateSummaries),
    settings.reactionEmoji,
    settings.updatedBy,
    settings.updatedAt,
  ];
}

/** The upsert both backends run, with `$n` or `?` placeholders. */
export function guildSettingsUpsert(placeholder: (n: number) => string): string {
  return `INSERT INTO guild_settings (guild_id, daily_tokens, member_daily_tokens, summary_length,
      summary_language, private_summaries, reaction_emoji, updated_by, updated_at)
    VALUES (${Array.from({ length: 9 }, (_, i) => placeholder(i + 1)).join(', ')})
    ON CONFLICT (guild_id) DO UPDATE SET daily_tokens = excluded.daily_tokens,
      member_daily_tokens = excluded.member_daily_tokens, summary_length = excluded.summary_length,
      summary_language = excluded.summary_language, private_summaries = excluded.private_summaries,
      reaction_emoji = excluded.reaction_emoji, updated_by = excluded.updated_by,
      updated_at = excluded.updated_at`;
}

/** PostgreSQL returns BIGINT as a string; SQLite as a number. */
export function decodeGuildSettings(row: GuildSettingsRow): GuildSettings {
  const limit = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    guildId: row.guild_id,
    dailyTokens: limit(row.daily_tokens),
    memberDailyTokens: limit(row.member_daily_tokens),
    summaryLength: SUMMARY_LENGTHS.find((l) => l === row.summary_length) ?? null,
    summaryLanguage: row.summary_language,
    privateSummaries: row.private_summaries === true || row.private_summaries === 1,
    reactionEmoji: row.reaction_emoji,
    updatedBy: row.updated_by,
    updatedAt: Number(row.updated_at),
  };
}

export function checkDay(day: string): void {
  if (!USAGE_DAY.test(day))
    throw new RangeError(`usage day must be YYYY-MM-DD (UTC), got ${JSON.stringify(day)}`);
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
}

export function encodeTurnAnswer(turn: NewTurn): string {
  return toJson(turn.answer, 'turn answer');
}

/** The distinct non-null URLs an article is stored under. */
export function articleUrls(requestUrl: string | null, canonicalUrl: string | null): string[] {
  return [...new Set([requestUrl, canonicalUrl].filter((u): u is string => u !== null && u !== ''))];
}

/** Expiry time in ms for a TTL in seconds; null keeps the entry until evicted. */
export function expiresAt(now: number, ttlSeconds: number | null | undefined): number | null {
  if (ttlSeconds === null || ttlSeconds === undefined) return null;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0)
    throw new RangeError(`ttlSeconds must be >= 0, got ${ttlSeconds}`);
  return now + Math.round(ttlSeconds * 1000);
}

const domainsSchema = z.array(z.string());

export interface AutoSummaryChannelRow {
  channel_id: string;
  guild_id: string;
  include_domains: string;
  exclude_domains: string;
  summary_length: string | null;
  updated_by: string | null;
  updated_at: number | string;
}

/** The row's values in column order (channel, guild, include, exclude, length, by, at). */
export function encodeAutoSummaryChannel(
  c: AutoSummaryChannel,
): [string, string, string, string, string | null, string | null, number] {
  if (!Number.isSafeInteger(c.updatedAt))
    throw new RangeError(`updatedAt must be an integer, got ${c.updatedAt}`);
  return [
    c.channelId,
    c.guildId,
    JSON.stringify([...c.include]),
    JSON.stringify([...c.exclude]),
    c.length,
    c.updatedBy,
    c.updatedAt,
  ];
}

export function decodeAutoSummaryChannel(
  row: AutoSummaryChannelRow,
  logger: StoreLogger | null,
): AutoSummaryChannel | undefined {
  const where = { table: 'auto_summary_channels', channelId: row.channel_id };
  const include = parseJson(row.include_domains, logger, where);
  const exclude = parseJson(row.exclude_domains, logger, where);
  if (!include || !exclude) return undefined;
  const inc = domainsSchema.safeParse(include.value);
  const exc = domainsSchema.safeParse(exclude.value);
  if (!inc.success || !exc.success) {
    logger?.warn(where, 'store: auto-summary domains have the wrong shape; treating it as absent');
    return undefined;
  }
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    include: inc.data,
    exclude: exc.data,
    length: row.summary_length,
    updatedBy: row.updated_by,
    updatedAt: Number(row.updated_at),
  };
}

export interface AutoSummaryLinkRow {
  channel_id: string;
  url: string;
  guild_id: string;
  summary_id: string;
  message_id: string;
  requester_id: string;
  posted_at: number | string;
}

/** The row's values in column order (channel, url, guild, summary, message, requester, posted). */
export function encodeAutoSummaryLink(
  l: AutoSummaryLink,
): [string, string, string, string, string, string, number] {
  if (!Number.isSafeInteger(l.postedAt))
    throw new RangeError(`postedAt must be an integer, got ${l.postedAt}`);
  return [l.channelId, l.url, l.guildId, l.summaryId, l.messageId, l.requesterId, l.postedAt];
}

export function decodeAutoSummaryLink(row: AutoSummaryLinkRow): AutoSummaryLink {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    url: row.url,
    summaryId: row.summary_id,
    messageId: row.message_id,
    requesterId: row.requester_id,
    postedAt: Number(row.posted_at),
  };
}
