import { createHash } from 'node:crypto';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessage,
  DiscordAPIError,
  type Message,
  type MessageCreateOptions,
  MessageFlags,
  type REST,
  RESTJSONErrorCodes,
  type RepliableInteraction,
  Routes,
  type SendableChannels,
} from 'discord.js';
import { SAFE_MENTIONS } from './payloads.js';
import { embedsAsText } from './render/plain-text.js';
import { notices } from './texts.js';
import type { Place } from './where.js';

type Rows = APIActionRowComponent<APIComponentInMessageActionRow>[];

/** A message a delivery sent: enough to record it and to open a thread under it. */
export interface SentMessage {
  readonly id: string;
  readonly channelId: string;
}

/**
 * Where a request's result goes: a deferred interaction reply (with follow-ups), a reply to a
 * user's message, or a thread. Every message sent through it carries SAFE_MENTIONS.
 */
export interface Delivery {
  /** Whether the result is seen by the requester only. */
  readonly ephemeral: boolean;
  /** Shows a progress line in place of the pending reply (where there is one). */
  progress(text: string): Promise<void>;
  /**
   * Sends one message per entry; the first carries `components`, and `note` (one plain line, e.g.
   * why no thread opened) as its text. Resolves to the messages sent.
   */
  deliver(messages: readonly APIEmbed[][], components?: Rows, note?: string): Promise<SentMessage[]>;
  /** Tells the requester that it failed, as privately as the way in allows. */
  fail(text: string): Promise<void>;
  /**
   * Tells the requester that a restart cut the work short, where the result would have gone (as a
   * restart's apology does), with `components` (the "Try again" button).
   */
  interrupted(text: string, components: Rows): Promise<void>;
}

/** Results of a deferred interaction: the reply is edited, further messages are follow-ups. */
export class InteractionDelivery implements Delivery {
  constructor(
    readonly interaction: RepliableInteraction,
    readonly ephemeral: boolean,
  ) {}

  async progress(text: string): Promise<void> {
    await this.interaction.editReply({ content: text, allowedMentions: SAFE_MENTIONS });
  }

  async deliver(messages: readonly APIEmbed[][], components: Rows = [], note?: string): Promise<Message[]> {
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.interaction.editReply({
        content: note ?? '',
        embeds: first,
        components,
        allowedMentions: SAFE_MENTIONS,
      }),
    ];
    for (const embeds of rest) {
      sent.push(
        await this.interaction.followUp({
          embeds,
          allowedMentions: SAFE_MENTIONS,
          ...(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
        }),
      );
    }
    return sent;
  }

  /** A public pending reply is removed and the failure shown to the requester alone. */
  async fail(text: string): Promise<void> {
    if (this.ephemeral) {
      await this.interaction.editReply({
        content: text,
        embeds: [],
        components: [],
        allowedMentions: SAFE_MENTIONS,
      });
      return;
    }
    await this.interaction.deleteReply().catch(() => undefined);
    await this.interaction.followUp({
      content: text,
      flags: MessageFlags.Ephemeral,
      allowedMentions: SAFE_MENTIONS,
    });
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.interaction.editReply({
      content: text,
      embeds: [],
      components,
      allowedMentions: SAFE_MENTIONS,
    });
  }
}

/**
 * Results of a message (a mention, a question in a thread): replies to it, in its channel. Given
 * the place, it fits what the bot may do there: plain text within 2,000 characters per message
 * where it may not embed (Embed Links), and ordinary messages instead of replies where it may not
 * read the history (Discord requires Read Message History for replies).
 */
export class MessageDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(
    readonly message: Message,
    readonly place: Place | null = null,
  ) {}

  async progress(): Promise<void> {}

  async deliver(messages: readonly APIEmbed[][], components: Rows = [], note?: string): Promise<Message[]> {
    if (this.place && !this.place.canEmbed) return this.#deliverText(messages, components, note);
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.#first({
        ...(note ? { content: note } : {}),
        embeds: first,
        components,
        allowedMentions: SAFE_MENTIONS,
      }),
    ];
    const channel = this.message.channel as SendableChannels;
    for (const embeds of rest) sent.push(await channel.send({ embeds, allowedMentions: SAFE_MENTIONS }));
    return sent;
  }

  async fail(text: string): Promise<void> {
    await this.say(text);
  }

  /** One plain line as a reply to the message (or beside it, without Read Message History). */
  async say(text: string): Promise<Message> {
    return this.#first({ content: text, allowedMentions: SAFE_MENTIONS });
  }

  /** The embeds as plain text messages ending with the note; the first carries the buttons. */
  async #deliverText(messages: readonly APIEmbed[][], components: Rows, note?: string): Promise<Message[]> {
    const texts = embedsAsText(messages.flat(), [...(note ? [note] : []), notices.plainText].join('\n'));
    const channel = this.message.channel as SendableChannels;
    const sent: Message[] = [];
    for (const [i, content] of texts.entries()) {
      const options = { content, allowedMentions: SAFE_MENTIONS };
      sent.push(i === 0 ? await this.#first({ ...options, components }) : await channel.send(options));
    }
    return sent;
  }

  /** A reply to the message where the bot may read the history, else a plain message beside it. */
  #first(options: MessageCreateOptions): Promise<Message> {
    if (this.place && !this.place.canReply) {
      return (this.message.channel as SendableChannels).send(options);
    }
    return this.message.reply({ ...options, failIfNotExists: false });
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.message.reply({
      content: text,
      components,
      allowedMentions: SAFE_MENTIONS,
      failIfNotExists: false,
    });
  }
}

