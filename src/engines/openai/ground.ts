import type { Article } from '../../article/article.js';
import { locateQuote, type Quote, type SourceIndex } from '../../grounding/index.js';
import { checkSupport } from '../../grounding/support/index.js';
import type { Logger } from '../../log.js';
import { rankPassages } from '../../text/index.js';
import type { Claim, GroundingCounts, Usage } from '../engine.js';
import { addUsage, type ModelClient } from './model-client.js';
import { fillPrompt, makeNonce, type Prompts, stripDelimiters } from './prompts.js';

/** A statement the model proposed, with the quotes it says support it (not yet checked). */
export interface Proposal {
  readonly text: string;
  readonly quotes: readonly string[];
}

/**
 * A proposal that survived grounding: every quote located in the article and the claim supported by
 * them; or, when the support check failed, the located quotes themselves as the claim (`verbatim`).
 */
export interface GroundedClaim {
  readonly claim: Claim;
  /** True when its quotes came from the repair round. */
  readonly repaired: boolean;
  /**
   * True when the model's wording failed the support check (a name, number or date not in its
   * quotes) but the quotes were found: the claim is then the quotes' own text, the article's words.
   */
  readonly verbatim?: boolean;
}

export interface GroundingOutcome {
  /** One entry per proposal, in order; null where the proposal was dropped. */
  readonly claims: readonly (GroundedClaim | null)[];
  /**
   * Quotes the model proposed, initial and repair rounds together. A proposal located as several
   * fragments counts once per fragment, so `verified` (quotes emitted) never exceeds it.
   */
  readonly proposed: number;
  /** Proposals the support check failed whose quotes were found (shown `verbatim`, or already shown). */
  readonly unsupported: number;
  readonly usage: Usage;
}

/** Quotes considered per claim; more are counted as proposed and dropped. */
export const MAX_QUOTES_PER_CLAIM = 3;
/** Article sentences shown per unsupported claim in the repair request. */
export const REPAIR_PASSAGES = 4;

export interface GroundingContext {
  readonly article: Article;
  readonly index: SourceIndex;
  readonly sentences: readonly { readonly text: string }[];
  readonly properNouns: ReadonlySet<string>;
  /** False when claims are written in another language than the article (see `namesComparable`). */
  readonly checkNames: boolean;
  readonly client: ModelClient;
  readonly prompts: Prompts;
  readonly logger?: Logger | undefined;
}

interface Checked {
  readonly quotes: readonly Quote[];
  readonly units: number;
  readonly supported: boolean;
  readonly reasons: readonly string[];
}

/**
 * Grounds proposals against the article: each proposed quote goes through `locateQuote` and becomes
 * the article's own span; a claim keeps its wording only if `checkSupport` finds its names, numbers
 * and dates in its located quotes. A claim that fails that check is never silenced when its quotes
 * were found: it becomes those quotes in the article's own words (`verbatim`), unless another claim
 * already shows them. Claims left with no located quote get one batched repair request (each with
 * the article sentences most like it) and are dropped if still unsupported. A failed repair call
 * drops those claims; it does not fail the whole result.
 */
