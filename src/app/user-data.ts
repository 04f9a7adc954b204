import type { SummaryDelivery, UserDataCounts } from '../store/store.js';
import { type Conversations, fromRecord } from './conversations.js';
import type { Parts } from './parts.js';

/**
 * What `/forget` shows: the store's counts, and the auto-summary channel settings that name the
 * user as the admin who turned them on (forgetting keeps those settings, without the name: they
 * are the server's choice, not the admin's data).
 */
export interface KeptAboutUser extends UserDataCounts {
  readonly autoSummaryChannels: number;
}

/** What `forget` deleted: the counts `preview` showed, the pasted texts, and where to remove messages. */
export interface ForgottenUser extends KeptAboutUser {
  /** Texts they pasted or uploaded that nothing else referred to. */
  readonly texts: number;
  /** Where their summaries were delivered, for the adapter to remove the messages it still may. */
  readonly deliveries: readonly SummaryDelivery[];
}

/** What Verbatim keeps about one user, shown (`/forget`'s preview) and deleted on their request. */
export class UserData {
  readonly #parts: Parts;
  readonly #conversations: Conversations;

  constructor(parts: Parts, conversations: Conversations) {
    this.#parts = parts;
    this.#conversations = conversations;
  }

  /** How much is kept about a user, everywhere (counts, never contents). */
  async preview(userId: string): Promise<KeptAboutUser> {
    const { store } = this.#parts;
    return {
      ...(await store.countUserData(userId)),
      autoSummaryChannels: await store.countAutoSummaryChannelsSetBy(userId),
    };
  }

  /**
   * Deletes what is kept about a user: first each conversation they requested (with its pasted
   * text when nothing else refers to it), so nothing more is answered from it, then the rest (their
   * questions elsewhere, jobs, usage, the links they posted that were summarized by themselves, their
   * name on guild and auto-summary settings).
   */
  async forget(userId: string): Promise<ForgottenUser> {
    const { store } = this.#parts;
    const kept = await this.preview(userId);
    const deliveries = await store.deliveriesRequestedBy(userId);
    let texts = 0;
    for (const record of await store.threadsRequestedBy(userId)) {
      if ((await this.#conversations.forget(fromRecord(record, null))).articleDeleted) texts++;
    }
    await store.forgetUser(userId);
    return { ...kept, texts, deliveries };
  }
}