/**
 * An answer to a question asked through the modal: posted in the summary's thread for everyone,
 * with a short private note to the asker; progress and failures stay private.
 */
export class ThreadDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(
    readonly thread: SendableChannels & { readonly id: string },
    readonly interaction: RepliableInteraction,
    readonly header: string,
    readonly note: string,
  ) {}

  async progress(text: string): Promise<void> {
    await this.interaction.editReply({ content: text, allowedMentions: SAFE_MENTIONS });
  }

  async deliver(messages: readonly APIEmbed[][], components: Rows = []): Promise<Message[]> {
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.thread.send({
        content: this.header,
        embeds: first,
        components,
        allowedMentions: SAFE_MENTIONS,
      }),
    ];
    for (const embeds of rest) sent.push(await this.thread.send({ embeds, allowedMentions: SAFE_MENTIONS }));
    await this.interaction.editReply({ content: this.note, allowedMentions: SAFE_MENTIONS });
    return sent;
  }

  async fail(text: string): Promise<void> {
    await this.interaction.editReply({ content: text, allowedMentions: SAFE_MENTIONS });
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.interaction.editReply({ content: text, components, allowedMentions: SAFE_MENTIONS });
  }
}

/** Discord's form of SAFE_MENTIONS, for raw REST bodies (discord.js converts SAFE_MENTIONS to it). */
export const NO_MENTIONS = { parse: [], replied_user: false } as const;

/**
 * What a queued job has sent, kept in its record (`JobHandle.sent` / `recordSent`): a job run again
 * after its worker died finds the messages the earlier run sent, by step, and sends them no second
 * time.
 */
export interface SentLog {
  sent(step: string): SentMessage | undefined;
  recordSent(step: string, message: SentMessage): Promise<void>;
}

/**
 * A post Discord refused with 10008 under an enforced nonce: the earlier run posted it and the
 * message was deleted since. The job has been delivered; there is nothing to post again.
 */
export class AlreadyDelivered extends Error {
  constructor(readonly step: string) {
    super(`already delivered (step ${step}), then deleted`);
  }
}

/**
 * The nonce of a queued job's post at `step`: derived from the job, never random, so that the same
 * post by a run after a crash returns the first one (Discord checks `enforce_nonce` for a few
 * minutes, by author). 24 characters (Discord allows 25).
 */
export function nonceOf(jobId: string, step: string): string {
  return createHash('sha256').update(`${jobId}/${step}`).digest('base64url').slice(0, 24);
}

/**
 * Posts a message in a channel with `nonce` enforced (Discord checks it for a few minutes, by
 * author): the message made, or the one an earlier post with the same nonce made; null when that
 * one was deleted since (10008: it was delivered, there is nothing to post again).
 */
async function postOnce(
  rest: REST,
  channelId: string,
  body: Record<string, unknown>,
  nonce: string,
): Promise<SentMessage | null> {
  try {
    const message = (await rest.post(Routes.channelMessages(channelId), {
      body: { ...body, allowed_mentions: NO_MENTIONS, nonce, enforce_nonce: true },
    })) as APIMessage;
    return { id: message.id, channelId: message.channel_id };
  } catch (err) {
    if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage) return null;
    throw err;
  }
}

/** What a reply to a message may be where it goes (see `Place`): embeds, and a reply rather than a plain post. */
export interface ReplyRights {
  readonly canEmbed: boolean;
  readonly canReply: boolean;
}

/**
 * Results of a message (a mention, a link in an auto-summary channel) handled by a worker, which
 * holds no gateway connection: replies posted through REST like `MessageDelivery` (plain text where
 * the bot may not embed, plain posts where it may not reply). Each post carries a nonce derived
 * from the job and step with `enforce_nonce`, and is recorded in the job once sent: a job run again
 * after its worker died posts nothing twice.
 */
