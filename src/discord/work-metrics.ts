import type { SummaryOutcome, SummaryRequest } from '../app/summaries.js';
import type { EngineInfo } from '../engines/engine.js';
import type { Metrics } from '../ops/metrics.js';

/** A link's article loaded (or not), for metrics: a fetch, or a hit in the article cache. */
export function recordArticleLoad(
  metrics: Metrics,
  loaded: Parameters<NonNullable<SummaryRequest['onLoaded']>>[0],
): void {
  if ('failure' in loaded) metrics.fetches.inc({ outcome: loaded.failure });
  else if (loaded.fromCache) metrics.cacheHits.inc({ cache: 'article' });
  else {
    metrics.cacheMisses.inc({ cache: 'article' });
    metrics.fetches.inc({ outcome: 'ok' });
  }
}

/** A summary's engine work and whether the result cache answered, for metrics. */
export function recordSummaryWork(metrics: Metrics, outcome: SummaryOutcome): void {
  recordEngineWork(metrics, outcome.result);
  metrics[outcome.summaryFromCache ? 'cacheHits' : 'cacheMisses'].inc({ cache: 'model' });
}

/** Tokens, grounding and any budget fallback of one engine result, for metrics. */
export function recordEngineWork(metrics: Metrics, info: EngineInfo): void {
  metrics.modelTokens.inc({ direction: 'input' }, info.usage.inputTokens);
  metrics.modelTokens.inc({ direction: 'output' }, info.usage.outputTokens);
  const g = info.grounding;
  metrics.groundingQuotes.inc({ result: 'verified' }, Math.max(0, g.verified - g.repaired));
  metrics.groundingQuotes.inc({ result: 'repaired' }, g.repaired);
  metrics.groundingQuotes.inc({ result: 'dropped' }, g.dropped);
  if (info.fallback?.budget) metrics.budgetFallbacks.inc({ scope: info.fallback.budget.scope });
}
