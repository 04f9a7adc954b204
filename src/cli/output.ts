import { escapeJsonControls, stripControlChars } from '../text/control-chars.js';
import type { CliIo } from './main.js';

type Stream = CliIo['stdout'];

/**
 * The CLI's only way out: what the commands print (article titles, bylines, quotes, file names,
 * error messages) comes from pages and files that may carry terminal escape sequences, C1
 * controls or bidi overrides. Human-readable output loses them (line feeds and tabs stay);
 * `--json` output keeps every value exact, with what `JSON.stringify` leaves raw written as
 * `\uXXXX` escapes (see `escapeJsonControls`). Stderr is always human-readable.
 */
export function safeStreams(io: CliIo, json: boolean): Pick<CliIo, 'stdout' | 'stderr'> {
  return {
    stdout: filtered(io.stdout, json ? escapeJsonControls : stripControlChars),
    stderr: filtered(io.stderr, stripControlChars),
  };
}

/** `stream` with every write passed through `clean`. */
function filtered(stream: Stream, clean: (s: string) => string): Stream {
  return {
    write: (s: string) => stream.write(clean(s)),
    ...(stream.columns === undefined ? {} : { columns: stream.columns }),
  };
}