export class ChannelReplyDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(
    readonly rest: REST,
    readonly channelId: string,
    readonly messageId: string,
    readonly rights: ReplyRights,
    readonly jobId: string,
    readonly log: SentLog,
  ) {}

  async progress(): Promise<void> {}

  async deliver(
    messages: readonly APIEmbed[][],
    components: Rows = [],
    note?: string,
  ): Promise<SentMessage[]> {
    const bodies: Record<string, unknown>[] = [];
    if (!this.rights.canEmbed) {
      const texts = embedsAsText(messages.flat(), [...(note ? [note] : []), notices.plainText].join('\n'));
      for (const [i, content] of texts.entries())
        bodies.push(i === 0 ? { content, components } : { content });
    } else {
      const [first = [], ...rest] = messages;
      bodies.push({ ...(note ? { content: note } : {}), embeds: first, components });
      for (const embeds of rest) bodies.push({ embeds });
    }
    const sent: SentMessage[] = [];
    for (const [i, body] of bodies.entries()) sent.push(await this.post(`part-${i}`, body, i === 0));
    return sent;
  }

  async fail(text: string): Promise<void> {
    await this.post('fail', { content: text }, true);
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.post('interrupted', { content: text, components }, true);
  }

  /**
   * Posts one message as the job's `step` (a reply to the message when `reply` and allowed), unless
   * the job recorded it already; records it once posted. Throws `AlreadyDelivered` on 10008.
   */
  async post(step: string, body: Record<string, unknown>, reply: boolean): Promise<SentMessage> {
    const known = this.log.sent(step);
    if (known) return known;
    const sent = await postOnce(
      this.rest,
      this.channelId,
      {
        ...body,
        ...(reply && this.rights.canReply
          ? { message_reference: { message_id: this.messageId, fail_if_not_exists: false } }
          : {}),
      },
      nonceOf(this.jobId, step),
    );
    if (!sent) throw new AlreadyDelivered(step);
    await this.log.recordSent(step, sent);
    return sent;
  }
}

/**
 * Results of an interaction deferred by another process (a gateway), sent by a worker through
 * Discord's REST API with the interaction's webhook token (valid 15 minutes): the deferred reply is
 * edited (an edit is idempotent, so a job run again after a crash edits the same message), further
 * messages are follow-ups. Mirrors `InteractionDelivery`. Follow-ups have no nonce (Discord does not
 * deduplicate webhook messages): each is recorded in the job once sent (`log`), and a run after a
 * crash skips those; one sent in the instant between its post and its record is sent again.
 */
export class WebhookDelivery implements Delivery {
  constructor(
    readonly rest: REST,
    readonly applicationId: string,
    readonly token: string,
    readonly ephemeral: boolean,
    readonly log: SentLog | null = null,
  ) {}

  async progress(text: string): Promise<void> {
    await this.#edit({ content: text });
  }

  async deliver(
    messages: readonly APIEmbed[][],
    components: Rows = [],
    note?: string,
  ): Promise<SentMessage[]> {
    const [first = [], ...rest] = messages;
    const sent = [await this.#edit({ content: note ?? '', embeds: first, components })];
    for (const [i, embeds] of rest.entries()) {
      sent.push(
        await this.#followUp(`part-${i + 1}`, {
          embeds,
          ...(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
        }),
      );
    }
    return sent;
  }

  async fail(text: string): Promise<void> {
    if (this.ephemeral) {
      await this.#edit({ content: text, embeds: [], components: [] });
      return;
    }
    await this.rest
      .delete(Routes.webhookMessage(this.applicationId, this.token, '@original'), { auth: false })
      .catch(() => undefined);
    await this.#followUp('fail', { content: text, flags: MessageFlags.Ephemeral });
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.#edit({ content: text, embeds: [], components });
  }

  async #edit(body: Record<string, unknown>): Promise<SentMessage> {
    const message = (await this.rest.patch(
      Routes.webhookMessage(this.applicationId, this.token, '@original'),
      {
        body: { ...body, allowed_mentions: NO_MENTIONS },
        auth: false,
      },
    )) as APIMessage;
    return { id: message.id, channelId: message.channel_id };
  }

  async #followUp(step: string, body: Record<string, unknown>): Promise<SentMessage> {
    const known = this.log?.sent(step);
    if (known) return known;
    const message = (await this.rest.post(Routes.webhook(this.applicationId, this.token), {
      body: { ...body, allowed_mentions: NO_MENTIONS },
      query: new URLSearchParams({ wait: 'true' }),
      auth: false,
    })) as APIMessage;
    const sent = { id: message.id, channelId: message.channel_id };
    await this.log?.recordSent(step, sent);
    return sent;
  }
}

