import { parseArgs } from 'node:util';
import type { EngineRunner } from '../app/engine-runner.js';
import type { System } from '../app/system.js';
import type { Article } from '../article/article.js';
import { looksLikeUrl, type ReadDeadline, readLocalInput } from '../article/sources.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { type Failure, failureKind, type Result } from '../core/result.js';
import { SUMMARY_LENGTHS, type SummarizeOptions, type SummaryLength } from '../engines/engine.js';
import type { Prompts } from '../engines/openai/prompts.js';
import type { EngineChoice } from '../engines/select.js';
import { createLogger, type Logger } from '../log.js';
import { askLine, checkLine, type ErrorAbout, errorLine, extractLine, summarizeLine } from './lines.js';
import { safeStreams } from './output.js';
import { renderAnswer, renderCheck, renderSummary } from './render.js';

/** Where the CLI reads and writes; a test passes its own. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown; columns?: number };
  readonly stderr: { write(s: string): unknown };
  readonly stdin: AsyncIterable<Uint8Array>;
  /** Loads configuration; the default reads `.env` and the environment once. */
  readonly config?: () => Config;
  /** The model's prompts; default read from the repository's `prompts/` (tests change them). */
  readonly prompts?: Prompts;
}

export const EXIT = { ok: 0, bug: 1, usage: 2, input: 3, upstream: 4 } as const;

const USAGE = `usage:
  verbatim extract   <source>...            [--json]
  verbatim summarize <source>               [--engine extractive|openai] [--length short|standard|detailed] [--lang CODE] [--json]
  verbatim ask       <source> <question>... [--engine extractive|openai] [--json]
  verbatim check     <source> <claim>...    [--json]   is each claim supported by the article?
  verbatim schema                            JSON Schema of the --json outputs

<source> is an http(s) link, a file (.txt, .md, .html, .pdf), or - for standard input.
--no-cache fetches a link again even when a fresh copy is stored.
exit codes: 0 ok, 2 bad usage, 3 bad input, 4 upstream failure (fetch, model), 1 a bug.`;

class UsageError extends Error {}

interface Flags {
  json: boolean;
  engine: EngineChoice | null;
  length: SummaryLength;
  lang: string | null;
  noCache: boolean;
}

/**
 * Runs one CLI invocation and returns its exit code. Never throws for expected failures. Everything
 * it prints goes through `safeStreams` (no terminal control characters from articles or files).
 */
