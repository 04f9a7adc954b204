import type { Article } from '../article/article.js';
import { jobs as articleJobs } from '../article/worker/jobs.js';
import type { Result } from '../core/result.js';
import type { AnswerResult, Engine, SummarizeOptions, SummaryResult, Turn } from '../engines/engine.js';

/**
 * The bot's worker-pool allow-list: the article jobs (HTML and PDF parsing) plus the offline
 * engine, whose LexRank and BM25 work takes ~100 ms of CPU per long article, enough to delay other
 * users' acknowledgements if it ran on the event loop. Each worker keeps one engine (its small
 * per-article analysis cache serves follow-up questions about the same article).
 */
let engine: Promise<Engine> | undefined;
const offlineEngine = (): Promise<Engine> => {
  engine ??= import('../engines/extractive/index.js').then((m) => m.createExtractiveEngine());
  return engine;
};

export const jobs = {
  ...articleJobs,
  extractiveSummarize: async (article: Article, options: SummarizeOptions): Promise<Result<SummaryResult>> =>
    (await offlineEngine()).summarize(article, options),
  extractiveAnswer: async (
    article: Article,
    question: string,
    history: readonly Turn[],
  ): Promise<Result<AnswerResult>> => (await offlineEngine()).answer(article, question, history),
};

export type AppJobs = typeof jobs;
