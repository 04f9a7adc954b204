import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../core/paths.js';

/** Every prompt file the engine uses, by name (the file is `prompts/<name>.md`). */
export const PROMPT_NAMES = [
  'summarize.system',
  'summarize.user',
  'map.user',
  'reduce.user',
  'answer.system',
  'answer.user',
  'repair.system',
  'repair.user',
] as const;

export type PromptName = (typeof PROMPT_NAMES)[number];

/** Prompt templates read once; `version` changes whenever any template does (it is part of cache keys). */
export interface Prompts {
  readonly templates: Readonly<Record<PromptName, string>>;
  readonly version: string;
}

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g;

/** Reads every prompt from `dir` (default: the repository's `prompts/`). Throws if one is missing. */
export function loadPrompts(dir: string = join(repoRoot(), 'prompts')): Prompts {
  const templates = {} as Record<PromptName, string>;
  const hash = createHash('sha256');
  for (const name of PROMPT_NAMES) {
    const text = readFileSync(join(dir, `${name}.md`), 'utf8');
    templates[name] = text;
    hash.update(name).update('\u0000').update(text).update('\u0000');
  }
  return Object.freeze({ templates: Object.freeze(templates), version: hash.digest('hex').slice(0, 16) });
}

/** The placeholder names a template uses, each once, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Fills `{{name}}` placeholders in one pass, so text inserted for one placeholder (an article that
 * happens to contain `{{x}}`) is never filled again. Throws when the template uses a name that
 * `values` lacks, or `values` has a name the template never uses: either is a bug in the caller.
 */
export function fillPrompt(template: string, values: Readonly<Record<string, string | number>>): string {
  const used = placeholdersOf(template);
  const missing = used.filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) throw new Error(`prompt placeholder not filled: ${missing.join(', ')}`);
  const unused = Object.keys(values).filter((name) => !used.includes(name));
  if (unused.length > 0) throw new Error(`prompt has no placeholder for: ${unused.join(', ')}`);
  return template.replace(PLACEHOLDER, (_, name: string) => String(values[name]));
}

/** A random id for the tags around untrusted text: the text cannot know it, so it cannot close them. */
export function makeNonce(): string {
  return randomBytes(9).toString('base64url');
}

const TAG_LIKE = /<\s*\/?\s*(?:article|history|points|passages)\b[^>]*>/giu;

/**
 * Untrusted text made safe to put between our tags: anything that looks like one of our opening or
 * closing tags (any id) is removed, so the text cannot end its block and pose as the user.
 */
export function stripDelimiters(text: string): string {
  return text.replace(TAG_LIKE, '');
}
