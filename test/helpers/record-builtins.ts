/**
 * Preloaded into a child process with `node --import <this file>`: at exit, writes the name of every
 * Node built-in module the process loaded (`net`, `crypto`…), one per line, to the file named by
 * `VERBATIM_RECORD_BUILTINS` — including those Node's internals load (`process.stdout` loads net for
 * a pipe), which no resolve hook sees.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.VERBATIM_RECORD_BUILTINS;
if (!file) throw new Error('record-builtins: set VERBATIM_RECORD_BUILTINS to the file to write');

process.on('exit', () => {
  const { moduleLoadList } = process as unknown as { moduleLoadList: readonly string[] };
  const names = moduleLoadList.flatMap((m) =>
    m.startsWith('NativeModule ') ? [m.slice('NativeModule '.length)] : [],
  );
  writeFileSync(file, names.map((n) => `${n}\n`).join(''));
});
