/**
 * `npm run bench:scale`: Verbatim split into a gateway and workers (VERBATIM_ROLE=gateway|worker, on
 * PostgreSQL and Redis), against the fake Discord, each process its own Node process.
 *
 *   1. Throughput: `--requests` /summarize at once (links to distinct local pages, so nothing is
 *      cached), for 1, 2 and 4 workers, with the model engine against a fake OpenAI server that takes
 *      `--model-ms` per call (I/O-bound), then with the offline engine (CPU-bound). Requests per
 *      minute = requests / (first dispatch → last summary shown).
 *   2. Acknowledgement: while `--ack-workers` workers are kept saturated (offline engine, a queue kept
 *      topped up), `--probes` /summarize to the gateway and as many interactions to a bare discord.js
 *      client that only defers (its own fake Discord, same machine, same moment), alternating; time
 *      from dispatch to acknowledgement as each fake measures it, p50/p99, and their ratio.
 *
 * Needs PostgreSQL (VERBATIM_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test; a fresh
 * database per configuration, dropped after) and Redis (VERBATIM_TEST_REDIS_URL, default
 * redis://127.0.0.1:6379; a fresh key prefix per configuration, deleted after).
 *
 * Usage: node dist/scripts/bench-scale.js [--requests 40] [--workers 1,2,4] [--concurrency 1]
 *        [--model-ms 1000] [--probes 40] [--ack-workers 2] [--engines openai,extractive]
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { commands } from '../commands/index.js';
import { deployCommands } from '../src/discord/deploy.js';
import { type BotProcess, startBotProcess, stopBotProcess } from '../testkit/discord/bot-process.js';
import {
  type ArticleServer,
  modelEnv,
  startArticleServer,
  WIDE_BUCKETS,
} from '../testkit/discord/harness.js';
import { page } from '../testkit/discord/pages.js';
import { deployToFake, splitRolesEnv } from '../testkit/discord/split-roles.js';
import { startBareClientProcess } from '../testkit/fakes/discord/bare-client-process.js';
import {
  type FakeDiscord,
  type InteractionHandle,
  startFakeDiscord,
} from '../testkit/fakes/discord/index.js';
import { realisticReply } from '../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../testkit/fakes/openai/server.js';
import { freshDatabase } from '../testkit/services.js';

const REDIS_URL = process.env.VERBATIM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '40' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '1' },
    'model-ms': { type: 'string', default: '1000' },
    probes: { type: 'string', default: '40' },
    'ack-workers': { type: 'string', default: '2' },
    engines: { type: 'string', default: 'openai,extractive' },
  },
});
const positive = (name: string, text: string | undefined): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0 (got ${text})`);
  return n;
};
const REQUESTS = positive('requests', values.requests);
const WORKER_COUNTS = (values.workers ?? '').split(',').map((w) => positive('workers', w));
const CONCURRENCY = Math.max(1, positive('concurrency', values.concurrency));
const MODEL_MS = positive('model-ms', values['model-ms']);
const PROBES = positive('probes', values.probes);
const ACK_WORKERS = positive('ack-workers', values['ack-workers']);
const ENGINES = (values.engines ?? '').split(',').filter((e) => e !== '') as ('openai' | 'extractive')[];
for (const e of ENGINES) {
  if (e !== 'openai' && e !== 'extractive') throw new Error(`--engines: openai or extractive (got ${e})`);
}

/** Everything to undo at the end of one configuration, newest first. */
type Cleanup = () => Promise<unknown>;