export async function runCli(argv: readonly string[], rawIo: CliIo): Promise<number> {
  let command: string | undefined;
  let positionals: string[];
  let flags: Flags;
  try {
    ({ command, positionals, flags } = parseCommandLine(argv));
  } catch (err) {
    if (!(err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')))
      throw err;
    safeStreams(rawIo, false).stderr.write(`verbatim: ${(err as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const io: CliIo = { ...rawIo, ...safeStreams(rawIo, flags.json) };
  if (command === 'help' || command === undefined) {
    io.stdout.write(`${USAGE}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === 'schema') {
    const { outputJsonSchemas } = await import('../core/schema.js');
    io.stdout.write(`${JSON.stringify(outputJsonSchemas(), null, 2)}\n`);
    return EXIT.ok;
  }

  let config: Config;
  try {
    config = (io.config ?? loadConfig)();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`verbatim: ${err.message}\n`);
    return EXIT.usage;
  }
  const log = createLogger(config.LOG_LEVEL);
  const { createSystem } = await import('../app/system.js');
  const system = await createSystem(config, log, {
    run: 'parse-in-worker',
    engine: flags.engine,
    cacheResults: !flags.noCache,
    cacheOfflineSummaries: false,
    ...(io.prompts ? { prompts: io.prompts } : {}),
  });
  const ctx: Ctx = { io, flags, config, log, exit: EXIT.ok, system };
  try {
    switch (command) {
      case 'extract':
        await extract(ctx, positionals);
        break;
      case 'summarize':
        await summarize(ctx, positionals);
        break;
      case 'ask':
        await ask(ctx, positionals);
        break;
      case 'check':
        await check(ctx, positionals);
        break;
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`verbatim: ${err.message}\n`);
    return EXIT.usage;
  } finally {
    await system.close();
  }
  return ctx.exit;
}

interface Ctx {
  readonly io: CliIo;
  readonly flags: Flags;
  readonly config: Config;
  readonly log: Logger;
  exit: number;
  /**
   * The same assembly as the bot's, with no worker pool; its store opens on first need (a link, a
   * model result): a local file with the offline engine needs none.
   */
  readonly system: System;
}

function parseCommandLine(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      engine: { type: 'string' },
      length: { type: 'string', default: 'standard' },
      lang: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help) return { command: 'help', positionals: [], flags: defaultFlags() };
  if (
    command !== undefined &&
    !['extract', 'summarize', 'ask', 'check', 'schema', 'help'].includes(command)
  ) {
    throw new UsageError(`unknown command "${command}"`);
  }
  if (values.engine !== undefined && values.engine !== 'extractive' && values.engine !== 'openai') {
    throw new UsageError(`--engine must be extractive or openai, not "${values.engine}"`);
  }
  if (!SUMMARY_LENGTHS.includes(values.length as SummaryLength)) {
    throw new UsageError(`--length must be one of ${SUMMARY_LENGTHS.join(', ')}, not "${values.length}"`);
  }
  if (values.lang !== undefined && !isLanguageTag(values.lang)) {
    throw new UsageError(`--lang must be a language code such as en, fr or pt-BR, not "${values.lang}"`);
  }
  const needs = { extract: 1, summarize: 1, ask: 2 }[command as 'extract' | 'summarize' | 'ask'] ?? 0;
  if (rest.length < needs)
    throw new UsageError(`${command} needs ${needs === 2 ? 'a source and a question' : 'a source'}`);
  if (command === 'summarize' && rest.length > 1) throw new UsageError('summarize takes one source');
  const flags: Flags = {
    json: values.json,
    engine: (values.engine as EngineChoice | undefined) ?? null,
    length: values.length as SummaryLength,
    lang: values.lang ?? null,
    noCache: values['no-cache'],
  };
  return { command, positionals: rest, flags };
}

function defaultFlags(): Flags {
  return { json: false, engine: null, length: 'standard', lang: null, noCache: false };
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(tag);
  } catch {
    return false;
  }
}

/**
 * The engine for this run (`--engine`, else config's), run as the bot runs it: a model's results
 * kept in the store unless --no-cache, the offline engine answering when the model fails.
 */
function engineFor(ctx: Ctx): Promise<Result<EngineRunner>> {
  return ctx.system.engines();
}

/**
 * A source → Article within the bot's bounds: a file or standard input is read within
 * FETCH_TIMEOUT_MS (like an attachment download; not when a person types into a terminal), a link
 * is fetched with the fetch timeouts, and HTML and PDF are parsed in a worker with the pool's time
 * and memory limits.
 */
async function loadSource(ctx: Ctx, source: string): Promise<Result<Article>> {
  if (!looksLikeUrl(source)) {
    const input = await readLocalInput(source, ctx.io.stdin, undefined, readDeadline(ctx, source));
    if (!input.ok) return input;
    const { bytes, filename, contentType, meta } = input.value;
    const loaded = await ctx.system.loadArticle({
      kind: 'bytes',
      bytes,
      filename,
      contentType,
      source: meta.source,
    });
    return loaded.ok ? { ok: true, value: loaded.value.article } : loaded;
  }
  const loaded = await ctx.system.loadArticle({ kind: 'url', url: source }, { noCache: ctx.flags.noCache });
  return loaded.ok ? { ok: true, value: loaded.value.article } : loaded;
}

function readDeadline(ctx: Ctx, source: string): ReadDeadline | undefined {
  if (source === '-' && (ctx.io.stdin as { isTTY?: boolean }).isTTY === true) return undefined;
  return { timeoutMs: ctx.config.FETCH_TIMEOUT_MS };
}

