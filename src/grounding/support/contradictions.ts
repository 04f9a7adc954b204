import { isNegation, STOPWORDS, stem, type Token, tokens } from './words.js';

/**
 * Contradictions between a claim and the article sentences it was aligned to, found without a
 * model: a word whose antonym the sentences use instead (`rise` over "fell", `publicly` over
 * "secretly"), a word negated by a prefix (`unsafe` over "safe"), and a negation that does not
 * sit over the same words on both sides (`have not launched an investigation` over "have launched
 * an investigation … have not found any evidence").
 */

/**
 * General English antonyms (words, stemmed when compared). Both directions count. Kept to pairs
 * whose swap reverses a news statement; near-synonyms a paraphrase might use are left out.
 */
const ANTONYM_PAIRS_TEXT =
  'increase:decrease increase:fall increase:drop increase:cut increase:reduce increase:decline increase:lower ' +
  'rise:fall rise:drop rise:decline rise:sink grow:shrink grow:decline growth:decline growth:contraction ' +
  'expand:shrink expand:contract expansion:contraction gain:loss gain:lose profit:loss surplus:deficit ' +
  'boost:reduce boost:cut boost:hurt raise:lower raise:cut up:down upward:downward more:less more:fewer ' +
  'most:least higher:lower high:low highest:lowest large:small big:small bigger:smaller largest:smallest ' +
  'long:short longer:shorter many:few maximum:minimum majority:minority major:minor heavy:light ' +
  'strong:weak stronger:weaker strengthen:weaken fast:slow faster:slower quick:slow accelerate:slow ' +
  'speed:slow spur:slow spur:hinder spur:hamper boost:hinder help:hinder help:hurt help:harm ' +
  'encourage:discourage encourage:deter support:oppose support:undermine support:against favor:oppose ' +
  'pro:anti agree:disagree agreement:disagreement approve:reject approve:veto accept:reject ' +
  'accept:refuse accept:decline allow:ban allow:forbid allow:prohibit allow:block permit:ban permit:forbid ' +
  'legal:illegal lawful:unlawful confirm:deny admit:deny include:exclude inclusion:exclusion ' +
  'win:lose won:lost winner:loser victory:defeat success:failure succeed:fail successful:unsuccessful ' +
  'pass:fail attack:defend attack:protect offense:defense offensive:defensive invade:defend ' +
  'ally:enemy ally:adversary friend:enemy friend:foe friendly:hostile peace:war cooperate:compete ' +
  'cooperation:conflict cooperation:confrontation open:close open:closed open:shut opening:closing ' +
  'start:end start:finish start:stop begin:end begin:finish launch:end launch:halt resume:halt resume:suspend ' +
  'continue:stop continue:end continue:halt enter:exit enter:leave arrive:leave arrive:depart arrival:departure ' +
  'join:leave hire:fire employ:dismiss buy:sell purchase:sell import:export lend:borrow ' +
  'send:receive add:remove addition:removal attach:detach connect:disconnect build:destroy create:destroy ' +
  'rich:poor wealthy:poor wealth:poverty cheap:expensive safe:dangerous safe:unsafe safety:danger ' +
  'secure:insecure stable:unstable calm:violent peaceful:violent true:false truth:lie correct:incorrect ' +
  'right:wrong accurate:inaccurate honest:dishonest public:private publicly:privately publicly:secretly ' +
  'public:secret openly:secretly openly:covertly reveal:hide reveal:conceal unveil:hide unveil:conceal ' +
  'disclose:conceal disclose:hide show:hide expose:hide expose:conceal announce:conceal visible:hidden ' +
  'known:unknown alive:dead live:die life:death survive:die born:died healthy:sick healthy:ill health:illness ' +
  'injured:unharmed wounded:unharmed young:old younger:older youngest:oldest new:old ' +
  'newer:older modern:ancient early:late earlier:later earliest:latest first:last before:after prior:after ' +
  'past:future previous:next ancient:modern begin:conclude above:below inside:outside ' +
  'internal:external domestic:foreign domestic:international local:foreign local:national ' +
  'north:south east:west northern:southern eastern:western top:bottom ' +
  'positive:negative optimistic:pessimistic optimism:pessimism good:bad better:worse best:worst ' +
  'improve:worsen improve:deteriorate improvement:deterioration benefit:harm benefit:hurt ' +
  'praise:criticize praise:condemn praise:blame love:hate happy:sad happy:unhappy ' +
  'welcome:reject welcome:condemn celebrate:mourn reward:punish guilty:innocent guilty:acquit ' +
  'convict:acquit conviction:acquittal arrest:release capture:release jail:release detain:release ' +
  'hot:cold warm:cold heat:cold wet:dry full:empty easy:difficult easy:hard simple:complex simple:complicated ' +
  'always:never often:rarely frequent:rare frequently:rarely common:rare usual:unusual ' +
  'everyone:nobody everything:nothing all:none some:none present:absent presence:absence ' +
  'male:female men:women man:woman boy:girl boys:girls husband:wife mother:father son:daughter ' +
  'brother:sister king:queen ' +
  'wide:narrow deep:shallow thick:thin near:far nearby:distant inbound:outbound ' +
  'deliberate:accidental deliberately:accidentally intentional:accidental intentionally:accidentally ' +
  'voluntary:forced voluntarily:forcibly willing:unwilling mandatory:optional required:optional ' +
  'legal:criminal temporary:permanent temporarily:permanently partial:full partly:fully partial:complete ' +
  'partially:completely increase:freeze raise:freeze inflate:deflate inflation:deflation ' +
  'surplus:shortage abundance:shortage plenty:shortage oversupply:shortage ' +
  'majority:minority win:concede victory:loss victor:loser lead:trail leading:trailing ahead:behind ' +
  'superior:inferior upper:lower maximize:minimize maximum:minimum most:fewest ' +
  'tighten:loosen tighten:ease strict:lenient strict:loose harsh:lenient hawkish:dovish ' +
  'bull:bear bullish:bearish rally:slump rally:plunge surge:plunge surge:slump soar:plunge soar:slump ' +
  'boom:bust recovery:recession expand:cut hire:lay ' +
  'democrat:republican democratic:republican liberal:conservative ' +
  'upgrade:downgrade overestimate:underestimate overvalued:undervalued outperform:underperform ' +
  'import:export exporter:importer seller:buyer lender:borrower employer:employee landlord:tenant ' +
  ' ' +
  'mostly:rarely majority:few';

