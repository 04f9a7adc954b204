import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type Message,
  MessageFlags,
  type RepliableInteraction,
  type SendableChannels,
} from 'discord.js';
import { SAFE_MENTIONS } from './payloads.js';

type Rows = APIActionRowComponent<APIComponentInMessageActionRow>[];

/**
 * Where a request's result goes: a deferred interaction reply (with follow-ups), a reply to a
 * user's message, or a thread. Every message sent through it carries SAFE_MENTIONS.
 */
export interface Delivery {
  /** Whether the result is seen by the requester only. */
  readonly ephemeral: boolean;
  /** Shows a progress line in place of the pending reply (where there is one). */
  progress(text: string): Promise<void>;
  /** Sends one message per entry; the first carries `components`. Resolves to the messages sent. */
  deliver(messages: readonly APIEmbed[][], components?: Rows): Promise<Message[]>;
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

  async deliver(messages: readonly APIEmbed[][], components: Rows = []): Promise<Message[]> {
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.interaction.editReply({
        content: '',
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

/** Results of a message (a mention, a question in a thread): replies to it, in its channel. */
export class MessageDelivery implements Delivery {
  readonly ephemeral = false;
  constructor(readonly message: Message) {}

  async progress(): Promise<void> {}

  async deliver(messages: readonly APIEmbed[][], components: Rows = []): Promise<Message[]> {
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.message.reply({
        embeds: first,
        components,
        allowedMentions: SAFE_MENTIONS,
        failIfNotExists: false,
      }),
    ];
    const channel = this.message.channel as SendableChannels;
    for (const embeds of rest) sent.push(await channel.send({ embeds, allowedMentions: SAFE_MENTIONS }));
    return sent;
  }

  async fail(text: string): Promise<void> {
    await this.message.reply({ content: text, allowedMentions: SAFE_MENTIONS, failIfNotExists: false });
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

  async deliver(messages: readonly APIEmbed[][]): Promise<Message[]> {
    const [first = [], ...rest] = messages;
    const sent: Message[] = [
      await this.thread.send({ content: this.header, embeds: first, allowedMentions: SAFE_MENTIONS }),
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

/** Shows "Verbatim is typing…" in a channel until stopped (Discord shows it ~10 s per request). */
export function keepTyping(channel: SendableChannels): () => void {
  const send = () => void channel.sendTyping().catch(() => undefined);
  send();
  const timer = setInterval(send, 8000);
  timer.unref();
  return () => clearInterval(timer);
}
