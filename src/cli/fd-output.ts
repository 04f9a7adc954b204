import { fstatSync, writeSync } from 'node:fs';

/**
 * Standard output or error for a one-shot command, written with `writeSync` on the file descriptor.
 *
 * `process.stdout` builds a stream on first use: a `net.Socket` for a pipe (Node's net and stream
 * modules, ~27 M instructions, a quarter of what starting Node costs), a `SyncWriteStream` for a
 * file. The command writes a few lines and exits, so it writes them itself, synchronously and in
 * order, and pays for none of that. A terminal still goes through `process.stdout`: the command
 * wraps its text to the terminal's width, which only a TTY stream knows.
 *
 * A pipe whose reader is gone (`verbatim … | head -1`) ends the output quietly, as a stream would
 * have; a non-blocking descriptor that is full (EAGAIN) is waited for and written again.
 */
export interface FdOutput {
  write(s: string): void;
  readonly columns?: number;
}

export function fdOutput(fd: 1 | 2, stream: () => NodeJS.WriteStream): FdOutput {
  if (mayBeTerminal(fd)) {
    const tty = stream();
    return {
      write: (s: string) => tty.write(s),
      get columns() {
        return tty.columns;
      },
    };
  }
  let closed = false;
  return {
    write(s: string): void {
      if (closed || s === '') return;
      let bytes = Buffer.from(s, 'utf8');
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(fd, bytes));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            waitMs(1);
            continue;
          }
          if (code === 'EPIPE') {
            closed = true;
            return;
          }
          throw err;
        }
      }
    },
  };
}

/**
 * True unless `fd` is surely not a terminal: a character device may be one (`/dev/null` is one too,
 * and takes the stream: harmless). Asking `tty.isatty` would load the net module this file avoids.
 */
function mayBeTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (a one-shot command has nothing else to do meanwhile). */
function waitMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
