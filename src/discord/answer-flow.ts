import type { Conversation } from '../app/conversations.js';
import type { RequestContext, RequestOutcome } from './context.js';
import type { Delivery } from './delivery.js';
import { notices, progress as progressText } from './messages.js';
import { MAX_QUESTION_CHARS, messagesOf } from './payloads.js';
import { renderAnswerEmbeds } from './render/render-answer.js';
import { recordEngineWork, reportFailure, withProgress } from './summarize-flow.js';

/**
 * Answers a follow-up question about a conversation's article and posts the answer. Questions of
 * one conversation run one at a time in arrival order (the caller queues them); the answer comes
 * from the article with quotes, or says the article doesn't say.
 */
export async function runAnswer(
  ctx: RequestContext,
  conversation: Conversation,
  question: string,
  askerId: string,
  out: Delivery,
): Promise<RequestOutcome> {
  const { bot, log } = ctx;
  const { article } = conversation;
  if (!article) {
    log.warn({ conversationId: conversation.id }, 'conversation without its article');
    await out.fail(notices.conversationGone);
    return 'unreadable';
  }
  const q = question.trim().slice(0, MAX_QUESTION_CHARS);
  const result = await withProgress(
    ctx,
    (text) => out.progress(text),
    (progress) =>
      bot.app.conversations.answer({ ...conversation, article }, q, askerId, {
        signal: bot.signal,
        onStep: (step) => progress.step(progressText[step]),
      }),
  );
  if (!result.ok) return reportFailure(ctx, out, result.error);
  recordEngineWork(bot.metrics, result.value);
  const sent = await out.deliver(messagesOf(renderAnswerEmbeds(article, q, result.value)));
  await ctx.job?.done();
  log.info(
    {
      conversationId: conversation.id,
      answerable: result.value.answerable,
      engine: result.value.engine,
      fallback: result.value.fallback?.code ?? null,
      grounding: result.value.grounding,
      messages: sent.length,
    },
    'answer posted',
  );
  return 'ok';
}
