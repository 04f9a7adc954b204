/**
 * Crafted text for the linear-time checks (issue 10 §2): shapes that make a backtracking regular
 * expression or a naive loop super-linear (long runs of one character class, repeated separators,
 * long words, near-misses of what a pattern looks for), a catalogue of the functions that run on
 * article text, and a timer. Used by `test/text/linear-time.test.ts` (fails when time grows faster
 * than linearly) and `npm run bench` (time per 100,000 characters at 50k, 100k and 200k).
 */
import { type Article, makeArticle } from '../../src/article/article.js';
import { extractArticleFromHtml } from '../../src/article/html/index.js';
import { jsonLdBodyText } from '../../src/article/html/json-ld-body.js';
import { markdownToText } from '../../src/article/ingest.js';
import { renderSummary, wrap } from '../../src/cli/render.js';
import { firstLink } from '../../src/discord/message-content.js';
import { inert } from '../../src/discord/render/escape.js';
import { fitText } from '../../src/discord/render/limits.js';
import { renderSummaryEmbeds } from '../../src/discord/render/render-summary.js';
import type { SummaryResult } from '../../src/engines/engine.js';
import { createExtractiveEngine } from '../../src/engines/extractive/index.js';
import { buildSourceIndex, locateQuote, quoteSpan } from '../../src/grounding/index.js';
import { foldText, splitAtEllipses, stripProposalEdges } from '../../src/grounding/normalize.js';
import { checkClaims, checkSupport } from '../../src/grounding/support/index.js';
import { cleanLine, stripControlChars } from '../../src/text/control-chars.js';
import {
  findHeadline,
  guessLanguage,
  isClutter,
  splitParagraphs,
  splitSentences,
  splitWords,
} from '../../src/text/index.js';

/** One adversarial input: `unit` repeated (and cut) to any length. */
export interface TextShape {
  readonly name: string;
  readonly unit: string;
}

/** `shape.unit` repeated to exactly `chars` UTF-16 units (never splitting a surrogate pair). */
export function shapeText(shape: TextShape, chars: number): string {
  const text = shape.unit.repeat(Math.ceil(chars / shape.unit.length)).slice(0, chars);
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? `${text.slice(0, -1)}x` : text;
}

const shape = (name: string, unit: string): TextShape => ({ name, unit });

/** Runs of one character class: no separator anywhere for a pattern to stop at. */
export const RUN_SHAPES: readonly TextShape[] = [
  shape('letters', 'a'),
  shape('capitals', 'A'),
  shape('digits', '7'),
  shape('cyrillic', 'я'),
  shape('kanji', '日'),
  shape('dots', '.'),
  shape('spaces then a letter', ' '),
];

/** Separators repeated, words and near-misses: what splitters and clean-up patterns look for. */
export const SEPARATOR_SHAPES: readonly TextShape[] = [
  shape('short words', 'ab '),
  shape('shouted words', 'AB '),
  shape('initials', 'A. '),
  shape('abbreviations', 'a.'),
  shape('line breaks', 'a\n'),
  shape('blank lines', '\n\n'),
  shape('spaced line ends', ' \n'),
  shape('quote marks', '"'),
  shape('breadcrumbs', 'a » '),
  shape('dashes', '- '),
];

/** Near-misses of the markup and addresses that patterns look for. */
export const MARKUP_SHAPES: readonly TextShape[] = [
  shape('at signs', 'a@'),
  shape('emails without a tld', 'a@b.'),
  shape('open brackets', '['),
  shape('unclosed links', '[a]('),
  shape('tag openers', '<a'),
  shape('entity openers', '&a'),
  shape('emphasis', '**a'),
  shape('hashtags', '#a '),
  shape('fences', '```x\n'),
];

export const ALL_SHAPES: readonly TextShape[] = [...RUN_SHAPES, ...SEPARATOR_SHAPES, ...MARKUP_SHAPES];

/**
 * For the heavy end-to-end functions (each call segments, ranks and grounds the whole text): the
 * shapes that made some step of theirs super-linear, plus plain words.
 */
