/**
 * The split roles end to end (issue 12): real PostgreSQL and Redis, a fake Discord with two shards
 * and guilds on each, one gateway process per shard and several worker processes, then a stream of
 * mixed requests from users of every guild while one worker and one gateway are SIGKILLed and
 * restarted. Each request is a `Session` that knows what its user should end up seeing; after the
 * run, `problems()` says what is missing, doubled or someone else's.
 *
 * The mix is a table (`MIX`): a kind of request is one entry with how a user sends it and what its
 * answer looks like. Kinds a gateway does not yet hand to the workers on main name what they wait
 * for (`waitsFor`) and stay out of `ACTIVE_MIX` until then.
 *
 * Used by test/discord/roles-e2e.test.ts.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { PASTE_FIELDS } from '../../src/discord/handlers/paste-modal.js';
import { labels, notices } from '../../src/discord/texts.js';
import { type BotProcess, startBotProcess, stopBotProcess } from '../discord/bot-process.js';
import { type ArticleServer, type Page, startArticleServer, WIDE_BUCKETS } from '../discord/harness.js';
import { page, pasted } from '../discord/pages.js';
import { countJobRows, deployToFake, splitRolesEnv } from '../discord/split-roles.js';
import {
  type FakeDiscord,
  guildIdOnShard,
  type InteractionHandle,
  type StoredMessage,
  startFakeDiscord,
} from '../fakes/discord/index.js';

/** The shard count of every run: one gateway process per shard. */
export const SHARDS = 2;

/** Where a user asks: a guild's one text channel, on the shard its id lands on. */
export interface Place {
  readonly shard: number;
  readonly guildId: string;
  readonly channelId: string;
}

export interface ClusterOptions {
  /** A fresh PostgreSQL database for this run (the first gateway migrates it). */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** A Redis key prefix of this run's own (QUEUE_PREFIX). */
  readonly queuePrefix: string;
  readonly workers: number;
  readonly guildsPerShard: number;
  /** QUEUE_LOCK_MS of every process: how soon a dead worker's job is found. */
  readonly lockMs: number;
  /** Jobs each worker runs at once (ENGINE_MAX_ACTIVE). */
  readonly workerConcurrency: number;
}

/**
 * The processes of one run against one fake Discord and one article server. `gateways[i]` is the
 * live gateway of shard i, `workers` the live workers; `everyProcess` also keeps the killed ones
 * (their logs say what they did before they died).
 */
export interface Cluster {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  readonly places: readonly Place[];
  readonly gateways: BotProcess[];
  readonly workers: BotProcess[];
  readonly everyProcess: BotProcess[];
  startGateway(shard: number): Promise<BotProcess>;
  startWorker(): Promise<BotProcess>;
  /** SIGKILL, and waits for the exit and its last output; the process leaves `gateways` / `workers`. */
  kill(victim: BotProcess): Promise<void>;
  /** Job rows not finished yet (PostgreSQL). */
  unfinishedJobs(): Promise<number>;
  /** Stops every live process (SIGTERM), then the fake and the article server. */
  close(): Promise<void>;
}

