/**
 * Restart under load: does a restart lose anyone's request? Starts the fake Discord, a slow fake
 * OpenAI server and a local article server, runs the real bot as its own process (`npm start`'s
 * entry, as a process manager would), seeds a few summaries with threads, then sends N mixed
 * requests — `/summarize` of links and of pasted text, mentions with a link, questions in threads
 * (mentions and `/ask`) — and restarts the bot half-way: SIGTERM (drain, then exit) or SIGKILL. A
 * few requests arrive while it drains. After the restart it sends the rest, presses "Try again"
 * wherever it is offered (as the requester), asks again where the bot said it was restarting, and
 * reports each request: answered, told + retried, turned away + asked again, failed, or lost (no
 * final message at all). Lost must be 0.
 *
 * Run by `npm run bench:restart` (scripts/restart-under-load.ts) and test/discord/restart.test.ts.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { notices, progress } from '../../src/discord/messages.js';
import { CUSTOM_IDS } from '../../src/discord/payloads.js';
import { type BotProcess, startBotProcess } from '../discord/bot-process.js';
import { pastedBody as fixtureText, page } from '../discord/pages.js';
import { type FakeDiscord, type StoredMessage, startFakeDiscord } from '../fakes/discord/index.js';
import { realisticReply } from '../fakes/openai/realistic.js';
import { startFakeOpenAI } from '../fakes/openai/server.js';

export type RestartVariant = 'sigterm' | 'sigkill';

export interface RestartLoadOptions {
  /** Requests sent around the restart (besides the seed summaries and the asks during drain). */
  readonly requests: number;
  readonly variant: RestartVariant;
  /** Milliseconds the fake model takes per call: long enough that work is in flight at the restart. */
  readonly modelDelayMs: number;
  /** SHUTDOWN_GRACE_MS of the bot (SIGTERM variant): shorter than the work, so some is stopped. */
  readonly graceMs: number;
  /** Milliseconds to wait for every request to end after the last action. */
  readonly settleMs?: number;
}

/** How a request ended. */
export type Fate = 'answered' | 'retried' | 'reasked' | 'failed' | 'lost';

export interface RequestReport {
  readonly index: number;
  readonly kind: LoadRequestKind;
  /** Sent before the restart, during the drain, or after the restart. */
  readonly phase: 'before' | 'draining' | 'after';
  readonly fate: Fate;
  /** The text of a failure, when the request failed. */
  readonly detail: string | null;
}

export interface RestartLoadResult {
  readonly variant: RestartVariant;
  readonly requests: number;
  readonly counts: Readonly<Record<Fate, number>>;
  /** Users offered "Try again" by the stopping process, and by the next one. */
  readonly toldAtShutdown: number;
  readonly toldAfterRestart: number;
  /** SIGTERM: the stopping process's exit code and how long it took to exit (ms). */
  readonly exitCode: number | null;
  readonly exitMs: number;
  /** Milliseconds from the signal to the new process being ready. */
  readonly downMs: number;
  readonly reports: readonly RequestReport[];
  readonly fakeProblems: readonly string[];
}

/** The kinds of request the load mixes, in the order they are sent. */
export type LoadRequestKind = 'slash_url' | 'slash_text' | 'mention_url' | 'thread_mention' | 'slash_ask';
export const LOAD_REQUEST_KINDS: readonly LoadRequestKind[] = [
  'slash_url',
  'slash_text',
  'mention_url',
  'thread_mention',
  'slash_ask',
];

/** What a request's final reply looks like so far. */
type Seen = 'pending' | 'answered' | 'retry' | 'turned_away' | 'failed';

interface Tracked {
  readonly index: number;
  readonly kind: LoadRequestKind;
  readonly phase: RequestReport['phase'];
  readonly userId: string;
  /** The message that shows the request's outcome, once there is one. */
  reply: () => StoredMessage | null;
  retried: boolean;
  reasked: boolean;
}

const PROGRESS = new Set<string>(Object.values(progress));