export const KEY_SHAPES: readonly TextShape[] = ALL_SHAPES.filter((s) =>
  ['letters', 'kanji', 'short words', 'initials', 'line breaks', 'quote marks', 'open brackets'].includes(
    s.name,
  ),
);

/** A function of article text and the shapes worth trying on it. */
export interface TextCase {
  readonly name: string;
  readonly shapes: readonly TextShape[];
  readonly run: (text: string) => unknown;
}

const NO_USAGE = { inputTokens: 0, outputTokens: 0 };
const COUNTS = { proposed: 1, verified: 1, dropped: 0, repaired: 0, unsupported: 0 };

/** A summary of `text` (as an article) whose one claim is the whole text, quoting its opening. */
function summaryOf(text: string): { article: Article; result: SummaryResult } {
  const article = makeArticle(`Opening words of the page. ${text}`);
  const quote = quoteSpan(article.text, 0, 26);
  if (quote === null) throw new Error('the opening words are not a quote');
  const claim = { text: article.text, quotes: [quote] };
  const result: SummaryResult = {
    engine: 'extractive',
    model: null,
    fallback: null,
    grounding: COUNTS,
    usage: NO_USAGE,
    summary: [claim],
    keyPoints: [claim],
  };
  return { article, result };
}

const PROSE = 'The committee met on Tuesday and agreed to publish the report in full next week. ';

/** The shape inside an ordinary article: what a page with one hostile paragraph looks like. */
const withinProse = (text: string): string => `${PROSE.repeat(20)}\n\n${text}\n\n${PROSE.repeat(20)}`;

/** Every text-facing function, each with the shapes that stress the patterns it runs. */
export const TEXT_CASES: readonly TextCase[] = [
  { name: 'isClutter', shapes: ALL_SHAPES, run: isClutter },
  { name: 'makeArticle (normalizeText)', shapes: ALL_SHAPES, run: (t) => makeArticle(t) },
  { name: 'splitParagraphs', shapes: ALL_SHAPES, run: splitParagraphs },
  { name: 'splitSentences', shapes: ALL_SHAPES, run: (t) => splitSentences(t, 'en') },
  { name: 'splitWords', shapes: ALL_SHAPES, run: (t) => splitWords(t, 'en') },
  { name: 'findHeadline', shapes: ALL_SHAPES, run: findHeadline },
  { name: 'guessLanguage', shapes: ALL_SHAPES, run: guessLanguage },
  { name: 'markdownToText', shapes: ALL_SHAPES, run: markdownToText },
  { name: 'foldText', shapes: ALL_SHAPES, run: foldText },
  {
    name: 'locateQuote',
    shapes: KEY_SHAPES,
    run: (t) => {
      const index = buildSourceIndex(withinProse(t));
      locateQuote(index, t.slice(0, 20_000));
      locateQuote(index, `“${t.slice(0, 300)} … ${t.slice(-300)}”`);
    },
  },
  { name: 'stripProposalEdges', shapes: ALL_SHAPES, run: stripProposalEdges },
  { name: 'splitAtEllipses', shapes: ALL_SHAPES, run: splitAtEllipses },
  {
    name: 'checkSupport',
    shapes: KEY_SHAPES,
    run: (t) => checkSupport(t.slice(0, 2_000), [t.slice(0, 2_000)], withinProse(t)),
  },
  {
    name: 'checkClaims',
    shapes: KEY_SHAPES,
    run: (t) => checkClaims(makeArticle(withinProse(t)), [t.slice(0, 1_000)]),
  },
  {
    name: 'extractive summarize',
    shapes: KEY_SHAPES,
    run: (t) =>
      createExtractiveEngine().summarize(makeArticle(withinProse(t)), { length: 'standard', lang: null }),
  },
  {
    name: 'extractive answer',
    shapes: KEY_SHAPES,
    run: (t) =>
      createExtractiveEngine().answer(makeArticle(withinProse(t)), 'When did the committee meet?', []),
  },
  {
    name: 'extractArticleFromHtml',
    shapes: KEY_SHAPES,
    run: (t) =>
      extractArticleFromHtml(
        `<html><head><title>${t.slice(0, 2000)}</title></head><body><article><h1>A headline</h1><p>${PROSE.repeat(10)}</p><p>${t}</p><p>${PROSE.repeat(10)}</p></article></body></html>`,
        { source: 'crafted.html', url: null },
      ),
  },
  { name: 'jsonLdBodyText', shapes: ALL_SHAPES, run: jsonLdBodyText },
  {
    name: 'Discord title and byline (fitText + inert)',
    shapes: ALL_SHAPES,
    run: (t) => [fitText(t, 256, inert), fitText(t, 300, inert)],
  },
  { name: 'stripControlChars + cleanLine', shapes: ALL_SHAPES, run: (t) => cleanLine(stripControlChars(t)) },
  { name: 'wrap (CLI)', shapes: ALL_SHAPES, run: (t) => wrap(t, 88, '  ') },
  {
    name: 'renderSummary (CLI)',
    shapes: KEY_SHAPES,
    run: (t) => {
      const { article, result } = summaryOf(t);
      return renderSummary(article, result);
    },
  },
  {
    name: 'renderSummaryEmbeds (Discord)',
    shapes: KEY_SHAPES,
    run: (t) => {
      const { article, result } = summaryOf(t);
      return renderSummaryEmbeds(article, result, null);
    },
  },
  { name: 'firstLink (Discord message)', shapes: ALL_SHAPES, run: firstLink },
];

