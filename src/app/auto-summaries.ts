import { normalizeRequestUrl } from '../article/fetch/normalize-url.js';
import { SUMMARY_LENGTHS, type SummaryLength } from '../engines/engine.js';
import type { AutoSummaryChannel, AutoSummaryLink, SummaryDelivery } from '../store/store.js';
import type { Conversations } from './conversations.js';
import type { Parts } from './parts.js';

export type { AutoSummaryChannel, AutoSummaryLink } from '../store/store.js';

/** A link summarized in a channel less than this long ago gets a pointer instead of a second summary. */
export const DUPLICATE_WINDOW_MS = 24 * 3_600_000;

/** At most this many links of one message are summarized (the rest are ignored). */
export const MAX_LINKS_PER_MESSAGE = 3;

/** What an admin chose with `/autosummarize on`. Domains are host names, matched with subdomains. */
export interface AutoSummaryOptions {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly length: SummaryLength | null;
}

/** What a summary that was posted by itself is recorded under (see `recordPosted`). */
export interface PostedAutoSummary {
  readonly guildId: string;
  readonly channelId: string;
  /** The link as posted (normalized here). */
  readonly url: string;
  /** The page's canonical URL, when it has one (normalized here). */
  readonly canonicalUrl: string | null;
  readonly summaryId: string;
  readonly messageId: string;
  readonly requesterId: string;
}

/**
 * Channels that summarize links by themselves (`/autosummarize`), with no knowledge of Discord:
 * the settings per channel, which links of a message qualify, the earlier summary of the same link
 * (24 hours, by the link as posted or the page's canonical URL), and the summaries that answered a
 * message that was deleted or edited since.
 */
export class AutoSummaries {
  readonly #parts: Parts;
  readonly #conversations: Conversations;

  constructor(parts: Parts, conversations: Conversations) {
    this.#parts = parts;
    this.#conversations = conversations;
  }

  /** Turns a channel on (or replaces its options), naming the admin who did. */
  async turnOn(
    where: { readonly guildId: string; readonly channelId: string },
    options: AutoSummaryOptions,
    adminId: string,
  ): Promise<AutoSummaryChannel> {
    const setting: AutoSummaryChannel = {
      guildId: where.guildId,
      channelId: where.channelId,
      include: options.include,
      exclude: options.exclude,
      length: options.length,
      updatedBy: adminId,
      updatedAt: this.#parts.now(),
    };
    await this.#parts.store.putAutoSummaryChannel(setting);
    return setting;
  }

  /** Turns a channel off; false when it was not on. */
  turnOff(channelId: string): Promise<boolean> {
    return this.#parts.store.deleteAutoSummaryChannel(channelId);
  }

  /** The channel's setting, or null when auto-summaries are off there. */
  async setting(channelId: string): Promise<AutoSummaryChannel | null> {
    return (await this.#parts.store.getAutoSummaryChannel(channelId)) ?? null;
  }

  /** The channels of a guild where auto-summaries are on. */
  channels(guildId: string): Promise<AutoSummaryChannel[]> {
    return this.#parts.store.autoSummaryChannelsIn(guildId);
  }

  /** How many channel settings name this user (shown by `/forget`; forgetting keeps them, unnamed). */
  setBy(userId: string): Promise<number> {
    return this.#parts.store.countAutoSummaryChannelsSetBy(userId);
  }

  /** The summary length a channel asks for (its own, else standard). */
  lengthOf(setting: AutoSummaryChannel): SummaryLength {
    const length = SUMMARY_LENGTHS.find((l) => l === setting.length);
    return length ?? 'standard';
  }

  /** The links (in order, each once) the channel's domain options let through, at most three. */
  selectLinks(setting: AutoSummaryChannel, links: readonly string[]): string[] {
    const seen = new Set<string>();
    const chosen: string[] = [];
    for (const link of links) {
      const key = normalizeRequestUrl(link);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!domainAllowed(setting, link)) continue;
      chosen.push(link);
      if (chosen.length === MAX_LINKS_PER_MESSAGE) break;
    }
    return chosen;
  }

  /** The summary of this link (as posted, or its canonical URL) in this channel in the last 24 hours, if any. */
  async earlier(channelId: string, urls: readonly (string | null)[]): Promise<AutoSummaryLink | null> {
    const since = this.#parts.now() - DUPLICATE_WINDOW_MS;
    for (const url of urls) {
      if (!url) continue;
      const found = await this.#parts.store.autoSummaryLinkSince(channelId, normalizeRequestUrl(url), since);
      if (found) return found;
    }
    return null;
  }

  /** Records a posted summary under the link as posted and the page's canonical URL. */
  async recordPosted(posted: PostedAutoSummary): Promise<void> {
    const urls = new Set([normalizeRequestUrl(posted.url)]);
    if (posted.canonicalUrl) urls.add(normalizeRequestUrl(posted.canonicalUrl));
    const postedAt = this.#parts.now();
    for (const url of urls) {
      await this.#parts.store.putAutoSummaryLink({
        guildId: posted.guildId,
        channelId: posted.channelId,
        url,
        summaryId: posted.summaryId,
        messageId: posted.messageId,
        requesterId: posted.requesterId,
        postedAt,
      });
    }
  }

  /**
   * Forgets the summaries that answered a person's message whose links are no longer in it (all of
   * them when `links` is null: the message was deleted): their conversations, deliveries and link
   * rows. Returns where they were delivered, for the adapter to delete the messages.
   */
  async withdraw(messageId: string, links: readonly string[] | null): Promise<SummaryDelivery[]> {
    const { store } = this.#parts;
    const still = new Set((links ?? []).map((l) => normalizeRequestUrl(l)));
    const bySummary = new Map<string, AutoSummaryLink[]>();
    for (const link of await store.autoSummaryLinksFor(messageId)) {
      bySummary.set(link.summaryId, [...(bySummary.get(link.summaryId) ?? []), link]);
    }
    const withdrawn: SummaryDelivery[] = [];
    for (const [summaryId, rows] of bySummary) {
      if (rows.some((row) => still.has(row.url))) continue;
      const delivery = await store.getDelivery(summaryId);
      const conversation = await this.#conversations.get(summaryId);
      if (conversation) await this.#conversations.forget(conversation);
      else await store.deleteDelivery(summaryId);
      await store.deleteAutoSummaryLinks(summaryId);
      if (delivery) withdrawn.push(delivery);
    }
    return withdrawn;
  }
}

/**
 * Parses the domains an admin typed ("example.com, news.example.org" or with spaces, or full links)
 * into lowercase host names; null when one is not a host name (the command says so).
 */
export function parseDomains(text: string | null): string[] | null {
  if (text === null) return [];
  const domains: string[] = [];
  for (const part of text.split(/[\s,;]+/u)) {
    if (part === '') continue;
    let host = part.toLowerCase();
    if (/^https?:\/\//u.test(host)) {
      try {
        host = new URL(host).hostname;
      } catch {
        return null;
      }
    }
    host = host.replace(/^\*\./u, '').replace(/\.$/u, '');
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/u.test(host) || host.length > 253) return null;
    if (!domains.includes(host)) domains.push(host);
  }
  return domains;
}

/** Whether a link's host is let through: not excluded, and included when an include list is set. */
export function domainAllowed(
  setting: Pick<AutoSummaryChannel, 'include' | 'exclude'>,
  link: string,
): boolean {
  let host: string;
  try {
    host = new URL(link).hostname.toLowerCase().replace(/\.$/u, '');
  } catch {
    return false;
  }
  const matches = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (setting.exclude.some(matches)) return false;
  return setting.include.length === 0 || setting.include.some(matches);
}