async function freshRedisPrefix(cleanups: Cleanup[]): Promise<string> {
  const prefix = `vbench-${process.pid}-${randomBytes(4).toString('hex')}`;
  cleanups.push(async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}

/** The fixture article with a line of its own, so that each link is its own article. */
const numbered = (i: number) => ({
  body: page.replace('</article>', `<p>Reader note number ${i}.</p></article>`),
});

interface Setup {
  readonly fake: FakeDiscord;
  readonly articles: ArticleServer;
  readonly gateway: BotProcess;
  readonly workers: readonly BotProcess[];
  readonly channelId: string;
}

/** A fresh database, Redis prefix, fake Discord and article server; one gateway, then `workers` workers. */
async function setUp(
  cleanups: Cleanup[],
  workers: number,
  engineEnv: Record<string, string>,
  pages: number,
): Promise<Setup> {
  const databaseUrl = await freshDatabase({ after: (cleanup) => cleanups.push(cleanup) }, 'verbatim_bench');
  const prefix = await freshRedisPrefix(cleanups);
  const articles = await startArticleServer(
    Object.fromEntries(Array.from({ length: pages }, (_, i) => [`/article/${i}`, numbered(i)])),
  );
  cleanups.push(() => articles.close());
  const fake = await startFakeDiscord({ rateLimits: WIDE_BUCKETS });
  cleanups.push(() => fake.close());
  await deployToFake(fake);
  const env = {
    ...splitRolesEnv(fake, {
      databaseUrl: databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix: prefix,
      articlesPort: articles.port,
    }),
    ENGINE_MAX_ACTIVE: String(CONCURRENCY),
    ENGINE_MAX_WAITING: '10000',
    ...engineEnv,
  };
  const processes: BotProcess[] = [];
  cleanups.push(async () => {
    for (const p of processes) await stopBotProcess(p);
  });
  // The gateway first: it migrates the fresh database before the workers open it.
  const gateway = await startBotProcess({ ...env, VERBATIM_ROLE: 'gateway' });
  processes.push(gateway);
  const started = await Promise.all(
    Array.from({ length: workers }, () => startBotProcess({ ...env, VERBATIM_ROLE: 'worker' })),
  );
  processes.push(...started);
  return { fake, articles, gateway, workers: started, channelId: fake.channelByName('general').id };
}

async function tearDown(cleanups: Cleanup[]): Promise<void> {
  for (const undo of cleanups.reverse()) await undo();
}

/** Resolves when the request's summary is shown; rejects after `timeoutMs`. */
const shown = (handle: InteractionHandle, timeoutMs: number) =>
  handle.waitFor((h) => (h.original?.embeds.length ?? 0) > 0, timeoutMs);

interface Throughput {
  readonly perMinute: number;
  readonly seconds: number;
  readonly modelCalls: number;
}

async function throughput(
  engine: 'openai' | 'extractive',
  workers: number,
  openai: FakeOpenAI | null,
): Promise<Throughput> {
  const cleanups: Cleanup[] = [];
  try {
    const engineEnv = engine === 'openai' && openai ? modelEnv(openai) : { VERBATIM_ENGINE: 'extractive' };
    const { fake, articles, channelId } = await setUp(cleanups, workers, engineEnv, REQUESTS);
    const callsBefore = openai?.requests.length ?? 0;
    const start = performance.now();
    const handles = Array.from({ length: REQUESTS }, (_, i) =>
      fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${i}`) },
        channelId,
      }),
    );
    const budgetMs = 120_000 + (REQUESTS * (MODEL_MS + 2000)) / Math.max(1, workers * CONCURRENCY);
    await Promise.all(handles.map((h) => shown(h, budgetMs)));
    const seconds = (performance.now() - start) / 1000;
    if (fake.problems().length > 0) throw new Error(`fake Discord problems: ${fake.problems().join('; ')}`);
    return {
      perMinute: (REQUESTS / seconds) * 60,
      seconds,
      modelCalls: (openai?.requests.length ?? 0) - callsBefore,
    };
  } finally {
    await tearDown(cleanups);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface AckResult {
  readonly gateway: { readonly p50: number; readonly p99: number };
  readonly bare: { readonly p50: number; readonly p99: number };
  readonly probesWhileBusy: number;
  readonly loadRequests: number;
}

async function acknowledgement(): Promise<AckResult> {
  const cleanups: Cleanup[] = [];
  // The load: each worker's capacity four times over, topped up as summaries come back.
  const inFlight = Math.max(4, 4 * ACK_WORKERS * CONCURRENCY);
  const pages = inFlight + PROBES * 8 + 200;
  try {
    const { fake, articles, channelId } = await setUp(
      cleanups,
      ACK_WORKERS,
      { VERBATIM_ENGINE: 'extractive' },
      pages,
    );
    const bareFake = await startFakeDiscord({});
    cleanups.push(() => bareFake.close());
    await deployCommands(commands, {
      token: bareFake.token,
      applicationId: bareFake.applicationId,
      guildId: null,
      apiUrl: bareFake.apiUrl,
    });
    const bare = await startBareClientProcess({ apiUrl: bareFake.apiUrl, token: bareFake.token });
    cleanups.push(() => bare.stop());
    const bareChannel = bareFake.channelByName('general').id;

    let next = 0;
    let pending = 0;
    let loading = true;
    const load: Promise<void>[] = [];
    const send = (): void => {
      if (!loading || next >= pages) return;
      const handle = fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${next++}`) },
        channelId,
      });
      pending++;
      load.push(
        shown(handle, 600_000).then(
          () => {
            pending--;
            send();
          },
          () => {
            pending--;
          },
        ),
      );
    };
    for (let i = 0; i < inFlight; i++) send();
    // Let the workers pick their jobs up before the first probe.
    await sleep(2000);

    const gatewayAcks: number[] = [];
    const bareAcks: number[] = [];
    let probesWhileBusy = 0;
    for (let i = 0; i < PROBES; i++) {
      if (pending >= ACK_WORKERS * CONCURRENCY) probesWhileBusy++;
      const probe = fake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${next++}`) },
        channelId,
      });
      pending++;
      load.push(
        shown(probe, 600_000).then(
          () => void pending--,
          () => void pending--,
        ),
      );
      await probe.waitFor('ack', 10_000);
      gatewayAcks.push(probe.ackLatencyMs ?? Number.NaN);
      const baseline = bareFake.sendSlashCommand({
        name: 'summarize',
        options: { url: articles.url(`/article/${i}`) },
        channelId: bareChannel,
      });
      await baseline.waitFor('ack', 10_000);
      bareAcks.push(baseline.ackLatencyMs ?? Number.NaN);
      await sleep(100);
    }
    loading = false;
    const loadRequests = next;
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    };
    if (bare.errors().length > 0) throw new Error(`bare client errors: ${bare.errors().join('; ')}`);
    return { gateway: stats(gatewayAcks), bare: stats(bareAcks), probesWhileBusy, loadRequests };
  } finally {
    await tearDown(cleanups);
  }
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  console.log(
    `bench:scale — 1 gateway + N workers (VERBATIM_ROLE=gateway|worker) on PostgreSQL and Redis, fake Discord; this machine has ${cores} cores`,
  );
  console.log(
    `${REQUESTS} /summarize at once per configuration (distinct local links, nothing cached); each worker runs ${CONCURRENCY} job(s) at a time (ENGINE_MAX_ACTIVE) with 1 worker thread`,
  );
  const openai = ENGINES.includes('openai')
    ? await startFakeOpenAI({
        handler: async (request) => {
          await sleep(MODEL_MS);
          return realisticReply(request);
        },
      })
    : null;
  try {
    for (const engine of ENGINES) {
      console.log(
        engine === 'openai'
          ? `\nmodel engine (fake OpenAI, ${MODEL_MS} ms per call; I/O-bound: should scale almost linearly)`
          : `\noffline engine (CPU-bound: bounded by this machine's ${cores} cores, shared with the gateway, PostgreSQL, Redis and the fakes)`,
      );
      let one: number | null = null;
      for (const workers of WORKER_COUNTS) {
        const r = await throughput(engine, workers, openai);
        one ??= r.perMinute / workers;
        const calls = engine === 'openai' ? `, ${r.modelCalls} model calls` : '';
        console.log(
          `  ${workers} worker${workers === 1 ? ' ' : 's'}: ${r.perMinute.toFixed(0).padStart(5)} requests/min  (${REQUESTS} in ${r.seconds.toFixed(1)} s${calls}; ×${(r.perMinute / (one ?? r.perMinute)).toFixed(2)} of 1 worker's rate)`,
        );
      }
    }
  } finally {
    await openai?.close();
  }
  if (PROBES > 0 && ACK_WORKERS > 0) {
    console.log(
      `\nacknowledgement while ${ACK_WORKERS} workers are saturated (offline engine, queue kept full): ${PROBES} probes each`,
    );
    const a = await acknowledgement();
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(`  gateway:             p50 ${ms(a.gateway.p50)} · p99 ${ms(a.gateway.p99)}`);
    console.log(
      `  bare discord.js:     p50 ${ms(a.bare.p50)} · p99 ${ms(a.bare.p99)}   (defers only, same run)`,
    );
    console.log(
      `  ratio gateway/bare:  p50 ${(a.gateway.p50 / a.bare.p50).toFixed(2)} · p99 ${(a.gateway.p99 / a.bare.p99).toFixed(2)}   (goal ≤ 1.3)`,
    );
    console.log(
      `  ${a.probesWhileBusy} of ${PROBES} probes sent while the queue held at least one job per worker slot; ${a.loadRequests} /summarize sent in all`,
    );
  }
}

await main();
// The load's last summaries are still awaited (their processes are gone): nothing more to wait for.
process.exit(0);
