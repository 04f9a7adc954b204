/** Narrowing helpers for request bodies, which arrive as untyped JSON. */

export type JsonRecord = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const recordOr = (value: unknown): JsonRecord => (isRecord(value) ? value : {});

export const arrayOr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const stringOr = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : fallback;

export const numberOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** A deep copy that drops anything JSON cannot carry, so recorded payloads cannot be mutated later. */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * Length as Discord counts it: Unicode code points (its API validates with Python's `len`), so an
 * emoji outside the BMP counts once, not twice as in `String#length`.
 */
export const charLength = (value: string): number => {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
};