/** How long a process may take to get ready: five Node processes starting at once on a loaded machine. */
const READY_MS = 90_000;

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const articles = await startArticleServer();
  const guilds = Array.from({ length: SHARDS * options.guildsPerShard }, (_, i) => ({
    shard: i % SHARDS,
    id: guildIdOnShard(i % SHARDS, SHARDS, i + 1),
    channel: `general-${i}`,
  }));
  const fake = await startFakeDiscord({
    shards: SHARDS,
    maxConcurrency: SHARDS,
    rateLimits: WIDE_BUCKETS,
    guilds: guilds.map((g) => ({ id: g.id, channels: [{ name: g.channel }] })),
  });
  await deployToFake(fake);
  const env = {
    ...splitRolesEnv(fake, {
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      queuePrefix: options.queuePrefix,
      articlesPort: articles.port,
    }),
    VERBATIM_ENGINE: 'extractive',
    QUEUE_LOCK_MS: String(options.lockMs),
    DISCORD_USER_QUESTIONS_PER_MINUTE: '0',
    SHUTDOWN_GRACE_MS: '2000',
  };
  const gateways: BotProcess[] = [];
  const workers: BotProcess[] = [];
  const everyProcess: BotProcess[] = [];
  const cluster: Cluster = {
    fake,
    articles,
    places: guilds.map((g) => ({
      shard: g.shard,
      guildId: g.id,
      channelId: fake.channelByName(g.channel, g.id).id,
    })),
    gateways,
    workers,
    everyProcess,
    startGateway: async (shard) => {
      const gateway = await startBotProcess(
        {
          ...env,
          VERBATIM_ROLE: 'gateway',
          DISCORD_SHARD_IDS: String(shard),
          DISCORD_SHARD_COUNT: String(SHARDS),
        },
        { readyMs: READY_MS },
      );
      everyProcess.push(gateway);
      gateways[shard] = gateway;
      return gateway;
    },
    startWorker: async () => {
      const worker = await startBotProcess(
        { ...env, VERBATIM_ROLE: 'worker', ENGINE_MAX_ACTIVE: String(options.workerConcurrency) },
        { readyMs: READY_MS },
      );
      everyProcess.push(worker);
      workers.push(worker);
      return worker;
    },
    kill: async (victim) => {
      // 'close': the process has exited and everything it wrote has been read.
      const alive = victim.process.exitCode === null && victim.process.signalCode === null;
      const exited = alive ? once(victim.process, 'close') : null;
      victim.process.kill('SIGKILL');
      await exited;
      const w = workers.indexOf(victim);
      if (w >= 0) workers.splice(w, 1);
      const g = gateways.indexOf(victim);
      if (g >= 0) delete gateways[g];
    },
    unfinishedJobs: () => countJobRows(options.databaseUrl),
    close: async () => {
      await Promise.all(everyProcess.map((p) => stopBotProcess(p)));
      await fake.close();
      await articles.close();
    },
  };
  try {
    // All at once: processes starting together migrate the fresh database once (an advisory lock).
    await Promise.all([
      ...Array.from({ length: SHARDS }, (_, shard) => cluster.startGateway(shard)),
      ...Array.from({ length: options.workers }, () => cluster.startWorker()),
    ]);
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}

// ---- the users' side ------------------------------------------------------------------------

/** Log lines of every process, the killed ones' included. */
function linesOf(cluster: Cluster, msg: string): { readonly [key: string]: unknown }[] {
  return cluster.everyProcess.flatMap((p) => p.lines().filter((l) => l.msg === msg));
}

/** What every process logged per request id, read at most every 50 ms: a dozen users poll it. */
const logIndexes = new WeakMap<
  Cluster,
  { at: number; readonly read: Map<BotProcess, number>; readonly msgs: Map<string, Set<string>> }
>();

/** Whether some process (a killed one too) logged `msg` for request `requestId`. */
function logged(cluster: Cluster, msg: string, requestId: string): boolean {
  let index = logIndexes.get(cluster);
  if (!index) {
    index = { at: 0, read: new Map(), msgs: new Map() };
    logIndexes.set(cluster, index);
  }
  if (performance.now() - index.at > 50) {
    index.at = performance.now();
    for (const p of cluster.everyProcess) {
      const lines = p.lines();
      for (const l of lines.slice(index.read.get(p) ?? 0)) {
        if (typeof l.requestId !== 'string') continue;
        const msgs = index.msgs.get(l.requestId) ?? new Set<string>();
        msgs.add(l.msg);
        index.msgs.set(l.requestId, msgs);
      }
      index.read.set(p, lines.length);
    }
  }
  return index.msgs.get(requestId)?.has(msg) ?? false;
}

/**
 * What the driver gives a kind of request: `dispatch` sends one interaction (or message) once the
 * place's shard has a gateway, and remembers when the gateway is done with it (`settled`), so that a
 * gateway is killed only with nothing of its own half-done.
 */
export interface Users {
  readonly cluster: Cluster;
  dispatch<T>(place: Place, send: () => T, settled: (sent: T) => boolean): Promise<T>;
  /** Waits for `condition` (polled), failing after `timeoutMs` with `what`. */
  until<T>(condition: () => T | null | undefined | false, what: string, timeoutMs?: number): Promise<T>;
}

