import type { Article } from '../article/article.js';
import type { Cache } from '../core/cache.js';
import type {
  ArticleSource,
  AutoSummaryChannel,
  AutoSummaryLink,
  GuildSettings,
  JobRecord,
  NewTurn,
  PurgeCounts,
  ReactionClaim,
  ReservationLimits,
  ReservationOutcome,
  ShardRef,
  ShardSet,
  Store,
  StoredArticle,
  StoredTurn,
  SummaryDelivery,
  ThreadRecord,
  UsageEntry,
  UsageQuery,
  UsageReservation,
  UsageTotals,
  UserDataCounts,
} from './store.js';

/**
 * A Store that opens the real one on first use (`open` runs once; a failure is thrown to that caller
 * and the next call tries again). A command-line run that never needs the database never opens it,
 * nor loads its driver. `close()` closes only what was opened.
 */
export function lazyStore(backend: Store['backend'], open: () => Promise<Store>): Store {
  return new LazyStore(backend, open);
}

class LazyStore implements Store {
  readonly backend: Store['backend'];
  readonly cache: Cache;
  readonly #open: () => Promise<Store>;
  #opened: Promise<Store> | null = null;
  #closed = false;

  constructor(backend: Store['backend'], open: () => Promise<Store>) {
    this.backend = backend;
    this.#open = open;
    this.cache = {
      get: async <T>(namespace: string, key: string) => (await this.#store()).cache.get<T>(namespace, key),
      put: async <T>(namespace: string, key: string, value: T, ttlSeconds?: number | null) =>
        (await this.#store()).cache.put(namespace, key, value, ttlSeconds),
      delete: async (namespace: string, key: string) => (await this.#store()).cache.delete(namespace, key),
    };
  }

  #store(): Promise<Store> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'));
    if (this.#opened === null) {
      const opening = this.#open();
      this.#opened = opening;
      opening.catch(() => {
        if (this.#opened === opening) this.#opened = null;
      });
    }
    return this.#opened;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const opened = this.#opened;
    this.#opened = null;
    if (opened) await (await opened.catch(() => null))?.close();
  }

  async schemaVersion(): Promise<number> {
    return (await this.#store()).schemaVersion();
  }
  async putArticle(article: Article, source: ArticleSource): Promise<void> {
    return (await this.#store()).putArticle(article, source);
  }
  async getArticleByUrl(normalizedUrl: string, maxAgeSeconds: number): Promise<StoredArticle | undefined> {
    return (await this.#store()).getArticleByUrl(normalizedUrl, maxAgeSeconds);
  }
  async getArticle(contentHash: string): Promise<StoredArticle | undefined> {
    return (await this.#store()).getArticle(contentHash);
  }
  async putThread(thread: ThreadRecord): Promise<void> {
    return (await this.#store()).putThread(thread);
  }
  async getThread(threadId: string): Promise<ThreadRecord | undefined> {
    return (await this.#store()).getThread(threadId);
  }
  async latestThreadIn(channelId: string): Promise<ThreadRecord | undefined> {
    return (await this.#store()).latestThreadIn(channelId);
  }
  async deleteThread(threadId: string): Promise<boolean> {
    return (await this.#store()).deleteThread(threadId);
  }
  async appendTurn(threadId: string, turn: NewTurn): Promise<boolean> {
    return (await this.#store()).appendTurn(threadId, turn);
  }
  async recentTurns(threadId: string, limit: number): Promise<StoredTurn[]> {
    return (await this.#store()).recentTurns(threadId, limit);
  }
  async addUsage(entry: UsageEntry): Promise<void> {
    return (await this.#store()).addUsage(entry);
  }
  async getUsage(query: UsageQuery): Promise<UsageTotals> {
    return (await this.#store()).getUsage(query);
  }
  async reserveUsage(reservation: UsageReservation, limits: ReservationLimits): Promise<ReservationOutcome> {
    return (await this.#store()).reserveUsage(reservation, limits);
  }
  async renewReservation(id: string, expiresAt: number): Promise<boolean> {
    return (await this.#store()).renewReservation(id, expiresAt);
  }
  async settleReservation(id: string, usage: UsageEntry | null): Promise<void> {
    return (await this.#store()).settleReservation(id, usage);
  }
  async getGuildSettings(guildId: string): Promise<GuildSettings | undefined> {
    return (await this.#store()).getGuildSettings(guildId);
  }
  async putGuildSettings(settings: GuildSettings): Promise<void> {
    return (await this.#store()).putGuildSettings(settings);
  }
  async claimReactionSummary(claim: ReactionClaim): Promise<boolean> {
    return (await this.#store()).claimReactionSummary(claim);
  }
  async releaseReactionSummary(messageId: string): Promise<boolean> {
    return (await this.#store()).releaseReactionSummary(messageId);
  }
  async putDelivery(delivery: SummaryDelivery): Promise<void> {
    return (await this.#store()).putDelivery(delivery);
  }
  async getDelivery(summaryId: string): Promise<SummaryDelivery | undefined> {
    return (await this.#store()).getDelivery(summaryId);
  }
  async deleteDelivery(summaryId: string): Promise<boolean> {
    return (await this.#store()).deleteDelivery(summaryId);
  }
  async deliveriesRequestedBy(userId: string): Promise<SummaryDelivery[]> {
    return (await this.#store()).deliveriesRequestedBy(userId);
  }
  async recordGuildMemberships(guildIds: readonly string[], shard: ShardRef, seenAt: number): Promise<void> {
    return (await this.#store()).recordGuildMemberships(guildIds, shard, seenAt);
  }
  async guildsNotSeenSince(before: number, shards: ShardSet | null): Promise<string[]> {
    return (await this.#store()).guildsNotSeenSince(before, shards);
  }
  async recordJob(job: JobRecord): Promise<void> {
    return (await this.#store()).recordJob(job);
  }
  async finishJob(id: string): Promise<boolean> {
    return (await this.#store()).finishJob(id);
  }
  async unfinishedJobs(): Promise<JobRecord[]> {
    return (await this.#store()).unfinishedJobs();
  }
  async getJob(id: string): Promise<JobRecord | undefined> {
    return (await this.#store()).getJob(id);
  }
  async updateJobPayload(id: string, payload: unknown): Promise<boolean> {
    return (await this.#store()).updateJobPayload(id, payload);
  }
  async forgetUser(userId: string): Promise<PurgeCounts> {
    return (await this.#store()).forgetUser(userId);
  }
  async purgeGuild(guildId: string): Promise<PurgeCounts> {
    return (await this.#store()).purgeGuild(guildId);
  }
  async deleteArticleIfUnreferenced(contentHash: string): Promise<boolean> {
    return (await this.#store()).deleteArticleIfUnreferenced(contentHash);
  }
  async threadsRequestedBy(userId: string): Promise<ThreadRecord[]> {
    return (await this.#store()).threadsRequestedBy(userId);
  }
  async countUserData(userId: string): Promise<UserDataCounts> {
    return (await this.#store()).countUserData(userId);
  }
  async purgeOlderThan(cutoffMs: number): Promise<PurgeCounts> {
    return (await this.#store()).purgeOlderThan(cutoffMs);
  }
  async putAutoSummaryChannel(setting: AutoSummaryChannel): Promise<void> {
    return (await this.#store()).putAutoSummaryChannel(setting);
  }
  async getAutoSummaryChannel(channelId: string): Promise<AutoSummaryChannel | undefined> {
    return (await this.#store()).getAutoSummaryChannel(channelId);
  }
  async deleteAutoSummaryChannel(channelId: string): Promise<boolean> {
    return (await this.#store()).deleteAutoSummaryChannel(channelId);
  }
  async autoSummaryChannelsIn(guildId: string): Promise<AutoSummaryChannel[]> {
    return (await this.#store()).autoSummaryChannelsIn(guildId);
  }
  async countAutoSummaryChannelsSetBy(userId: string): Promise<number> {
    return (await this.#store()).countAutoSummaryChannelsSetBy(userId);
  }
  async putAutoSummaryLink(link: AutoSummaryLink): Promise<void> {
    return (await this.#store()).putAutoSummaryLink(link);
  }
  async autoSummaryLinkSince(
    channelId: string,
    url: string,
    since: number,
  ): Promise<AutoSummaryLink | undefined> {
    return (await this.#store()).autoSummaryLinkSince(channelId, url, since);
  }
  async autoSummaryLinksFor(messageId: string): Promise<AutoSummaryLink[]> {
    return (await this.#store()).autoSummaryLinksFor(messageId);
  }
  async deleteAutoSummaryLinks(summaryId: string): Promise<number> {
    return (await this.#store()).deleteAutoSummaryLinks(summaryId);
  }
  async purgeExpired(): Promise<number> {
    return (await this.#store()).purgeExpired();
  }
}
