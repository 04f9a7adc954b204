import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/core/paths.js';

/** Absolute path of a file under test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}