/**
 * Reports a failure: a JSON line on stdout under --json, else one line on stderr; sets the exit
 * code once. `about` names the question or claim it concerns, when it concerns one of several.
 */
function report(ctx: Ctx, source: string, error: Failure, about: ErrorAbout = {}): void {
  if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify(errorLine(source, error, about))}\n`);
  else ctx.io.stderr.write(`verbatim: ${source}: ${error.message} [${error.code}]\n`);
  if (ctx.exit === EXIT.ok) ctx.exit = EXIT[failureKind(error.code)];
  ctx.log.debug({ source, code: error.code, details: error.details }, 'request failed');
}

async function extract(ctx: Ctx, sources: readonly string[]): Promise<void> {
  for (const source of sources) {
    const article = await loadSource(ctx, source);
    if (!article.ok) {
      report(ctx, source, article.error);
      continue;
    }
    if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify(extractLine(article.value))}\n`);
    else
      ctx.io.stdout.write(
        `${article.value.title ? `${article.value.title}\n\n` : ''}${article.value.text}\n`,
      );
  }
}

async function summarize(ctx: Ctx, [source = '-']: readonly string[]): Promise<void> {
  const engine = await engineFor(ctx);
  if (!engine.ok) return report(ctx, source, engine.error);
  const article = await loadSource(ctx, source);
  if (!article.ok) return report(ctx, source, article.error);
  const options: SummarizeOptions = { length: ctx.flags.length, lang: ctx.flags.lang };
  const ran = await engine.value.summarize(article.value, options);
  if (!ran.ok) return report(ctx, source, ran.error);
  const result = ran.value.value;
  const width = Math.min(ctx.io.stdout.columns ?? 88, 100);
  ctx.io.stdout.write(
    ctx.flags.json
      ? `${JSON.stringify(summarizeLine(article.value, options, result))}\n`
      : renderSummary(article.value, result, width),
  );
}

async function ask(ctx: Ctx, [source = '-', ...questions]: readonly string[]): Promise<void> {
  const engine = await engineFor(ctx);
  if (!engine.ok) return report(ctx, source, engine.error);
  const article = await loadSource(ctx, source);
  if (!article.ok) return report(ctx, source, article.error);
  const width = Math.min(ctx.io.stdout.columns ?? 88, 100);
  for (const [i, question] of questions.entries()) {
    const q = question.trim();
    if (q === '') {
      report(
        ctx,
        source,
        { code: 'empty_input', message: 'The question is empty.', details: { index: i } },
        { question },
      );
      continue;
    }
    const ran = await engine.value.answer(article.value, q, []);
    if (!ran.ok) {
      report(ctx, source, ran.error, { question });
      continue;
    }
    const result = ran.value.value;
    ctx.io.stdout.write(
      ctx.flags.json
        ? `${JSON.stringify(askLine(article.value, q, result))}\n`
        : `${i > 0 ? '\n' : ''}${renderAnswer(article.value, q, result, width)}`,
    );
  }
}

async function check(ctx: Ctx, [source = '-', ...claims]: readonly string[]): Promise<void> {
  const article = await loadSource(ctx, source);
  if (!article.ok) return report(ctx, source, article.error);
  const { checkClaims } = await import('../grounding/support/index.js');
  const width = Math.min(ctx.io.stdout.columns ?? 88, 100);
  const trimmed = claims.map((c) => c.trim());
  const results = checkClaims(
    article.value,
    trimmed.filter((c) => c !== ''),
  ).values();
  for (const [i, claim] of trimmed.entries()) {
    const result = claim === '' ? undefined : results.next().value;
    if (result === undefined) {
      report(
        ctx,
        source,
        { code: 'empty_input', message: 'The claim is empty.', details: { index: i } },
        { claim: claims[i] ?? '' },
      );
      continue;
    }
    ctx.io.stdout.write(
      ctx.flags.json
        ? `${JSON.stringify(checkLine(result))}\n`
        : `${renderCheck(article.value, result, width)}\n`,
    );
  }
}
