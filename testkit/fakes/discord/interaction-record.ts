import type { JsonRecord } from './json.js';
import type { RecordedPayload, StoredMessage } from './model.js';
import type { World } from './world.js';

export type InteractionKind = 'slash' | 'message-context' | 'button' | 'select' | 'modal-submit';

/** What `waitFor` can wait for, or any predicate over the handle. */
export type InteractionCondition =
  | 'ack'
  | 'edited'
  | 'responded'
  | 'followup'
  | 'modal'
  | 'deleted'
  | ((handle: InteractionHandle) => boolean);

/** A request on this interaction's routes that Discord refused (late ack, expired token...). */
export interface InteractionRejection {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: number;
}

/**
 * What happened to one interaction the driver sent: when it was dispatched and acknowledged, the
 * callback type, the original response as it stands after edits, follow-ups, a modal if one was
 * shown, and requests Discord refused. Times are the fake's clock (ms).
 */
export class InteractionHandle {
  ackedAt: number | null = null;
  callbackType: number | null = null;
  callback: RecordedPayload | null = null;
  /** The message `@original` points at: the response, the loading message, or (types 6/7) the component's message. */
  original: StoredMessage | null = null;
  /** Raw bodies of every `PATCH @original`, in order. */
  readonly edits: RecordedPayload[] = [];
  readonly followups: StoredMessage[] = [];
  /** The modal's `data` when the app answered with callback type 9. */
  modal: JsonRecord | null = null;
  /** Set once the driver has submitted the modal this interaction showed (a modal is submitted once). */
  modalSubmitted = false;
  originalDeleted = false;
  readonly rejections: InteractionRejection[] = [];
  /** Whether the original response has visible content (a type 4 reply, an edit, or the first follow-up after a defer). */
  responded = false;

  constructor(
    readonly world: World,
    readonly id: string,
    readonly token: string,
    readonly kind: InteractionKind,
    /** Interaction type: 2 command, 3 component, 5 modal submit. */
    readonly type: number,
    /** Command name or custom id. */
    readonly name: string,
    readonly channelId: string,
    readonly guildId: string | null,
    readonly userId: string,
    readonly dispatchedAt: number,
    /** The message a component sits on (buttons; modals opened from a component). */
    readonly sourceMessageId: string | null,
    /** The raw INTERACTION_CREATE `d` as dispatched. */
    readonly payload: JsonRecord,
  ) {}

  /** Milliseconds from dispatch to acknowledgement, or null while unacknowledged. */
  get ackLatencyMs(): number | null {
    return this.ackedAt === null ? null : this.ackedAt - this.dispatchedAt;
  }

  get ephemeral(): boolean {
    return this.original?.ephemeral ?? false;
  }

  /** Waits until the condition holds, returning this handle; rejects after `timeoutMs` with what was seen. */
  waitFor(condition: InteractionCondition, timeoutMs = 5000): Promise<this> {
    const test = (): boolean => {
      switch (condition) {
        case 'ack':
          return this.ackedAt !== null;
        case 'edited':
          return this.edits.length > 0;
        case 'responded':
          return this.responded;
        case 'followup':
          return this.followups.length > 0;
        case 'modal':
          return this.modal !== null;
        case 'deleted':
          return this.originalDeleted;
        default:
          return condition(this);
      }
    };
    return this.world.waitUntil(
      () => (test() ? this : undefined),
      timeoutMs,
      () =>
        `interaction ${this.kind} "${this.name}" to be ${typeof condition === 'string' ? condition : 'as predicated'} ` +
        `(acked: ${this.ackedAt !== null}, callback type: ${this.callbackType}, edits: ${this.edits.length}, ` +
        `follow-ups: ${this.followups.length}, rejections: ${JSON.stringify(this.rejections)})`,
    );
  }
}