/**
 * CPU milliseconds (this process, user + system) of the cheapest of `runs` calls of `run(text)`.
 * CPU time rather than wall time: on a machine shared with other work, wall time mostly measures
 * the neighbours; the cheapest run is the least disturbed by caches and collection.
 */
export async function bestMs(run: (text: string) => unknown, text: string, runs: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    await run(text);
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/** How time grew from a small input to a large one, and whether that counts as linear. */
export interface Growth {
  readonly smallChars: number;
  readonly largeChars: number;
  readonly smallMs: number;
  /** Null when the small input alone was over the budget (the large one was not tried). */
  readonly largeMs: number | null;
  readonly linear: boolean;
}

export interface GrowthLimits {
  /** Largest allowed `largeMs / smallMs`; 4 is exactly linear for 50k → 200k, 16 quadratic. */
  readonly maxRatio: number;
  /** A large input faster than this passes whatever the ratio (timer noise on tiny times). */
  readonly floorMs: number;
  /** A small input slower than this fails at once (the large one would take minutes). */
  readonly smallBudgetMs: number;
  /** Attempts before a ratio over `maxRatio` counts (each keeps the best time seen so far). */
  readonly attempts: number;
}

export const DEFAULT_GROWTH_LIMITS: GrowthLimits = {
  maxRatio: 10,
  floorMs: 120,
  smallBudgetMs: 2_000,
  attempts: 3,
};

/**
 * Times `run` on `shape` at `smallChars` and `largeChars` (best of two calls each, retried up to
 * `limits.attempts` times while the growth looks super-linear, so one burst of load on a shared
 * machine does not decide).
 */
export async function measureGrowth(
  run: (text: string) => unknown,
  shape: TextShape,
  smallChars = 50_000,
  largeChars = 200_000,
  limits: GrowthLimits = DEFAULT_GROWTH_LIMITS,
): Promise<Growth> {
  const small = shapeText(shape, smallChars);
  const large = shapeText(shape, largeChars);
  let smallMs = await bestMs(run, small, 2);
  if (smallMs > limits.smallBudgetMs)
    return { smallChars, largeChars, smallMs, largeMs: null, linear: false };
  let largeMs = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < limits.attempts; attempt++) {
    if (attempt > 0) smallMs = Math.min(smallMs, await bestMs(run, small, 2));
    largeMs = Math.min(largeMs, await bestMs(run, large, 1));
    if (largeMs <= limits.floorMs || largeMs <= limits.maxRatio * smallMs)
      return { smallChars, largeChars, smallMs, largeMs, linear: true };
  }
  return { smallChars, largeChars, smallMs, largeMs, linear: false };
}