export async function groundProposals(
  ctx: GroundingContext,
  proposals: readonly Proposal[],
  signal?: AbortSignal,
): Promise<GroundingOutcome> {
  let proposed = 0;
  let unsupported = 0;
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  const claims: (GroundedClaim | null)[] = [];
  const needRepair: number[] = [];
  for (const [i, p] of proposals.entries()) {
    const checked = check(ctx, p.text, p.quotes);
    proposed += checked.units;
    if (checked.quotes.length > 0 && checked.supported) {
      claims.push({ claim: { text: p.text.trim(), quotes: checked.quotes }, repaired: false });
    } else if (checked.quotes.length > 0) {
      unsupported += 1;
      claims.push(verbatimClaim(checked.quotes, false));
      ctx.logger?.debug({ claim: i, reasons: checked.reasons }, 'claim unsupported: shown as its quotes');
    } else {
      claims.push(null);
      if (p.text.trim() !== '') needRepair.push(i);
    }
  }
  if (needRepair.length === 0) return { claims: withoutRepeats(claims), proposed, unsupported, usage };

  const statements = needRepair
    .map((i, n) => {
      const text = (proposals[i] as Proposal).text.trim();
      const passages = rankPassages(
        text,
        ctx.sentences.map((s) => s.text),
        ctx.article.lang,
      )
        .slice(0, REPAIR_PASSAGES)
        .sort((a, b) => a.index - b.index)
        .map((r) => `- ${oneLine((ctx.sentences[r.index] as { text: string }).text)}`);
      return [
        `[${n + 1}] Statement: ${oneLine(text)}`,
        'Passages:',
        ...(passages.length ? passages : ['- (none)']),
      ].join('\n');
    })
    .join('\n\n');
  const nonce = makeNonce();
  const reply = await ctx.client.call(
    'repair',
    {
      system: ctx.prompts.templates['repair.system'],
      user: fillPrompt(ctx.prompts.templates['repair.user'], {
        nonce,
        statements: stripDelimiters(statements),
      }),
    },
    signal,
  );
  if (!reply.ok) {
    ctx.logger?.warn({ code: reply.error.code, claims: needRepair.length }, 'repair request failed');
    return { claims: withoutRepeats(claims), proposed, unsupported, usage };
  }
  usage = addUsage(usage, reply.value.usage);
  const seen = new Set<number>();
  for (const r of reply.value.data.repairs) {
    const i = needRepair[r.id - 1];
    if (i === undefined || seen.has(r.id)) {
      proposed += r.quotes.length;
      continue;
    }
    seen.add(r.id);
    const text = (proposals[i] as Proposal).text.trim();
    const checked = check(ctx, text, r.quotes);
    proposed += checked.units;
    if (checked.quotes.length > 0 && checked.supported)
      claims[i] = { claim: { text, quotes: checked.quotes }, repaired: true };
    else if (checked.quotes.length > 0) {
      unsupported += 1;
      claims[i] = verbatimClaim(checked.quotes, true);
    }
  }
  return { claims: withoutRepeats(claims), proposed, unsupported, usage };
}

/** The article's own words standing in for a claim the support check failed: its located quotes. */
function verbatimClaim(quotes: readonly Quote[], repaired: boolean): GroundedClaim {
  return { claim: { text: quotes.map((q) => q.text).join(' … '), quotes }, repaired, verbatim: true };
}

/** Verbatim claims whose every quote another kept claim already shows are left out (null). */
function withoutRepeats(claims: readonly (GroundedClaim | null)[]): (GroundedClaim | null)[] {
  return claims.map((c, i) => {
    if (!c?.verbatim) return c;
    const shown = (q: Quote) =>
      claims.some(
        (o, j) =>
          o !== null &&
          j !== i &&
          (!o.verbatim || j < i) &&
          o.claim.quotes.some((k) => k.start === q.start && k.end === q.end),
      );
    return c.claim.quotes.every(shown) ? null : c;
  });
}

function check(ctx: GroundingContext, text: string, proposedQuotes: readonly string[]): Checked {
  let units = 0;
  const quotes: Quote[] = [];
  for (const [n, q] of proposedQuotes.entries()) {
    if (n >= MAX_QUOTES_PER_CLAIM) {
      units += 1;
      continue;
    }
    const located = locateQuote(ctx.index, q);
    if (!located.found) {
      units += 1;
      continue;
    }
    units += located.quotes.length;
    for (const quote of located.quotes) {
      if (!quotes.some((k) => k.start === quote.start && k.end === quote.end)) quotes.push(quote);
    }
  }
  quotes.sort((a, b) => a.start - b.start);
  if (quotes.length === 0 || text.trim() === '')
    return { quotes: [], units, supported: false, reasons: ['no quote located'] };
  const verdict = checkSupport(
    text,
    quotes.map((q) => q.text),
    ctx.article.text,
    { properNouns: ctx.properNouns, checkNames: ctx.checkNames },
  );
  return { quotes, units, supported: verdict.supported, reasons: verdict.reasons };
}

/**
 * Counts for the claims actually emitted, given how many quotes were proposed in all and how many
 * claims the support check failed although their quotes were found.
 */
export function countsFor(
  emitted: readonly GroundedClaim[],
  proposed: number,
  unsupported = 0,
): GroundingCounts {
  const verified = emitted.reduce((n, g) => n + g.claim.quotes.length, 0);
  const repaired = emitted.reduce((n, g) => n + (g.repaired ? g.claim.quotes.length : 0), 0);
  const total = Math.max(proposed, verified);
  return { proposed: total, verified, dropped: total - verified, repaired, unsupported };
}

function oneLine(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}
