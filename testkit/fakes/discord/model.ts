import type { JsonRecord } from './json.js';

/**
 * API-shaped objects as the fake sends them. Kept loose (no discord-api-types, which is only a
 * transitive dependency here) but named after Discord's fields so payloads read like the docs.
 */

export interface ApiUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  public_flags: number;
}

export interface ApiAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
  ephemeral?: boolean;
}

export interface ApiChannel {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  position?: number;
  parent_id?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  permission_overwrites?: unknown[];
  rate_limit_per_user?: number;
  last_message_id?: string | null;
  owner_id?: string;
  flags?: number;
  thread_metadata?: {
    archived: boolean;
    auto_archive_duration: number;
    archive_timestamp: string;
    locked: boolean;
    invitable?: boolean;
    create_timestamp?: string;
  };
  member_count?: number;
  message_count?: number;
  total_message_sent?: number;
  recipients?: ApiUser[];
}

export interface ApiMessageReference {
  type?: number;
  message_id?: string;
  channel_id?: string;
  guild_id?: string;
  fail_if_not_exists?: boolean;
}

export interface ApiMessage {
  id: string;
  type: number;
  channel_id: string;
  author: ApiUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: ApiUser[];
  mention_roles: string[];
  attachments: ApiAttachment[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  flags: number;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  message_reference?: ApiMessageReference;
  referenced_message?: ApiMessage | null;
  interaction_metadata?: JsonRecord;
  interaction?: JsonRecord;
  thread?: ApiChannel;
  position?: number;
  poll?: unknown;
  reactions?: { count: number; me: boolean; emoji: { id: string | null; name: string } }[];
}

/** A file stored on the fake's file server (a user's attachment or one the bot uploaded). */
export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/** One request body as received: the JSON (or `payload_json`) and a summary of uploaded files. */
export interface RecordedPayload {
  readonly kind: 'create' | 'edit' | 'callback';
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly files: readonly { field: string; filename: string; contentType: string; size: number }[];
}

/** Who made a message, which decides what the gateway shows of it and where it may be replied to. */
export type MessageOrigin = 'user' | 'bot' | 'interaction-response' | 'followup';

/**
 * A message as the fake holds it: `api` is the current Discord object; `payloads` keeps every raw
 * create/edit body so tests and a preview tool can assert on exactly what the bot sent.
 */
export class StoredMessage {
  readonly payloads: RecordedPayload[] = [];
  deleted = false;
  /** Id of the thread started from this message, if any. */
  threadId: string | null = null;

  constructor(
    public api: ApiMessage,
    readonly guildId: string | null,
    readonly origin: MessageOrigin,
    readonly ephemeral: boolean,
    readonly interactionId: string | null,
  ) {}

  get id(): string {
    return this.api.id;
  }
  get channelId(): string {
    return this.api.channel_id;
  }
  get authorId(): string {
    return this.api.author.id;
  }
  get content(): string {
    return this.api.content;
  }
  get embeds(): unknown[] {
    return this.api.embeds;
  }
  get components(): unknown[] {
    return this.api.components;
  }
  get attachments(): ApiAttachment[] {
    return this.api.attachments;
  }
  get flags(): number {
    return this.api.flags;
  }
  /** The last raw body received for this message (create or edit). */
  get lastPayload(): RecordedPayload | undefined {
    return this.payloads.at(-1);
  }
}

/** A command as registered through the API, with the ids Discord assigns. */
export interface ApiCommand extends JsonRecord {
  id: string;
  application_id: string;
  version: string;
  type: number;
  name: string;
  description: string;
  guild_id?: string;
  options?: JsonRecord[];
}
