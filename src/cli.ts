import { runCli } from './cli/main.js';
import { stripControlChars } from './text/control-chars.js';

// The `verbatim` command: wiring only. Anything thrown here is a bug (exit 1).
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
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