/** One user's request as it went: its interactions, and what is wrong with its outcome. */
export interface Session {
  readonly kind: string;
  readonly label: string;
  readonly place: Place;
  /** Interactions and messages the user sent for it (a form is two: the command, then the submit). */
  readonly sent: number;
  /** Their ids (the request ids in the processes' logs), filled in by the run. */
  ids?: string[];
  /** Empty when the user has exactly the one answer they asked for. */
  problems(): string[];
}

/** A kind of request in the mix. */
export interface MixEntry {
  readonly kind: string;
  /**
   * Null: gateways on main queue it for the workers. Otherwise what it waits for; such an entry
   * stays out of `ACTIVE_MIX` (its answer is checked the same way once it is in).
   */
  readonly waitsFor: string | null;
  /** How many of each cycle of the mix are of this kind. */
  readonly weight: number;
  /** Plays the user: sends, waits for the whole answer (or fails), and returns the session. */
  run(users: Users, place: Place, label: string): Promise<Session>;
}

/**
 * A page of its own per request: the fixture article with the request's label in its title and a
 * line of its own (the stored article and the cached summary are keyed by the text: pages that
 * differ only in their title would share one, with the title of whichever was stored last).
 */
export function labelledPage(label: string, delayMs = 0): Page {
  return {
    body: page
      .replaceAll('After Six Years of Work', `After Six Years of Work (copy ${label})`)
      .replace('</article>', `<p>This copy was printed for reader ${label}.</p></article>`),
    ...(delayMs > 0 ? { delayMs } : {}),
  };
}

/** Pasted text of its own per request: the fixture's text with the label in its headline and a line of its own. */
export function labelledPaste(label: string): string {
  return `${pasted.replace('Harbor Town Opens Its Tidal Barrier', `Harbor Town Opens Its Tidal Barrier (copy ${label})`)}\n\nThis copy was pasted for reader ${label}.`;
}

/** The request's own copy is in the title of the summary's first embed. */
const titled = (message: StoredMessage | null | undefined, label: string): boolean =>
  ((message?.embeds[0] as { title?: string } | undefined)?.title ?? '').includes(`(copy ${label})`);

/**
 * A summary answering interaction `handle` is complete: its reply shows the request's own copy, its
 * thread is open with the invitation, and a worker recorded where it went (Delete reads that).
 */
function summaryComplete(users: Users, handle: InteractionHandle, label: string): boolean {
  const summary = handle.original;
  if (!summary || !titled(summary, label)) return false;
  const invited = users.cluster.fake
    .messages(summary.id)
    .some((m) => m.authorId === users.cluster.fake.botUser.id && m.content === labels.threadInvite);
  return invited && logged(users.cluster, 'summary posted', handle.id);
}

/**
 * What is wrong with the summary answering `handle`: not deferred, no summary or another request's,
 * a second message (a follow-up, another message of this interaction), no thread or another bot
 * message in it than the one invitation, refused requests on its token. `expectThread` false: its
 * summary was deleted by its requester since (the Delete entry checks the rest).
 */
function summaryProblems(
  users: Users,
  handle: InteractionHandle,
  label: string,
  { deleted = false }: { readonly deleted?: boolean } = {},
): string[] {
  const { fake } = users.cluster;
  const out: string[] = [];
  const summary = handle.original;
  if (handle.callbackType !== 5) out.push(`acknowledged with type ${handle.callbackType}, not deferred`);
  if (!summary) return [...out, 'no reply'];
  if (!titled(summary, label)) out.push(`the reply is not this request's summary: ${summary.content}`);
  if (handle.followups.length > 0) {
    out.push(`${handle.followups.length} follow-ups: ${handle.followups.map((f) => f.content).join(' | ')}`);
  }
  const messages = fake.messages(null).filter((m) => m.interactionId === handle.id);
  if (messages.length !== (deleted ? 0 : 1)) out.push(`${messages.length} messages of this interaction`);
  const threads = fake.threads().filter((t) => t.id === summary.id);
  if (threads.length !== 1) out.push(`${threads.length} threads under the summary`);
  if (!deleted) {
    const bot = fake.messages(summary.id).filter((m) => m.authorId === fake.botUser.id);
    if (bot.length !== 1 || bot[0]?.content !== labels.threadInvite) {
      out.push(`${bot.length} bot messages in the thread (one invitation expected)`);
    }
  }
  if (handle.rejections.length > 0) out.push(`rejected: ${JSON.stringify(handle.rejections)}`);
  return out;
}

