import { parseArgs } from 'node:util';
import type { Article } from '../article/article.js';
import { loadLocalSource, looksLikeUrl } from '../article/sources.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { type Failure, failureKind, type Result } from '../core/result.js';
import {
  type Engine,
  SUMMARY_LENGTHS,
  type SummarizeOptions,
  type SummaryLength,
} from '../engines/engine.js';
import { defaultEngineChoice, type EngineChoice, selectEngine } from '../engines/select.js';
import { createLogger, type Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { askLine, checkLine, errorLine, extractLine, summarizeLine } from './lines.js';
import { renderAnswer, renderCheck, renderSummary } from './render.js';

/** Where the CLI reads and writes; a test passes its own. */
export interface CliIo {
  readonly stdout: { write(s: string): unknown; columns?: number };
  readonly stderr: { write(s: string): unknown };
  readonly stdin: AsyncIterable<Uint8Array>;
  /** Loads configuration; the default reads `.env` and the environment once. */
  readonly config?: () => Config;
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

/** Runs one CLI invocation and returns its exit code. Never throws for expected failures. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: string | undefined;
  let positionals: string[];
  let flags: Flags;
  try {
    ({ command, positionals, flags } = parseCommandLine(argv));
  } catch (err) {
    if (!(err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')))
      throw err;
    io.stderr.write(`verbatim: ${(err as Error).message}\n${USAGE}\n`);
    return EXIT.usage;
  }
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
  const ctx: Ctx = { io, flags, config, log, exit: EXIT.ok, store: null };
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
    await ctx.store?.close();
  }
  return ctx.exit;
}

interface Ctx {
  readonly io: CliIo;
  readonly flags: Flags;
  readonly config: Config;
  readonly log: Logger;
  exit: number;
  /** Opened on first need (a link, a model call): a local file with the offline engine needs none. */
  store: Store | null;
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

/** The engine for this run; the model engine keeps its results in the store unless --no-cache. */
async function engineFor(ctx: Ctx): Promise<Result<Engine>> {
  const choice = ctx.flags.engine ?? defaultEngineChoice(ctx.config);
  if (choice === 'openai' && !ctx.flags.noCache) ctx.store ??= await openStoreFor(ctx);
  const cache = ctx.store && !ctx.flags.noCache ? { cache: ctx.store.cache } : {};
  return selectEngine(choice, ctx.config, { log: ctx.log, ...cache });
}

/** The store, the fetcher and their dependencies load only when a run needs them (start-up counts). */
async function openStoreFor(ctx: Ctx): Promise<Store> {
  const { openConfiguredStore } = await import('../app/wiring.js');
  return openConfiguredStore(ctx.config, ctx.log);
}

async function loadSource(ctx: Ctx, source: string): Promise<Result<Article>> {
  if (!looksLikeUrl(source)) return loadLocalSource(source, ctx.io.stdin);
  const [{ loadArticle }, { fetchOptionsFrom }] = await Promise.all([
    import('../app/load-article.js'),
    import('../app/wiring.js'),
  ]);
  const fetch = fetchOptionsFrom(ctx.config);
  ctx.store ??= await openStoreFor(ctx);
  const loaded = await loadArticle(
    { kind: 'url', url: source },
    { fetch, store: ctx.store, cacheTtlSeconds: ctx.config.CACHE_TTL_SECONDS, pool: null },
    { noCache: ctx.flags.noCache },
  );
  return loaded.ok ? { ok: true, value: loaded.value.article } : loaded;
}

/** Reports a failure: a JSON line on stdout under --json, else one line on stderr; sets the exit code once. */
function report(ctx: Ctx, source: string, error: Failure, question?: string): void {
  if (ctx.flags.json) ctx.io.stdout.write(`${JSON.stringify(errorLine(source, error, question))}\n`);
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
  const result = await engine.value.summarize(article.value, options);
  if (!result.ok) return report(ctx, source, result.error);
  const width = Math.min(ctx.io.stdout.columns ?? 88, 100);
  ctx.io.stdout.write(
    ctx.flags.json
      ? `${JSON.stringify(summarizeLine(article.value, options, result.value))}\n`
      : renderSummary(article.value, result.value, width),
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
        question,
      );
      continue;
    }
    const result = await engine.value.answer(article.value, q, []);
    if (!result.ok) {
      report(ctx, source, result.error, question);
      continue;
    }
    ctx.io.stdout.write(
      ctx.flags.json
        ? `${JSON.stringify(askLine(article.value, q, result.value))}\n`
        : `${i > 0 ? '\n' : ''}${renderAnswer(article.value, q, result.value, width)}`,
    );
  }
}

async function check(ctx: Ctx, [source = '-', ...claims]: readonly string[]): Promise<void> {
  const article = await loadSource(ctx, source);
  if (!article.ok) return report(ctx, source, article.error);
  const { checkClaims } = await import('../grounding/support.js');
  const width = Math.min(ctx.io.stdout.columns ?? 88, 100);
  for (const result of checkClaims(article.value, claims.map((c) => c.trim()).filter(Boolean))) {
    ctx.io.stdout.write(
      ctx.flags.json
        ? `${JSON.stringify(checkLine(result))}\n`
        : `${renderCheck(article.value, result, width)}\n`,
    );
  }
}
