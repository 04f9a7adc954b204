import type { APIEmbed, MessageMentionOptions } from 'discord.js';

/**
 * Sent with every message: nobody is ever pinged, whatever article text or question a message
 * carries (`@everyone`, role and user mentions), and replies do not ping their author.
 */
export const SAFE_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [], repliedUser: false });

/** Longest follow-up question accepted (characters). */
export const MAX_QUESTION_CHARS = 1000;

/** One message per embed: the shape summaries and answers are sent in. */
export function messagesOf(embeds: readonly APIEmbed[]): APIEmbed[][] {
  return embeds.map((e) => [e]);
}
