import type { SummaryDelivery, UserDataCounts } from '../store/store.js';
import { type Conversations, fromRecord } from './conversations.js';
import type { Parts } from './parts.js';

/** What `forget` deleted: the counts `preview` showed, the pasted texts, and where to remove messages. */
export interface ForgottenUser extends UserDataCounts {
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
  preview(userId: string): Promise<UserDataCounts> {
    return this.#parts.store.countUserData(userId);
  }

  /**
   * Deletes what is kept about a user: first each conversation they requested (with its pasted
   * text when nothing else refers to it), so nothing more is answered from it, then the rest (their
   * questions elsewhere, jobs, usage, their name on guild settings).
   */
  async forget(userId: string): Promise<ForgottenUser> {
    const { store } = this.#parts;
    const kept = await store.countUserData(userId);
    const deliveries = await store.deliveriesRequestedBy(userId);
    let texts = 0;
    for (const record of await store.threadsRequestedBy(userId)) {
      if ((await this.#conversations.forget(fromRecord(record, null))).articleDeleted) texts++;
    }
    await store.forgetUser(userId);
    return { ...kept, texts, deliveries };
  }
}
