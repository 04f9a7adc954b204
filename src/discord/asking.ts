import type { Conversation } from '../app/conversations.js';
import type { JobReply } from '../app/jobs.js';
import { runAnswer } from './answer-flow.js';
import type { RequestContext, RequestOutcome } from './context.js';
import type { Delivery } from './delivery.js';
import { withJob } from './jobs.js';
import { notices } from './messages.js';

/**
 * Queues a follow-up question behind the earlier ones of the same conversation (answers come in the
 * order questions were asked; other conversations run in parallel) and answers it, recorded as a job
 * (see `withJob`) from the moment it is queued.
 */
export async function answerQueued(
  ctx: RequestContext,
  conversation: Conversation,
  question: string,
  askerId: string,
  out: Delivery,
  reply: JobReply,
  /** Where the question was asked (a message's reply goes there); default the summary's channel. */
  channelId: string = conversation.channelId,
): Promise<RequestOutcome> {
  if (question.trim() === '') {
    await out.fail(notices.emptyQuestion);
    return 'empty_input';
  }
  // Recorded before it waits in the queue, so that a restart finds questions still waiting too.
  return withJob(
    ctx,
    {
      kind: 'answer',
      guildId: conversation.guildId === '@me' ? null : conversation.guildId,
      channelId,
      userId: askerId,
      reply,
      retry: { kind: 'answer', conversationId: conversation.id, question },
    },
    async (jobCtx) => {
      await jobCtx.bot.afterAcknowledgements();
      return jobCtx.bot.conversations.run(conversation.id, () =>
        runAnswer(jobCtx, conversation, question, askerId, out),
      );
    },
  );
}
