/**
 * A regular expression built on first use (`lazyPattern(() => /\p{L}/u)`, then `PATTERN()`). V8
 * parses a pattern when its literal is evaluated, and a pattern with Unicode property classes
 * (`\p{Lu}`, `\p{Script=Latin}`) costs ICU lookups then: for a module-level constant, at every load
 * of the module, so on every run of the one-shot `verbatim` command, whether or not the text needs it.
 */
export function lazyPattern(build: () => RegExp): () => RegExp {
  let pattern: RegExp | undefined;
  return () => {
    pattern ??= build();
    return pattern;
  };
}

/**
 * A regular expression behind a cheap test that every match passes (a character it must contain,
 * a character it cannot start with). V8 compiles a pattern the first time it runs, and one with
 * Unicode property classes (`\p{Lu}`, `\p{L}`) costs millions of instructions to compile, which the
 * one-shot `verbatim` command paid on every run for patterns that ordinary prose never matches.
 * Behind a test that prose fails, such a pattern seldom runs, so seldom compiles; it is built on
 * first use too (see `lazyPattern`).
 *
 * `mayMatch` must be a necessary condition of a match: whenever it is false, `pattern` does not
 * match, so `test` answers exactly as `pattern.test` does. Each one's test
 * (test/text/guarded-pattern.test.ts) checks that on generated text.
 */
export class GuardedPattern {
  readonly #pattern: () => RegExp;

  constructor(
    build: () => RegExp,
    readonly mayMatch: (text: string) => boolean,
  ) {
    this.#pattern = lazyPattern(build);
  }

  get pattern(): RegExp {
    return this.#pattern();
  }

  /** `pattern.test(text)`, without running the pattern when `mayMatch(text)` is false. */
  test(text: string): boolean {
    return this.mayMatch(text) && this.pattern.test(text);
  }
}

/** True when the UTF-16 unit at `i` of `text` is an ASCII lower-case letter, a–z. */
export function isAsciiLowerAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x61 && c <= 0x7a;
}
