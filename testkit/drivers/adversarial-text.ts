/**
 * Crafted text for the linear-time checks (issue 10 §2): shapes that make a backtracking regular
 * expression or a naive loop super-linear (long runs of one character class, repeated separators,
 * long words, near-misses of what a pattern looks for), a catalogue of the functions that run on
 * article text, and a timer. Used by `test/text/linear-time.test.ts` (fails when time grows faster
 * than linearly) and `npm run bench` (time per 100,000 characters at 50k, 100k and 200k).
 */
import { performance } from 'node:perf_hooks';
import { isClutter } from '../../src/text/index.js';

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
  shape('dots', '.'),
];

/** A function of article text and the shapes worth trying on it. */
export interface TextCase {
  readonly name: string;
  readonly shapes: readonly TextShape[];
  readonly run: (text: string) => unknown;
}

/** Every text-facing function, each with the shapes that stress the patterns it runs. */
export const TEXT_CASES: readonly TextCase[] = [
  {
    name: 'isClutter',
    shapes: [...RUN_SHAPES, shape('at signs', 'a@'), shape('emails without a tld', 'a@b.')],
    run: isClutter,
  },
];

/** Milliseconds of the fastest of `runs` calls of `run(text)` (the least disturbed by other load). */
export function bestMs(run: (text: string) => unknown, text: string, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    run(text);
    best = Math.min(best, performance.now() - started);
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
export function measureGrowth(
  run: (text: string) => unknown,
  shape: TextShape,
  smallChars = 50_000,
  largeChars = 200_000,
  limits: GrowthLimits = DEFAULT_GROWTH_LIMITS,
): Growth {
  const small = shapeText(shape, smallChars);
  const large = shapeText(shape, largeChars);
  let smallMs = bestMs(run, small, 2);
  if (smallMs > limits.smallBudgetMs)
    return { smallChars, largeChars, smallMs, largeMs: null, linear: false };
  let largeMs = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < limits.attempts; attempt++) {
    if (attempt > 0) smallMs = Math.min(smallMs, bestMs(run, small, 2));
    largeMs = Math.min(largeMs, bestMs(run, large, attempt === 0 ? 2 : 1));
    if (largeMs <= limits.floorMs || largeMs <= limits.maxRatio * smallMs)
      return { smallChars, largeChars, smallMs, largeMs, linear: true };
  }
  return { smallChars, largeChars, smallMs, largeMs, linear: false };
}