/** Settled at the gateway: a queued request once a gateway queued it. */
const queued = (users: Users) => (h: InteractionHandle) => logged(users.cluster, 'request queued', h.id);

/** `/summarize` of a fresh page under `dir`, labelled `label`, awaited until its summary is whole. */
async function summarizedLink(
  users: Users,
  place: Place,
  label: string,
  dir: string,
): Promise<InteractionHandle> {
  const { fake, articles } = users.cluster;
  const path = `${dir}${label}`;
  articles.set(path, labelledPage(label));
  const handle = await users.dispatch(
    place,
    () =>
      fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(path) },
        channelId: place.channelId,
      }),
    queued(users),
  );
  await users.until(() => summaryComplete(users, handle, label), `the summary of ${label}`, ANSWER_MS);
  return handle;
}

/** How long a user waits for an answer before the run fails (a loaded machine, a kill, a restart). */
const ANSWER_MS = 60_000;

/** `/summarize url:` a link to the local article server (some pages slow, so kills find work running). */
const link: MixEntry = {
  kind: 'link',
  waitsFor: null,
  weight: 4,
  async run(users, place, label) {
    const path = `/article/${label}`;
    users.cluster.articles.set(path, labelledPage(label, Number(label.slice(1)) % 3 === 0 ? 600 : 0));
    const handle = await users.dispatch(
      place,
      () =>
        users.cluster.fake.sendSlashCommand({
          name: 'summarize',
          options: { url: users.cluster.articles.url(path) },
          channelId: place.channelId,
        }),
      queued(users),
    );
    await users.until(() => summaryComplete(users, handle, label), `the summary of ${label}`, ANSWER_MS);
    return { kind: 'link', label, place, sent: 1, problems: () => summaryProblems(users, handle, label) };
  },
};

/** `/summarize text:` pasted text. */
const paste: MixEntry = {
  kind: 'paste',
  waitsFor: null,
  weight: 2,
  async run(users, place, label) {
    const handle = await users.dispatch(
      place,
      () =>
        users.cluster.fake.sendSlashCommand({
          name: 'summarize',
          options: { text: labelledPaste(label) },
          channelId: place.channelId,
        }),
      queued(users),
    );
    await users.until(() => summaryComplete(users, handle, label), `the summary of ${label}`, ANSWER_MS);
    return { kind: 'paste', label, place, sent: 1, problems: () => summaryProblems(users, handle, label) };
  },
};

/** `/summarize` with nothing: the "Paste an article" form, filled and submitted. */
const pasteForm: MixEntry = {
  kind: 'paste form',
  waitsFor: null,
  weight: 1,
  async run(users, place, label) {
    const { fake } = users.cluster;
    const command = await users.dispatch(
      place,
      () => fake.sendSlashCommand({ name: 'summarize', channelId: place.channelId }),
      (h) => h.modal !== null,
    );
    await command.waitFor('modal', ANSWER_MS);
    const customId = (command.modal as { custom_id: string }).custom_id;
    const submit = await users.dispatch(
      place,
      () =>
        fake.sendModalSubmit({
          customId,
          fields: { [PASTE_FIELDS.part(1)]: labelledPaste(label) },
          fromInteraction: command,
        }),
      queued(users),
    );
    await users.until(() => summaryComplete(users, submit, label), `the summary of ${label}`, ANSWER_MS);
    return {
      kind: 'paste form',
      label,
      place,
      sent: 2,
      problems: () => [
        ...(command.callbackType === 9 ? [] : [`the form came as type ${command.callbackType}`]),
        ...summaryProblems(users, submit, label),
      ],
    };
  },
};

/** The "Summarize" message command on someone's message with a link. */
const contextMenu: MixEntry = {
  kind: 'context menu',
  waitsFor: null,
  weight: 2,
  async run(users, place, label) {
    const { fake, articles } = users.cluster;
    const path = `/shared/${label}`;
    articles.set(path, labelledPage(label));
    const target = await users.dispatch(
      place,
      () =>
        fake.postUserMessage({
          channelId: place.channelId,
          content: `worth a read ${articles.url(path)}`,
          user: fake.userByName('bob').id,
        }),
      () => true,
    );
    const handle = await users.dispatch(
      place,
      () => fake.sendMessageContextMenu({ name: 'Summarize', targetMessageId: target.id }),
      queued(users),
    );
    await users.until(() => summaryComplete(users, handle, label), `the summary of ${label}`, ANSWER_MS);
    return {
      kind: 'context menu',
      label,
      place,
      sent: 1,
      problems: () => summaryProblems(users, handle, label),
    };
  },
};