/** Stem → stems of its antonyms. */
const ANTONYMS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const out = new Map<string, Set<string>>();
  for (const pair of ANTONYM_PAIRS_TEXT.split(/\s+/u)) {
    const [a, b] = pair.split(':').map(stem) as [string, string];
    if (a === b) continue;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = out.get(x) ?? new Set<string>();
      set.add(y);
      out.set(x, set);
    }
  }
  return out;
})();

/** Negating prefixes (`unsafe`, `non-binding`, `dishonest`, `illegal`, `impossible`, `irregular`). */
const NEGATING_PREFIX = /^(un|non-?|dis|in|im|il|ir)([a-z][a-z'-]{3,})$/u;

/**
 * Words that start like a negating prefix but are not the negation of the rest (`discover` is not
 * "not cover", `inform` is not "not form").
 */
const NOT_NEGATED = new Set(
  (
    'under understand undertake undergo union unite united unit unique universe university until unless ' +
    'discover discovery disclose dispose display dispatch dismiss dispute distance distribute district ' +
    'discuss discussion discount discharge discipline disposal distinct distinguish dissolve disarm ' +
    'inform information invest investment investigate include income increase index indicate industry ' +
    'insight instance instead intend intent interest internal international interview into invade invasion ' +
    'invite involve issue impact import important impose imply implement improve impress impression ' +
    'illustrate illness image imagine irate iron ironic inner input inquiry insist inspect install ' +
    'institute instruct insure intake integrate intense intensify interim invent inventory invoke ' +
    'disarray dismay disrupt disruption dissent ' +
    'inflate inflation inflow influence inject injure injury inmate innovate inside inspire'
  ).split(' '),
);

/** Why the claim contradicts its aligned sentences, one short phrase each; empty when it does not. */
export function findContradictions(
  claimText: string,
  sentenceTexts: readonly string[],
  locale?: string | null,
): string[] {
  const claimClauses = clauses(claimText, tokens(claimText, locale));
  const sentenceClauses = sentenceTexts.map((s) => clauses(s, tokens(s, locale)));
  const claim = claimClauses.toks;
  const sentences = sentenceClauses.map((c) => c.toks);
  const out: string[] = [];
  const claimStems = new Set(claim.map((t) => stem(t.word)));
  const quoteStems = new Set(sentences.flatMap((s) => s.map((t) => stem(t.word))));

  for (const [i, t] of claim.entries()) {
    const w = stem(t.word);
    const opposite = ANTONYMS.get(w);
    if (!opposite || quoteStems.has(w)) continue;
    const hit = sentences
      .flatMap((s) => s.map((q, j) => ({ q, j, s })))
      .find(
        ({ q, j, s }) =>
          opposite.has(stem(q.word)) && !claimStems.has(stem(q.word)) && sameContext(claim, i, s, j),
      );
    if (hit) out.push(`antonym: "${t.raw}" where the article has "${hit.q.raw}"`);
  }

  const negatedRoot = (word: string): string | null => {
    const m = NEGATING_PREFIX.exec(word);
    if (!m || NOT_NEGATED.has(word) || NOT_NEGATED.has(stem(word))) return null;
    return stem((m[2] as string).replace(/^-/u, ''));
  };
  for (const [i, t] of claim.entries()) {
    const root = negatedRoot(t.word);
    if (!root || quoteStems.has(stem(t.word))) continue;
    const hit = sentences
      .flatMap((s) => s.map((q, j) => ({ q, j, s })))
      .find(({ q, j, s }) => stem(q.word) === root && sameContext(claim, i, s, j));
    if (hit) out.push(`antonym: "${t.raw}" where the article has "${hit.q.raw}"`);
  }
  for (const s of sentences) {
    for (const [j, q] of s.entries()) {
      const root = negatedRoot(q.word);
      if (!root || claimStems.has(stem(q.word))) continue;
      const i = claim.findIndex((t) => stem(t.word) === root);
      if (i >= 0 && sameContext(claim, i, s, j))
        out.push(`antonym: "${claim[i]?.raw}" where the article has "${q.raw}"`);
    }
  }

  out.push(...negationMismatches(claimClauses, sentenceClauses));
  return [...new Set(out)];
}

/** Content-word stems next to position `i` (up to `n` each side), skipping function words. */
function neighbours(toks: readonly Token[], i: number, n: number): string[] {
  const out: string[] = [];
  for (const dir of [-1, 1]) {
    let found = 0;
    for (let j = i + dir; j >= 0 && j < toks.length && found < n; j += dir) {
      const t = toks[j] as Token;
      if (STOPWORDS.has(t.word) || t.word.length < 2) continue;
      out.push(stem(t.word));
      found++;
    }
  }
  return out;
}

/**
 * True when the claim word at `i` and the sentence word at `j` stand among the same words (a
 * content word next to one also next to the other), i.e. one replaced the other.
 */
function sameContext(claim: readonly Token[], i: number, sentence: readonly Token[], j: number): boolean {
  const around = new Set(neighbours(sentence, j, 2));
  return neighbours(claim, i, 2).some((w) => around.has(w));
}

/** What a negation bears on: the content word before it and those after it up to the clause end (at most 4). */
interface NegationScope {
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** Token positions covered, negation included. */
  readonly from: number;
  readonly to: number;
}

/** A text's tokens with, for each, whether clause punctuation (`,;:()`, dashes) precedes it. */
interface Clauses {
  readonly toks: readonly Token[];
  readonly breakBefore: readonly boolean[];
}

export function clauses(text: string, toks: readonly Token[]): Clauses {
  return {
    toks,
    breakBefore: toks.map(
      (t, i) => i > 0 && /[,;:()\u2013\u2014]|\s-\s/u.test(text.slice((toks[i - 1] as Token).end, t.start)),
    ),
  };
}

function isContent(t: Token): boolean {
  return !STOPWORDS.has(t.word) && !isNegation(t.word) && t.word.length > 1;
}

function negationScopes({ toks, breakBefore }: Clauses): NegationScope[] {
  const out: NegationScope[] = [];
  toks.forEach((t, i) => {
    if (!isNegation(t.word)) return;
    const after: string[] = [];
    let to = i;
    for (let j = i + 1; j < toks.length && after.length < 4 && !breakBefore[j]; j++) {
      to = j;
      if (isContent(toks[j] as Token)) after.push(stem((toks[j] as Token).word));
    }
    const before: string[] = [];
    for (let j = i - 1; j >= 0 && before.length < 1 && !breakBefore[j + 1]; j--) {
      if (isContent(toks[j] as Token)) before.push(stem((toks[j] as Token).word));
    }
    out.push({ before, after, from: i, to });
  });
  return out;
}

function overlaps(a: NegationScope, b: NegationScope): boolean {
  const bs = new Set([...b.before, ...b.after]);
  return [...a.before, ...a.after].some((w) => bs.has(w));
}

/** Stems of the content words of `c` outside every negation scope: what it asserts. */
function assertedStems(c: Clauses, scopes: readonly NegationScope[]): Set<string> {
  const out = new Set<string>();
  c.toks.forEach((t, i) => {
    if (isContent(t) && !scopes.some((s) => i >= s.from && i <= s.to)) out.add(stem(t.word));
  });
  return out;
}

/**
 * A claim negation must bear on words some aligned sentence also negates, and is a contradiction
 * when the sentences assert one of those words (or hold fewer negations than the claim). A
 * negation in the best sentence over words the claim repeats must be matched by one in the claim.
 */
function negationMismatches(claim: Clauses, sentences: readonly Clauses[]): string[] {
  const claimScopes = negationScopes(claim);
  const sentenceScopes = sentences.map(negationScopes);
  const allScopes = sentenceScopes.flat();
  const asserted = new Set(sentences.flatMap((s, k) => [...assertedStems(s, sentenceScopes[k] ?? [])]));
  const bestScopes = sentenceScopes[0] ?? [];
  const out: string[] = [];
  const unmatched = claimScopes.filter((c) => !allScopes.some((q) => overlaps(c, q)));
  if (unmatched.some((c) => c.after.some((w) => asserted.has(w)) || claimScopes.length > bestScopes.length)) {
    out.push('negation: the claim negates what its best sentences assert');
  }
  const claimAsserted = assertedStems(claim, claimScopes);
  if (
    bestScopes.some(
      (q) => q.after.some((w) => claimAsserted.has(w)) && !claimScopes.some((c) => overlaps(c, q)),
    )
  ) {
    out.push('negation: the claim asserts what its best sentence negates');
  }
  return out;
}
