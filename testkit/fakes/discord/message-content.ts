import type { ApiMessage, StoredMessage } from './model.js';

/**
 * The Message Content rule. Without the privileged intent, Discord sends `content`, `embeds`,
 * `attachments` and `components` empty (and no `poll`) for every message except: the bot's own,
 * DMs, messages that @mention the bot, and replies that ping the bot on one of its ordinary
 * messages (not on an interaction response). The target of a message context-menu command is
 * resolved in full inside the interaction instead.
 */
export interface ContentRuleContext {
  readonly botId: string;
  /** Whether the reader may see every message's content (intent enabled, and requested on the gateway). */
  readonly privileged: boolean;
  readonly isDm: (channelId: string) => boolean;
  readonly lookup: (messageId: string) => StoredMessage | undefined;
}

export function isContentVisible(message: ApiMessage, ctx: ContentRuleContext): boolean {
  if (ctx.privileged) return true;
  if (message.author.id === ctx.botId) return true;
  if (ctx.isDm(message.channel_id)) return true;
  if (mentionsUserInContent(message.content, ctx.botId)) return true;
  const referencedId = message.message_reference?.message_id;
  if (message.type === 19 && referencedId) {
    const referenced = ctx.lookup(referencedId);
    const pinged = message.mentions.some((u) => u.id === ctx.botId);
    if (referenced && pinged && referenced.authorId === ctx.botId && referenced.origin === 'bot') return true;
  }
  return false;
}

/** The message as a reader under `ctx` receives it; nested `referenced_message` follows the same rule. */
export function applyContentRule(message: ApiMessage, ctx: ContentRuleContext): ApiMessage {
  const visible = isContentVisible(message, ctx);
  const out: ApiMessage = visible
    ? { ...message }
    : { ...message, content: '', embeds: [], attachments: [], components: [] };
  if (!visible) delete out.poll;
  if (message.referenced_message) out.referenced_message = applyContentRule(message.referenced_message, ctx);
  return out;
}

export const mentionsUserInContent = (content: string, userId: string): boolean =>
  content.includes(`<@${userId}>`) || content.includes(`<@!${userId}>`);