/** The same delivery, with one plain line (why the result went there) on its first message. */
export function withNote(out: Delivery, note: string): Delivery {
  return {
    ephemeral: out.ephemeral,
    progress: (text) => out.progress(text),
    deliver: (messages, components, own) => out.deliver(messages, components, own ?? note),
    fail: (text) => out.fail(text),
    interrupted: (text, components) => out.interrupted(text, components),
  };
}

/** Shows "Verbatim is typing…" in a channel until stopped (Discord shows it ~10 s per request). */
export function keepTyping(channel: SendableChannels): () => void {
  const send = () => void channel.sendTyping().catch(() => undefined);
  send();
  const timer = setInterval(send, 8000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Replies to a message (a question asked in a thread) posted by a worker through Discord's REST API.
 * Each message carries a nonce made from `nonceKey` (the question's id) and its position, with
 * `enforce_nonce`: a post run again after a crash gets the message the first run made instead of a
 * second one (Discord remembers nonces for a few minutes; 10008 = it was made, then deleted).
 */
export class QuestionReplyDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(
    readonly rest: REST,
    readonly channelId: string,
    /** The message replied to; null: plain messages (no reply reference). */
    readonly replyTo: string | null,
    /** ≤ 21 characters (Discord's nonce is at most 25, the position is added). */
    readonly nonceKey: string,
  ) {}

  async progress(): Promise<void> {}

  async deliver(
    messages: readonly APIEmbed[][],
    components: Rows = [],
    note?: string,
  ): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (const [i, embeds] of (messages.length > 0 ? messages : [[]]).entries()) {
      const first = i === 0;
      const message = await this.#post(`${i}`, {
        ...(first && note ? { content: note } : {}),
        embeds,
        ...(first ? { components } : {}),
        ...(first ? this.#reference() : {}),
      });
      if (message) sent.push(message);
    }
    return sent;
  }

  async fail(text: string): Promise<void> {
    await this.#post('0', { content: text, ...this.#reference() });
  }

  async interrupted(text: string, components: Rows): Promise<void> {
    await this.#post('r', { content: text, components, ...this.#reference() });
  }

  #reference(): Record<string, unknown> {
    return this.replyTo ? { message_reference: { message_id: this.replyTo, fail_if_not_exists: false } } : {};
  }

  /** The message posted (or posted before, same nonce); null when that one was deleted since. */
  #post(position: string, body: Record<string, unknown>): Promise<SentMessage | null> {
    return postOnce(this.rest, this.channelId, body, `${this.nonceKey}.${position}`);
  }
}

/**
 * A question asked through the Ask form, answered by a worker (mirrors `ThreadDelivery`): posted in
 * the summary's thread for everyone, then the asker's private pending reply says where; progress and
 * failures stay in that private reply. Where the bot cannot post in the thread (there is none, it
 * is locked, or a permission is missing), the answer is given privately instead, saying why.
 */
export class FormAnswerDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(
    readonly thread: QuestionReplyDelivery,
    /** The asker's deferred private reply. */
    readonly reply: WebhookDelivery,
    readonly header: string,
    readonly note: string,
  ) {}

  progress(text: string): Promise<void> {
    return this.reply.progress(text);
  }

  async deliver(messages: readonly APIEmbed[][], components: Rows = []): Promise<SentMessage[]> {
    let sent: SentMessage[];
    try {
      sent = await this.thread.deliver(messages, components, this.header);
    } catch (err) {
      if (!(err instanceof DiscordAPIError) || !NOT_IN_THREAD.has(Number(err.code))) throw err;
      const why =
        err.code === RESTJSONErrorCodes.UnknownChannel
          ? undefined
          : err.code === RESTJSONErrorCodes.ThreadLocked
            ? notices.threadLocked
            : notices.threadUnavailable;
      return this.reply.deliver(messages, components, why);
    }
    await this.reply.progress(this.note);
    return sent;
  }

  fail(text: string): Promise<void> {
    return this.reply.fail(text);
  }

  interrupted(text: string, components: Rows): Promise<void> {
    return this.reply.interrupted(text, components);
  }
}

/** Errors of a post in a summary's thread that mean "answer privately instead". */
const NOT_IN_THREAD = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.ThreadLocked,
  RESTJSONErrorCodes.InvalidActionOnArchivedThread,
]);

/** Shows "Verbatim is typing…" in a channel through REST until stopped (a worker has no gateway). */
export function keepTypingVia(rest: REST, channelId: string): () => void {
  const send = () => void rest.post(Routes.channelTyping(channelId)).catch(() => undefined);
  send();
  const timer = setInterval(send, 8000);
  timer.unref();
  return () => clearInterval(timer);
}
