import { Routes } from 'discord.js';
import type { RequestContext } from './context.js';
import { labels } from './texts.js';

/**
 * Deletes a summary's messages in a channel as the bot (also used by `/forget`); returns how many
 * went. One Discord refuses (404 or 403: a private summary's, a server the bot has left) is logged,
 * at `level` (`debug` where that is expected), and skipped.
 */
export async function deleteSummaryMessages(
  ctx: RequestContext,
  channelId: string,
  ids: readonly string[],
  level: 'warn' | 'debug' = 'warn',
): Promise<number> {
  let deleted = 0;
  for (const id of ids) {
    try {
      await ctx.bot.client.rest.delete(Routes.channelMessage(channelId, id));
      deleted++;
    } catch (err) {
      ctx.log[level]({ err, messageId: id }, 'could not delete a summary message');
    }
  }
  return deleted;
}

/** Deletes the bot's messages in a summary's thread and closes it (also used by `/forget`). */
export async function closeThread(ctx: RequestContext, threadId: string): Promise<void> {
  const { client } = ctx.bot;
  const thread = await client.channels.fetch(threadId).catch(() => null);
  if (!thread?.isThread()) return;
  const botId = client.user?.id;
  const messages = await thread.messages.fetch({ limit: 100 }).catch(() => null);
  for (const message of messages?.values() ?? []) {
    if (message.author.id !== botId) continue;
    await message
      .delete()
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not delete a thread message'));
  }
  try {
    await thread.edit({ name: labels.deletedThread, archived: true, locked: true });
  } catch {
    // Locking needs Manage Threads; the bot owns the thread, so renaming and archiving do not.
    await thread
      .edit({ name: labels.deletedThread, archived: true })
      .catch((err: unknown) => ctx.log.warn({ err }, 'could not close the thread'));
  }
}
