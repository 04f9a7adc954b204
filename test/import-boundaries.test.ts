import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../src/core/paths.js';

/**
 * Which top-level folders the files of each folder may import (relative specifiers; packages are
 * free). test/ and scripts/ share what they both need through testkit/, never through each other;
 * testkit/ stands on the product alone; the product never loads test code.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  test: ['src', 'commands', 'testkit', 'test'],
  scripts: ['src', 'commands', 'testkit', 'scripts'],
  testkit: ['src', 'commands', 'testkit'],
  src: ['src', 'commands'],
  commands: ['src', 'commands'],
};

const SOURCE = /\.(?:ts|mts|js|mjs)$/u;

/** Every import, re-export and dynamic `import()` specifier in a module's text. */
function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Files of a top-level folder whose imports leave the allowed folders, as `file → specifier`. */
function crossings(folder: string): string[] {
  const root = repoRoot();
  const allowed = MAY_IMPORT[folder] ?? [];
  const files = readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => SOURCE.test(name) && !name.endsWith('.d.ts'))
    .map((name) => join(root, folder, name));
  assert.ok(files.length > 0, `no source files in ${folder}/`);
  return files.flatMap((file) =>
    importSpecifiers(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .filter((spec) => {
        const target = relative(root, join(dirname(file), spec));
        const top = target.split(sep)[0] ?? '';
        return top === '..' || !allowed.includes(top);
      })
      .map((spec) => `${relative(root, file)} → ${spec}`),
  );
}

describe('import boundaries', () => {
  it('GIVEN a module with static, type-only, re-exported, dynamic and side-effect imports THEN each specifier is found, and no look-alike string', () => {
    const text = [
      "import { a } from '../src/a.js';",
      "import type { B } from '../testkit/b.js';",
      "export { c } from './c.js';",
      "import './d.js';",
      "const e = await import('../scripts/e.js');",
      'const notAnImport = "from \'../test/f.js\'";',
      "const url = new URL('../scripts/deploy-commands.js', import.meta.url);",
    ].join('\n');

    assert.deepEqual(importSpecifiers(text).sort(), [
      '../scripts/e.js',
      '../src/a.js',
      '../testkit/b.js',
      './c.js',
      './d.js',
    ]);
  });

  it('GIVEN every file in test/ and scripts/ THEN test/ imports only src/, commands/, testkit/ and itself; scripts/ only src/, commands/, testkit/ and itself', () => {
    assert.deepEqual(crossings('test'), []);
    assert.deepEqual(crossings('scripts'), []);
  });

  it('GIVEN every file in testkit/ THEN it imports only src/, commands/ and itself', () => {
    assert.deepEqual(crossings('testkit'), []);
  });

  it('GIVEN every file in src/ and commands/ THEN neither imports test/, testkit/ or scripts/', () => {
    assert.deepEqual(crossings('src'), []);
    assert.deepEqual(crossings('commands'), []);
  });
});