/** A link's summary, then its requester presses Delete (a button the gateway runs itself). */
const linkThenDelete: MixEntry = {
  kind: 'delete',
  waitsFor: null,
  weight: 1,
  async run(users, place, label) {
    const { fake } = users.cluster;
    const handle = await summarizedLink(users, place, label, '/deleted/');
    const summaryId = handle.original?.id ?? '';
    // The first follow-up after a deferral is the deferred reply itself: counted once, by id.
    const told = (h: InteractionHandle) =>
      new Set([h.original, ...h.followups].filter((m) => m?.content === notices.deleted).map((m) => m?.id))
        .size;
    const press = await users.dispatch(
      place,
      () => fake.sendButton({ customId: 'verbatim:delete', messageId: summaryId }),
      (h) => told(h) > 0,
    );
    await users.until(() => told(press) > 0, `the deletion of ${label}`, ANSWER_MS);
    return {
      kind: 'delete',
      label,
      place,
      sent: 2,
      problems: () => {
        const thread = fake.channel(summaryId).thread_metadata;
        return [
          ...summaryProblems(users, handle, label, { deleted: true }),
          ...(fake.message(summaryId)?.deleted ? [] : ['the summary was not deleted']),
          ...(thread?.archived && thread.locked ? [] : ['its thread was not closed']),
          ...(told(press) === 1 ? [] : [`told "deleted" ${told(press)} times`]),
        ];
      },
    };
  },
};

/**
 * A link's summary, then three questions in its thread, asked at once: each answered once, in the
 * order asked (the thread's conversation must not be answered out of order).
 */
const threadQuestions: MixEntry = {
  kind: 'questions in a thread',
  waitsFor: null,
  weight: 2,
  async run(users, place, label) {
    const { fake } = users.cluster;
    const handle = await summarizedLink(users, place, label, '/asked/');
    const threadId = handle.original?.id ?? '';
    const invite = fake.messages(threadId).find((m) => m.content === labels.threadInvite);
    const questions: StoredMessage[] = [];
    const answersTo = (q: StoredMessage) =>
      fake
        .messages(threadId)
        .filter((m) => m.authorId === fake.botUser.id && m.api.message_reference?.message_id === q.id);
    for (const content of QUESTIONS) {
      questions.push(
        await users.dispatch(
          place,
          () =>
            fake.postUserMessage({
              channelId: threadId,
              content,
              ...(invite ? { replyToMessageId: invite.id } : { mentionsBot: true }),
            }),
          (q) => logged(users.cluster, 'request queued', q.id) || answersTo(q).length > 0,
        ),
      );
    }
    await users.until(
      () => questions.every((q) => answersTo(q).length > 0),
      `the answers in ${label}'s thread`,
      ANSWER_MS,
    );
    return {
      kind: 'questions in a thread',
      label,
      place,
      sent: 1 + questions.length,
      problems: () => {
        const order = fake
          .messages(threadId)
          .filter((m) => m.authorId === fake.botUser.id && m.api.message_reference)
          .map((m) => m.api.message_reference?.message_id);
        return [
          ...summaryProblems(users, handle, label).filter((p) => !p.includes('bot messages in the thread')),
          ...questions.flatMap((q, i) =>
            answersTo(q).length === 1 ? [] : [`question ${i + 1} answered ${answersTo(q).length} times`],
          ),
          ...(JSON.stringify(order) === JSON.stringify(questions.map((q) => q.id))
            ? []
            : ['the answers are not in the order asked']),
        ];
      },
    };
  },
};

/** Questions a thread is asked, in this order (the fixture article answers each). */
const QUESTIONS = [
  'How much did the barrier cost?',
  'How much does each gate weigh?',
  'When is the drill held?',
] as const;

/**
 * The Ask button under a summary: the question form, submitted; the answer is posted in the
 * summary's thread ("@user asked:" with the answer), the form's own reply private.
 */
