import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../src/core/paths.js';

const root = repoRoot();

/** Every TypeScript source file under `dir` (relative to the repository), recursively. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)));
}

/** The module specifiers a file imports or re-exports, statically or with `import()`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gu)) {
    found.push(m[1] as string);
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gu)) found.push(m[1] as string);
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gmu)) found.push(m[1] as string);
  return found;
}

/** What a file imports: repository paths (`src/store/store.ts`) for relative specifiers, else the package name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return specifiers(text).map((spec) =>
    spec.startsWith('.')
      ? relative(root, resolve(dirname(join(root, file)), spec)).replace(/\.js$/u, '.ts')
      : spec,
  );
}

/** `file imports target` for every import of the files that lands under `target`. */
function offending(files: readonly string[], target: (imported: string) => boolean): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter(target)
      .map((imported) => `${file} imports ${imported}`),
  );
}

const adapters = [...sources('src/discord'), ...sources('commands'), ...sources('src/cli'), 'src/cli.ts'];

describe('the layers', () => {
  it('GIVEN the scanner THEN it sees static, type-only, re-exported and dynamic imports', () => {
    const text = [
      "import { a } from '../store/store.js';",
      "import type {\n  B,\n  C,\n} from './b.js';",
      "export { d } from 'discord.js';",
      "const e = await import('../store/sqlite-store.js');",
      "import 'dotenv/config';",
    ].join('\n');
    assert.deepEqual(specifiers(text), [
      '../store/store.js',
      './b.js',
      'discord.js',
      '../store/sqlite-store.js',
      'dotenv/config',
    ]);
  });

  it('GIVEN the Discord adapter, the commands and the CLI THEN none imports the store: they go through src/app/', () => {
    assert.ok(adapters.length > 20, `scanned ${adapters.length} files`);
    assert.deepEqual(
      offending(adapters, (imported) => imported.startsWith('src/store/')),
      [],
    );
  });

  it('GIVEN the Discord adapter and the commands THEN no file reads a `.store` of anything', () => {
    const reads = [...sources('src/discord'), ...sources('commands')].flatMap((file) =>
      /\.store\b/u.test(readFileSync(join(root, file), 'utf8')) ? [file] : [],
    );
    assert.deepEqual(reads, []);
  });

  it('GIVEN the use-case layer THEN it knows nothing of Discord, and only the Discord adapter and commands import discord.js', () => {
    const all = [...sources('src'), ...sources('commands')];
    const outside = all.filter((f) => !f.startsWith('src/discord/') && !f.startsWith('commands/'));
    assert.deepEqual(
      offending(outside, (imported) => imported === 'discord.js' || imported.startsWith('src/discord/')),
      [],
    );
  });

  it('GIVEN the engines THEN only the model client imports the openai SDK', () => {
    const all = [...sources('src'), ...sources('commands')];
    assert.deepEqual(
      offending(
        all.filter((f) => !f.startsWith('src/engines/openai/')),
        (imported) => imported === 'openai' || imported.startsWith('openai/'),
      ),
      [],
    );
  });
});
