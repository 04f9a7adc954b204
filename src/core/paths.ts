import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding Verbatim's package.json), from source or from dist/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'prompts'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Verbatim repository root');
    dir = up;
  }
  return dir;
}

/** The shared data folder evaluations read: the given path, else `../shared` beside the repo. */
export function sharedDir(given?: string): string {
  return given ? resolve(given) : resolve(repoRoot(), '..', 'shared');
}
