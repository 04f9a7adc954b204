import type { WaitingQuestion } from '../app/jobs.js';
import { DRAIN_ATTEMPTS, type ThreadDrain, type WorkEnd } from '../app/work-queue.js';
import type { Logger } from '../log.js';
import type { BotContext, RequestContext } from './context.js';
import {
  type Delivery,
  FormAnswerDelivery,
  keepTypingVia,
  QuestionReplyDelivery,
  WebhookDelivery,
} from './delivery.js';
import { runAnswer } from './requests/question-request.js';
import { labels, notices } from './texts.js';

/**
 * A worker's drain of one thread (VERBATIM_ROLE=worker): answers its oldest unanswered question
 * until none is left, each recorded as answered (its job row finished, conditionally) once its
 * asker has the answer or was told why not — a refusal, a quota, a failed engine finish the
 * question too, so the thread never blocks behind it. The queue runs one drain per thread at a time
 * (see `ThreadDrain`), so the thread's questions are answered one at a time, in order, by whichever
 * worker. Throws on transport errors (Discord's REST or the store away), and the queue retries; on
 * the last attempt the question is given up instead: its asker is told and the drain goes on.
 * A drain run again after its worker died starts at the first question not recorded: the one that
 * was being answered is answered again, and its delivery finds the first one's (see
 * `QuestionReplyDelivery`, and the interaction's reply is edited, not posted). A worker stopping
 * finishes the question it is answering and hands the rest back to the queue at once.
 */
export async function drainThread(
  bot: BotContext,
  work: ThreadDrain,
  attempt: number,
  stopping: AbortSignal,
): Promise<WorkEnd> {
  const log = bot.log.child({ threadId: work.threadId, attempt });
  let answered = 0;
  for (;;) {
    const next = await bot.app.jobs.nextQuestion(work.threadId);
    if (!next) break;
    if (stopping.aborted) {
      log.info({ answered }, 'thread handed back at shutdown');
      return 'handed-back';
    }
    const qlog = log.child({ requestId: next.record.id });
    try {
      await answerQueuedQuestion(bot, next, qlog);
    } catch (err) {
      if (attempt < DRAIN_ATTEMPTS) throw err;
      qlog.warn({ err }, 'question given up after the last attempt');
      await deliveryOf(bot, next)
        .fail(notices.unexpected(next.record.id))
        .catch((told: unknown) => qlog.warn({ err: told }, 'could not tell the asker'));
    }
    if (!(await bot.app.jobs.finishQuestion(next.record.id))) {
      qlog.warn('question was recorded answered by another run');
    }
    answered++;
  }
  log.info({ answered }, 'thread drained');
  return 'done';
}

/** One question from its job row, answered as the single process answers it, delivered through REST. */
async function answerQueuedQuestion(bot: BotContext, question: WaitingQuestion, log: Logger): Promise<void> {
  const { record, retry } = question;
  const out = deliveryOf(bot, question);
  log.info('queued question started');
  const conversation = await bot.app.conversations.get(retry.conversationId);
  if (!conversation) {
    const asked = record.reply.via === 'interaction' && !retry.inThread;
    await out.fail(asked ? notices.notASummaryThread : notices.conversationGone);
    return;
  }
  // No job handle: the drain finishes the row (conditionally) once the answer is out.
  const ctx: RequestContext = {
    bot,
    log,
    requestId: record.id,
    kind: record.reply.via === 'message' ? 'thread_message' : 'ask',
    receivedAt: performance.now(),
  };
  const typing = record.reply.via === 'message' ? keepTypingVia(bot.client.rest, record.channelId) : null;
  try {
    const outcome = await runAnswer(ctx, conversation, retry.question, record.userId, out);
    log.info({ outcome }, 'queued question done');
  } finally {
    typing?.();
  }
}

/** Where a queued question's answer goes: as the way it was asked would have it (see `questionRequest`). */
function deliveryOf(bot: BotContext, { record, retry }: WaitingQuestion): Delivery {
  const { rest } = bot.client;
  const nonceKey = `q${record.id}`;
  if (record.reply.via === 'message') {
    return new QuestionReplyDelivery(rest, record.channelId, record.reply.messageId, nonceKey);
  }
  const { applicationId, interactionToken } = record.reply;
  if (!retry.inThread) return new WebhookDelivery(rest, applicationId, interactionToken, false);
  return new FormAnswerDelivery(
    new QuestionReplyDelivery(rest, retry.conversationId, null, nonceKey),
    new WebhookDelivery(rest, applicationId, interactionToken, true),
    labels.askedBy(record.userId),
    notices.answeredInThread(retry.conversationId),
  );
}
