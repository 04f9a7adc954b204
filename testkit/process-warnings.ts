/**
 * The warnings a child node process printed on its stderr (node's own format: `(node:PID)
 * MaxListenersExceededWarning: …`, `(node:PID) [DEP0040] DeprecationWarning: …`). Tests that
 * spawn processes (the bot, scripts, the CLI) assert there are none, as the test processes
 * themselves fail on any warning (fail-on-warning.ts).
 */
export function processWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\(node:\d+\) (?:\[\w+\] )?\w*Warning\b/u.test(line));
}