const askButton: MixEntry = {
  kind: 'ask button',
  waitsFor: null,
  weight: 1,
  async run(users, place, label) {
    const { fake } = users.cluster;
    const handle = await summarizedLink(users, place, label, '/ask/');
    const threadId = handle.original?.id ?? '';
    const press = await users.dispatch(
      place,
      () => fake.sendButton({ customId: 'verbatim:ask', messageId: threadId }),
      (h) => h.modal !== null,
    );
    await press.waitFor('modal', ANSWER_MS);
    const customId = (press.modal as { custom_id: string }).custom_id;
    const answers = () =>
      fake
        .messages(threadId)
        .filter(
          (m) =>
            m.authorId === fake.botUser.id &&
            m.content.startsWith(labels.askedBy(press.userId)) &&
            m.embeds.length > 0,
        );
    const submit = await users.dispatch(
      place,
      () => fake.sendModalSubmit({ customId, fields: { question: QUESTIONS[0] }, fromInteraction: press }),
      (h) => queued(users)(h) || answers().length > 0,
    );
    await users.until(() => answers().length > 0, `the answer to ${label}'s Ask`, ANSWER_MS);
    return {
      kind: 'ask button',
      label,
      place,
      sent: 3,
      problems: () => [
        ...summaryProblems(users, handle, label).filter((p) => !p.includes('bot messages in the thread')),
        ...(answers().length === 1 ? [] : [`answered ${answers().length} times in the thread`]),
        ...(submit.ephemeral ? [] : ['the form was not acknowledged privately']),
      ],
    };
  },
};

/** Every kind of request the run knows, active or waiting (see `MixEntry.waitsFor`). */
export const MIX: readonly MixEntry[] = [
  link,
  paste,
  pasteForm,
  contextMenu,
  linkThenDelete,
  threadQuestions,
  askButton,
];

/** The kinds sent today: those gateways on main queue for the workers. */
export const ACTIVE_MIX: readonly MixEntry[] = MIX.filter((entry) => entry.waitsFor === null);

/**
 * Request ids a live worker took up again after `ids` were left by a dead one: run again, or found
 * finished (the dead worker had delivered and recorded it before it died).
 */
export function takenOver(cluster: Cluster, ids: readonly string[]): string[] {
  const again = new Set(['queued job started', 'queued job already finished']);
  return ids.filter((id) =>
    cluster.workers.some((w) => w.lines().some((l) => again.has(l.msg) && l.requestId === id)),
  );
}

// ---- the run ---------------------------------------------------------------------------------

export interface RunOptions {
  /** Requests (sessions) to run, spread over the places and the mix. */
  readonly requests: number;
  /** Sessions in progress at once (users waiting for their answer). */
  readonly concurrentUsers: number;
  readonly mix?: readonly MixEntry[];
  /** After this many sessions have started, SIGKILL a worker with a job running, and start another. */
  readonly killWorkerAt: number;
  /**
   * After this many, SIGKILL the gateway of shard 1 and restart it. Its users wait meanwhile (Discord
   * fails interactions that reach no session; no bot can answer those), and it is killed with every
   * interaction it received acknowledged and queued: one killed between its deferral and the queue's
   * `add` leaves a deferred reply that no process ever takes up (its job row is only in PostgreSQL,
   * and gateways do not look for interrupted jobs) — a known gap, not what this run measures.
   */
  readonly killGatewayAt: number;
}

export interface RunReport {
  readonly sessions: readonly Session[];
  /** Interactions and messages sent by the users. */
  readonly sent: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** Request ids the killed worker had started and not finished when it died (from its log). */
  readonly runningAtWorkerKill: readonly string[];
  /** Jobs the gateway of shard 1 had queued and the workers had not finished when it was killed. */
  readonly queuedAtGatewayKill: number;
  /** Milliseconds from the gateway's SIGKILL until its replacement was ready. */
  readonly gatewayDownMs: number;
  readonly elapsedMs: number;
}

/**
 * Runs `requests` sessions, at most `concurrentUsers` at once, round robin over the places and the
 * mix's cycle; kills and restarts a worker and the gateway of shard 1 on the way; resolves once
 * every session has its answer (a session that does not get one within a minute fails the run).
 */
