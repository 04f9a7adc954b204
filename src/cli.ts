import { runCli } from './cli/main.js';
import { stripControlChars } from './text/control-chars.js';

// The `verbatim` command: wiring only. Anything thrown here is a bug (exit 1).
/**
 * Standard input, touched only when a command reads it (`-`): `process.stdin` builds a stream on
 * first access, which a command reading a file or a link need not pay for.
 */
const stdin = {
  [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator](),
  get isTTY(): boolean | undefined {
    return process.stdin.isTTY;
  },
};

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      stripControlChars(
        `verbatim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ),
    );
    process.exitCode = 1;
  },
);
