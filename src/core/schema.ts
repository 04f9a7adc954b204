import * as z from 'zod';

/**
 * The JSON the CLI prints, one object per line, each with `schemaVersion: 1`. These zod types are
 * the contract: `verbatim schema` prints them as JSON Schema, and the contract evaluation validates
 * every line against them.
 */
export const SCHEMA_VERSION = 1 as const;

const nullableString = z.string().nullable();

export const QuoteSchema = z
  .object({
    text: z.string().min(1).max(400),
    start: z.number().int().min(0).describe('UTF-16 offset into article.text, inclusive'),
    end: z.number().int().min(1).describe('UTF-16 offset into article.text, exclusive'),
  })
  .describe('A verbatim quote: article.text.slice(start, end) === text');

export const ClaimSchema = z.object({ text: z.string().min(1), quotes: z.array(QuoteSchema).min(1) });

export const GroundingSchema = z.object({
  proposed: z.number().int().min(0),
  verified: z.number().int().min(0).describe('quotes shown, all found in the article'),
  dropped: z.number().int().min(0),
  repaired: z.number().int().min(0),
  unsupported: z
    .number()
    .int()
    .min(0)
    .describe(
      "claims whose wording the support check rejected; their found quotes are shown as the article's own words",
    ),
});

export const UsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
});

const FallbackSchema = z.object({ from: z.string(), code: z.string() }).nullable();

export const ExtractLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: z.string(),
  url: nullableString,
  canonicalUrl: nullableString,
  title: nullableString,
  byline: nullableString,
  siteName: nullableString,
  lang: nullableString,
  publishedTime: nullableString.describe('ISO 8601'),
  contentHash: z.string(),
  text: z.string(),
  chars: z.number().int().min(0),
  words: z.number().int().min(0),
});

const engineFields = {
  engine: z.string(),
  model: nullableString,
  fallback: FallbackSchema,
  grounding: GroundingSchema,
  usage: UsageSchema,
};

export const SummarizeLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  article: ExtractLineSchema.omit({ schemaVersion: true }),
  options: z.object({ length: z.enum(['short', 'standard', 'detailed']), lang: nullableString }),
  summary: z.array(ClaimSchema),
  keyPoints: z.array(ClaimSchema),
  ...engineFields,
});

export const AskLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  question: z.string(),
  article: z.object({ contentHash: z.string(), chars: z.number().int().min(0) }),
  answerable: z.boolean(),
  answer: z.array(ClaimSchema),
  nearest: z
    .array(QuoteSchema)
    .describe('When not answerable: the passages closest to the question, shown as such, never as an answer'),
  ...engineFields,
});

export const CheckLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  claim: z.string(),
  supported: z.boolean(),
  reasons: z.array(z.string()),
  quotes: z.array(QuoteSchema),
});

export const ErrorLineSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  source: z.string(),
  question: z.string().optional(),
  claim: z.string().optional(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
  }),
});

export type ExtractLine = z.infer<typeof ExtractLineSchema>;
export type SummarizeLine = z.infer<typeof SummarizeLineSchema>;
export type AskLine = z.infer<typeof AskLineSchema>;
export type CheckLine = z.infer<typeof CheckLineSchema>;
export type ErrorLine = z.infer<typeof ErrorLineSchema>;

/** Every output line shape, as JSON Schema (draft 2020-12), keyed by command. */
export function outputJsonSchemas(): Record<string, unknown> {
  return {
    extract: z.toJSONSchema(ExtractLineSchema),
    summarize: z.toJSONSchema(SummarizeLineSchema),
    ask: z.toJSONSchema(AskLineSchema),
    check: z.toJSONSchema(CheckLineSchema),
    error: z.toJSONSchema(ErrorLineSchema),
  };
}

/**
 * Checks what no JSON Schema can say: every quote's offsets slice back to its text in the article,
 * and the grounding counts add up (`verified` counts the claims' quotes and any `nearest`). Returns
 * the problems found (empty when the line holds).
 */
export function contractProblems(
  articleText: string,
  line: Pick<SummarizeLine, 'grounding'> & {
    claims: readonly z.infer<typeof ClaimSchema>[];
    nearest?: readonly z.infer<typeof QuoteSchema>[];
  },
): string[] {
  const problems: string[] = [];
  let quotes = 0;
  const nearest = { text: 'nearest', quotes: line.nearest ?? [] };
  for (const claim of [...line.claims, nearest]) {
    for (const q of claim.quotes) {
      quotes++;
      if (!(q.start >= 0 && q.start < q.end && q.end <= articleText.length)) {
        problems.push(`quote offsets out of range: ${q.start}..${q.end}`);
      } else if (articleText.slice(q.start, q.end) !== q.text) {
        problems.push(`quote text differs from article.text.slice(${q.start}, ${q.end})`);
      }
    }
  }
  const g = line.grounding;
  if (g.proposed !== g.verified + g.dropped) problems.push('grounding: proposed != verified + dropped');
  if (g.verified !== quotes) problems.push(`grounding: verified ${g.verified} != quotes emitted ${quotes}`);
  if (g.repaired > g.verified) problems.push('grounding: repaired > verified');
  return problems;
}