export async function runMixedRequests(cluster: Cluster, options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const mix = options.mix ?? ACTIVE_MIX;
  const cycle = mix.flatMap((entry) => Array.from({ length: entry.weight }, () => entry));
  const paused = new Map<number, Promise<void>>();
  const inFlight: { readonly shard: number; settled(): boolean }[] = [];
  const until = async <T>(
    condition: () => T | null | undefined | false,
    what: string,
    timeoutMs = 30_000,
  ): Promise<T> => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value !== null && value !== undefined && value !== false) return value;
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(50);
    }
  };
  const users: Users = {
    cluster,
    until,
    dispatch: async (place, send, settled) => {
      for (let gate = paused.get(place.shard); gate; gate = paused.get(place.shard)) await gate;
      const sent = send();
      inFlight.push({ shard: place.shard, settled: () => settled(sent) });
      return sent;
    },
  };

  const running = new Set<Promise<Session>>();
  const sessions: Promise<Session>[] = [];
  const kills: Promise<unknown>[] = [];
  let runningAtWorkerKill: string[] = [];
  let queuedAtGatewayKill = 0;
  let gatewayDownMs = 0;

  const killWorker = async () => {
    const active = (w: BotProcess) => {
      const done = new Set(
        w
          .lines()
          .filter((l) => l.msg === 'queued job done')
          .map((l) => l.requestId),
      );
      return w
        .lines()
        .filter((l) => l.msg === 'queued job started' && !done.has(l.requestId))
        .map((l) => String(l.requestId));
    };
    const victim = await until(
      () => cluster.workers.find((w) => active(w).length > 0),
      'a worker with a job running',
    );
    await cluster.kill(victim);
    // Read after its output has ended: it may have finished some between the choice and the kill.
    runningAtWorkerKill = active(victim);
    await cluster.startWorker();
  };

  const killGateway = async () => {
    const shard = 1;
    let resume = () => {};
    paused.set(shard, new Promise<void>((r) => (resume = r)));
    await until(
      () => inFlight.every((r) => r.shard !== shard || r.settled()),
      `shard ${shard}'s requests to be acknowledged and queued`,
      60_000,
    );
    const victim = cluster.gateways[shard] as BotProcess;
    const queuedBy = new Set(
      victim
        .lines()
        .filter((l) => l.msg === 'request queued')
        .map((l) => l.requestId),
    );
    const finished = new Set(linesOf(cluster, 'summary posted').map((l) => l.requestId));
    queuedAtGatewayKill = [...queuedBy].filter((id) => !finished.has(id)).length;
    const killedAt = performance.now();
    await cluster.kill(victim);
    await cluster.startGateway(shard);
    gatewayDownMs = performance.now() - killedAt;
    paused.delete(shard);
    resume();
  };

  for (let i = 0; i < options.requests; i++) {
    if (i === options.killWorkerAt) kills.push(killWorker());
    if (i === options.killGatewayAt) kills.push(killGateway());
    while (running.size >= options.concurrentUsers) await Promise.race(running);
    const entry = cycle[i % cycle.length] as MixEntry;
    // Shifted by one place each cycle, so that every kind is sent in every guild.
    const place = cluster.places[(i + Math.floor(i / cycle.length)) % cluster.places.length] as Place;
    const label = `r${i}`;
    const ids: string[] = [];
    const own: Users = {
      ...users,
      dispatch: async (at, send, settled) => {
        const sent = await users.dispatch(at, send, settled);
        ids.push((sent as { readonly id: string }).id);
        return sent;
      },
    };
    // A user left without an answer is a finding, reported with the others, not a crash of the run.
    const session = entry
      .run(own, place, label)
      .then((s) => Object.assign(s, { ids }))
      .catch(
        (err: unknown): Session => ({
          kind: entry.kind,
          label,
          place,
          sent: ids.length,
          ids,
          problems: () => [`no answer: ${err instanceof Error ? err.message : String(err)}`],
        }),
      );
    sessions.push(session);
    running.add(session);
    void session.then(() => running.delete(session));
  }
  await Promise.all(kills);
  const done = await Promise.all(sessions);
  const byKind: Record<string, number> = {};
  for (const s of done) byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
  return {
    sessions: done,
    sent: done.reduce((n, s) => n + s.sent, 0),
    byKind,
    runningAtWorkerKill,
    queuedAtGatewayKill,
    gatewayDownMs,
    elapsedMs: performance.now() - started,
  };
}
