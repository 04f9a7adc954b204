import type { Conversation } from '../app/service.js';
import type { JobReply } from '../store/store.js';
import { runAnswer } from './answer-flow.js';
import type { RequestContext, RequestOutcome } from './context.js';
import type { Delivery } from './delivery.js';
import { withJob } from './jobs.js';
import { notices } from './messages.js';

/**
 * Queues a follow-up question behind the earlier ones of the same conversation (answers come in the
 * order questions were asked; other conversations run in parallel) and answers it.
 */
export async function answerQueued(
  ctx: RequestContext,
  conversation: Conversation,
  question: string,
  askerId: string,
  out: Delivery,
  reply: JobReply,
): Promise<RequestOutcome> {
  if (question.trim() === '') {
    await out.fail(notices.emptyQuestion);
    return 'empty_input';
  }
  const { record } = conversation;
  return ctx.bot.conversations.run(record.threadId, () =>
    withJob(
      ctx,
      {
        kind: 'answer',
        guildId: record.guildId === '@me' ? null : record.guildId,
        channelId: record.channelId,
        userId: askerId,
        reply,
      },
      () => runAnswer(ctx, conversation, question, askerId, out),
    ),
  );
}