/** Runs one restart under load: fresh fakes, database and bot processes; all closed afterwards. */
export async function runRestartUnderLoad(options: RestartLoadOptions): Promise<RestartLoadResult> {
  const articles = createServer((req, res) => {
    const n = /^\/article\/(\d+)$/u.exec(req.url ?? '')?.[1];
    if (!n) return void res.writeHead(404).end();
    // A different text per link: each is a real fetch, parse and model call.
    const body = page.replace(
      '</article>',
      `<p>Reader note number ${n}: printed for reader ${n}.</p></article>`,
    );
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => articles.listen(0, '127.0.0.1', resolve));
  const port = (articles.address() as AddressInfo).port;
  const openai = await startFakeOpenAI({
    handler: async (request) => {
      await sleep(options.modelDelayMs);
      return realisticReply(request);
    },
  });
  const channels = 4;
  const fake = await startFakeDiscord({
    guilds: [{ channels: Array.from({ length: channels }, (_, i) => ({ name: `general-${i}` })) }],
    rateLimits: {
      'POST /channels/:channel/messages': { limit: 100, windowMs: 1000 },
      'POST /channels/:channel/messages/:message/threads': { limit: 100, windowMs: 1000 },
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-restart-load-'));
  const env: Record<string, string> = {
    LOG_LEVEL: 'info',
    VERBATIM_ENGINE: 'openai',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MAX_RETRIES: '0',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'verbatim.db'),
    FETCH_ALLOW: '127.0.0.1/32',
    FETCH_ALLOWED_PORTS: String(port),
    WORKER_THREADS: '1',
    DISCORD_USER_SUMMARIES_PER_MINUTE: '0',
    DISCORD_USER_QUESTIONS_PER_MINUTE: '0',
    SHUTDOWN_GRACE_MS: String(options.graceMs),
  };
  await deployCommands(commands, {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
  });
  const processes: BotProcess[] = [];
  try {
    processes.push(await startBotProcess(env));
    const channelIds = Array.from({ length: channels }, (_, i) => fake.channelByName(`general-${i}`).id);
    const users = [fake.userByName('alice').id, fake.userByName('bob').id];
    const pasted = (n: number) => `${fixtureText}\n\nPasted copy number ${n}.`;
    const threads = await seedThreads(fake, channelIds, pasted, options.settleMs ?? 60_000);

    let index = 0;
    const tracked: Tracked[] = [];
    const send = (phase: Tracked['phase'], kind: LoadRequestKind): Tracked => {
      const i = index++;
      const userId = users[i % users.length] as string;
      const channelId = channelIds[i % channelIds.length] as string;
      const thread = threads[i % threads.length] as string;
      const entry: Tracked = {
        index: i,
        kind,
        phase,
        userId,
        reply: ask(fake, kind, {
          i,
          userId,
          channelId,
          thread,
          url: `http://127.0.0.1:${port}/article/${i}`,
          pasted,
        }),
        retried: false,
        reasked: false,
      };
      tracked.push(entry);
      return entry;
    };
    const half = Math.ceil(options.requests / 2);
    for (let i = 0; i < half; i++) {
      send('before', LOAD_REQUEST_KINDS[i % LOAD_REQUEST_KINDS.length] as LoadRequestKind);
      await sleep(25);
    }
    // Work in flight: links fetched, models answering, questions queued.
    await sleep(Math.min(options.modelDelayMs, 1500));

    const first = processes[0] as BotProcess;
    const signalledAt = performance.now();
    first.process.kill(options.variant === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
    if (options.variant === 'sigterm') {
      await sleep(100);
      // Users who ask while the bot drains get an answer at once, not silence. (A slash command
      // fails to send when the gateway is already closed; then nobody could have asked.)
      try {
        send('draining', 'slash_url');
        send('draining', 'mention_url');
      } catch {
        index--;
      }
    }
    const [exitCode] = (await once(first.process, 'exit')) as [number | null];
    const exitMs = performance.now() - signalledAt;
    processes.push(await startBotProcess(env));
    const downMs = performance.now() - signalledAt;
    for (let i = half; i < options.requests; i++) {
      send('after', LOAD_REQUEST_KINDS[i % LOAD_REQUEST_KINDS.length] as LoadRequestKind);
      await sleep(25);
    }

    const deadline = Date.now() + (options.settleMs ?? 60_000);
    let toldAtShutdown = 0;
    let toldAfterRestart = 0;
    for (;;) {
      let pending = 0;
      for (const entry of tracked) {
        const reply = entry.reply();
        const seen = classify(reply);
        if (seen === 'retry' && reply && !entry.retried) {
          entry.retried = true;
          if (reply.content === notices.stoppedRetry) toldAtShutdown++;
          else toldAfterRestart++;
          const customId = retryCustomId(reply) as string;
          fake.sendButton({ customId, messageId: reply.id, user: entry.userId });
        } else if (seen === 'turned_away' && !entry.reasked) {
          entry.reasked = true;
          entry.reply = ask(fake, entry.kind, {
            i: entry.index,
            userId: entry.userId,
            channelId: channelIds[entry.index % channelIds.length] as string,
            thread: threads[entry.index % threads.length] as string,
            url: `http://127.0.0.1:${port}/article/${entry.index}`,
            pasted,
          });
        }
        if (seen !== 'answered' && seen !== 'failed') pending++;
      }
      if (pending === 0 || Date.now() > deadline) break;
      await sleep(100);
    }

    const reports: RequestReport[] = tracked.map((entry) => {
      const reply = entry.reply();
      const seen = classify(reply);
      const fate: Fate =
        seen === 'answered'
          ? entry.retried
            ? 'retried'
            : entry.reasked
              ? 'reasked'
              : 'answered'
          : seen === 'failed'
            ? 'failed'
            : 'lost';
      return {
        index: entry.index,
        kind: entry.kind,
        phase: entry.phase,
        fate,
        detail: fate === 'failed' || fate === 'lost' ? (reply?.content ?? null) : null,
      };
    });
    const counts = { answered: 0, retried: 0, reasked: 0, failed: 0, lost: 0 };
    for (const r of reports) counts[r.fate]++;
    return {
      variant: options.variant,
      requests: tracked.length,
      counts,
      toldAtShutdown,
      toldAfterRestart,
      exitCode: options.variant === 'sigterm' ? exitCode : null,
      exitMs: Math.round(exitMs),
      downMs: Math.round(downMs),
      reports,
      fakeProblems: fake.problems(),
    };
  } finally {
    for (const p of processes) {
      if (p.process.exitCode === null && p.process.signalCode === null) {
        p.process.kill('SIGTERM');
        await once(p.process, 'exit');
      }
    }
    await fake.close();
    await openai.close();
    articles.closeAllConnections();
    await new Promise<void>((resolve) => articles.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
}

interface AskInput {
  readonly i: number;
  readonly userId: string;
  readonly channelId: string;
  readonly thread: string;
  readonly url: string;
  readonly pasted: (n: number) => string;
}

/** Sends one request as a user would; returns how to find the message that shows its outcome. */
function ask(fake: FakeDiscord, kind: LoadRequestKind, input: AskInput): () => StoredMessage | null {
  const { userId } = input;
  const replyTo = (message: StoredMessage) => () =>
    fake
      .messages(message.channelId)
      .find((m) => m.authorId === fake.botUser.id && m.api.message_reference?.message_id === message.id) ??
    null;
  switch (kind) {
    case 'slash_url':
    case 'slash_text': {
      const options =
        kind === 'slash_url' ? { url: input.url } : { text: input.pasted(input.i).slice(0, 6000) };
      const handle = fake.sendSlashCommand({
        name: 'summarize',
        options,
        user: userId,
        channelId: input.channelId,
      });
      return () => interactionReply(handle.original, handle.followups);
    }
    case 'slash_ask': {
      const handle = fake.sendSlashCommand({
        name: 'ask',
        options: { question: `Who is quoted in the article (question ${input.i})?` },
        user: userId,
        channelId: input.thread,
      });
      return () => interactionReply(handle.original, handle.followups);
    }
    case 'mention_url':
      return replyTo(
        fake.postUserMessage({
          content: `summarize ${input.url} please`,
          mentionsBot: true,
          user: userId,
          channelId: input.channelId,
        }),
      );
    case 'thread_mention':
      return replyTo(
        fake.postUserMessage({
          content: `What does the article say happened (question ${input.i})?`,
          mentionsBot: true,
          user: userId,
          channelId: input.thread,
        }),
      );
  }
}

/** An interaction's outcome: its reply, or (a public reply removed on failure) a private follow-up. */
function interactionReply(
  original: StoredMessage | null,
  followups: readonly StoredMessage[],
): StoredMessage | null {
  if (original && !original.deleted) return original;
  return followups.find((f) => f.content !== '') ?? null;
}

function retryCustomId(message: StoredMessage): string | null {
  for (const row of message.components as { components?: { custom_id?: string }[] }[]) {
    for (const c of row.components ?? []) {
      if (c.custom_id?.startsWith(`${CUSTOM_IDS.retry}:`)) return c.custom_id;
    }
  }
  return null;
}

function classify(message: StoredMessage | null): Seen {
  if (!message || message.deleted) return 'pending';
  if (message.embeds.length > 0) return 'answered';
  if (retryCustomId(message)) return 'retry';
  if (message.content === notices.shuttingDown) return 'turned_away';
  if (message.content === '' || PROGRESS.has(message.content)) return 'pending';
  return 'failed';
}

/** Summaries of pasted text whose threads the load's questions are asked in. */
async function seedThreads(
  fake: FakeDiscord,
  channelIds: readonly string[],
  pasted: (n: number) => string,
  timeoutMs: number,
): Promise<string[]> {
  const handles = channelIds.map((channelId, i) =>
    fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted(1000 + i).slice(0, 6000) },
      channelId,
    }),
  );
  const threads: string[] = [];
  for (const handle of handles) {
    await handle.waitFor((h) => (h.original?.embeds.length ?? 0) > 0, timeoutMs);
    const id = handle.original?.id as string;
    const deadline = Date.now() + timeoutMs;
    while (!fake.threads().some((t) => t.id === id)) {
      if (Date.now() > deadline) throw new Error('a seed summary opened no thread');
      await sleep(50);
    }
    threads.push(id);
  }
  return threads;
}
