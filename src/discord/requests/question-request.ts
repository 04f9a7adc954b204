import type { Conversation } from '../../app/conversations.js';
import type { JobReply } from '../../app/jobs.js';
import type { RequestContext, RequestOutcome } from '../context.js';
import type { Delivery } from '../delivery.js';
import { MAX_QUESTION_CHARS, messagesOf } from '../payloads.js';
import { type Precondition, type Request, reportFailure, withProgress } from '../pipeline.js';
import { answerQuotes, renderAnswerEmbeds } from '../render/render-answer.js';
import { answerComponents } from '../summary-buttons.js';
import { notices, progress as progressText } from '../texts.js';
import { recordEngineWork } from '../work-metrics.js';

/** A conversation with the article it is about: what a question is answered from. */
export type AnsweredConversation = Conversation & { readonly article: NonNullable<Conversation['article']> };

/** What a question is asked about and where its answer goes, found once it is acknowledged. */
export interface QuestionTarget {
  readonly conversation: Conversation;
  readonly out: Delivery;
}

/** The parts of a question request that differ by the way in (`/ask`, the Ask form, a message). */
export interface QuestionWayIn {
  readonly question: string;
  readonly userId: string;
  readonly guildId: string | null;
  /** Where the question was asked (a message's reply goes there). */
  readonly channelId: string;
  /** The conversation it is about (its id is known before anything is read). */
  readonly conversationId: string;
  readonly reply: JobReply;
  /** Asked through the Ask form: answered in the summary's thread (see `RetryRequest`). */
  readonly inThread?: boolean;
  /** Checks of this way in, run before the request's own (after the rate limit). */
  readonly preconditions?: readonly Precondition[];
  readonly refuse: Request['refuse'];
  readonly acknowledge: Request['acknowledge'];
  /**
   * After the acknowledgement: the conversation and where its answer goes, or how the request
   * ended when there is nothing to answer from (the requester was told).
   */
  resolve(ctx: RequestContext): Promise<QuestionTarget | RequestOutcome>;
}

/**
 * A follow-up question, whichever way it was asked. Declares the questions rate limit and a
 * non-empty question; is recorded as a job from before it waits in its conversation's queue (so a
 * restart finds questions still waiting too); questions of one conversation are answered one at a
 * time in arrival order, other conversations in parallel. On a gateway the job row is the question
 * waiting in its thread, and the thread's drainer is woken on a worker (see `drainThread`).
 */
export function questionRequest(way: QuestionWayIn): Request {
  return {
    userId: way.userId,
    rateLimit: 'questions',
    preconditions: [...(way.preconditions ?? []), questionGiven(way.question)],
    refuse: way.refuse,
    job: {
      kind: 'answer',
      guildId: way.guildId,
      channelId: way.channelId,
      userId: way.userId,
      reply: way.reply,
      retry: {
        kind: 'answer',
        conversationId: way.conversationId,
        question: way.question,
        ...(way.inThread ? { inThread: true } : {}),
      },
    },
    queued: { kind: 'drain-thread', threadId: way.conversationId },
    acknowledge: way.acknowledge,
    run: async (ctx) => {
      const target = await way.resolve(ctx);
      if (typeof target === 'string') return target;
      return ctx.bot.conversations.run(target.conversation.id, () =>
        runAnswer(ctx, target.conversation, way.question, way.userId, target.out),
      );
    },
  };
}

/** Precondition: there is a question (not only spaces, or a mention alone). */
function questionGiven(question: string): Precondition {
  return () => (question.trim() === '' ? { code: 'empty_input', notice: notices.emptyQuestion } : null);
}

/**
 * The work of every question (and of "Try again" on one): answers it from the conversation's
 * ARTICLE and posts the answer, with quotes, or says the article doesn't say.
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
  const sent = await out.deliver(
    messagesOf(renderAnswerEmbeds(article, q, result.value)),
    answerComponents(conversation.id, {
      quotes: answerQuotes(article, result.value),
      articleHash: article.contentHash,
    }),
  );
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
