import { fdOutput } from './cli/fd-output.js';
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

const stdout = fdOutput(1, () => process.stdout);
const stderr = fdOutput(2, () => process.stderr);

runCli(process.argv.slice(2), { stdout, stderr, stdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    stderr.write(
      stripControlChars(
        `verbatim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      ),
    );
    process.exitCode = 1;
  },
);
