/**
 * A regular expression behind a cheap test that every match passes (a character it must contain,
 * a character it cannot start with). V8 compiles a pattern the first time it runs, and one with
 * Unicode property classes (`\p{Lu}`, `\p{L}`) costs millions of instructions to compile, which the
 * one-shot `verbatim` command paid on every run for patterns that ordinary prose never matches.
 * Behind a test that prose fails, such a pattern seldom runs, so seldom compiles.
 *
 * `mayMatch` must be a necessary condition of a match: whenever it is false, `pattern` does not
 * match, so `test` answers exactly as `pattern.test` does. Each one's test
 * (test/text/guarded-pattern.test.ts) checks that on generated text.
 */
export class GuardedPattern {
  constructor(
    readonly pattern: RegExp,
    readonly mayMatch: (text: string) => boolean,
  ) {}

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
