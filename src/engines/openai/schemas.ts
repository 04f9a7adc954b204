import * as z from 'zod';

/**
 * What the model must reply, per task. Every field is required (strict structured output rejects
 * optional ones; `.optional()` also breaks `zodResponseFormat`). Counts and lengths are enforced by
 * the engine after parsing, not here, so servers with partial JSON-schema support accept these.
 */

const claim = z.object({
  text: z.string(),
  quotes: z.array(z.string()),
});

export const SummaryReply = z.object({
  summary: z.array(claim),
  key_points: z.array(claim),
});

export const MapReply = z.object({
  points: z.array(claim),
});

const merged = z.object({
  text: z.string(),
  points: z.array(z.number().int()),
});

export const ReduceReply = z.object({
  summary: z.array(merged),
  key_points: z.array(merged),
});

export const AnswerReply = z.object({
  answerable: z.boolean(),
  claims: z.array(claim),
});

export const RepairReply = z.object({
  repairs: z.array(z.object({ id: z.number().int(), quotes: z.array(z.string()) })),
});

export type SummaryReply = z.infer<typeof SummaryReply>;
export type MapReply = z.infer<typeof MapReply>;
export type ReduceReply = z.infer<typeof ReduceReply>;
export type AnswerReply = z.infer<typeof AnswerReply>;
export type RepairReply = z.infer<typeof RepairReply>;

/** The schema of each task, by the name sent as `json_schema.name`. */
export const REPLY_SCHEMAS = {
  summary: SummaryReply,
  map: MapReply,
  reduce: ReduceReply,
  answer: AnswerReply,
  repair: RepairReply,
} as const;

export type TaskName = keyof typeof REPLY_SCHEMAS;
export type ReplyOf<T extends TaskName> = z.infer<(typeof REPLY_SCHEMAS)[T]>;
