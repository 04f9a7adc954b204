/**
 * Many summaries requested at the same moment, against the fake Discord,
 * with the real bot (real discord.js client, worker pool, SQLite store, offline engine) fetching
 * distinct article pages from a local server. Reports, from the fake's clock, the time from each
 * INTERACTION_CREATE dispatch to its acknowledgement (Discord allows 3 s), and to the finished
 * summary. Requests are spread over several channels, as in a busy server (Discord allows 10 new
 * threads per 10 s per channel, and the bot waits for its buckets).
 *
 * Run by `npm run bench:discord` (scripts/bench-discord.ts) and test/discord/load.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../commands/index.js';
import { parseConfig } from '../../src/config.js';
import { startBot } from '../../src/discord/bot.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { createLogger } from '../../src/log.js';
import { page } from '../discord/pages.js';
import { type InteractionHandle, startFakeDiscord } from '../fakes/discord/index.js';

export interface DiscordBenchOptions {
  readonly requests: number;
  readonly channels: number;
  readonly workers: number;
  /**
   * Bursts measured one after the other on the same bot: the first right after start-up (modules
   * still loading, workers starting), later ones as a bot that has been running.
   */
  readonly bursts?: number;
}

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface DiscordBenchResult {
  readonly bursts: readonly BurstResult[];
}

export interface BurstResult {
  readonly requests: number;
  /** Milliseconds from INTERACTION_CREATE dispatch to the acknowledgement (deferReply). */
  readonly ackMs: Percentiles;
  /** Milliseconds from dispatch to the reply showing the summary. */
  readonly summaryMs: Percentiles;
  /** Interactions Discord would have refused as acknowledged too late (10062), or never acknowledged. */
  readonly lateAcks: number;
  readonly summaries: number;
  /** Requests that ended with a message other than a summary (e.g. "busy"). */
  readonly otherReplies: number;
  readonly clientErrors: number;
  readonly fakeProblems: readonly string[];
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** Runs the benchmark once: fresh fake, server, database and bot; everything closed afterwards. */
export async function runDiscordBench(options: DiscordBenchOptions): Promise<DiscordBenchResult> {
  const server = createServer((req, res) => {
    const n = /^\/article\/([\d-]+)$/u.exec(req.url ?? '')?.[1];
    if (!n) return void res.writeHead(404).end();
    // Each page is a different text, so each request is a real fetch, parse and summary.
    const body = page.replace(
      '</article>',
      `<p>Reader note number ${n}: this copy was printed for reader ${n}.</p></article>`,
    );
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake = await startFakeDiscord({
    guilds: [{ channels: Array.from({ length: options.channels }, (_, i) => ({ name: `general-${i}` })) }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-bench-discord-'));
  const config = parseConfig({
    LOG_LEVEL: 'warn',
    VERBATIM_ENGINE: 'extractive',
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'verbatim.db'),
    FETCH_ALLOW: '127.0.0.1/32',
    FETCH_ALLOWED_PORTS: String(port),
    WORKER_THREADS: String(options.workers),
    DISCORD_USER_SUMMARIES_PER_MINUTE: '0',
    ENGINE_MAX_WAITING: String(options.requests),
  });
  const log = createLogger(config.LOG_LEVEL);
  await deployCommands(commands, {
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
  });
  const bot = await startBot(config, log, commands);
  let clientErrors = 0;
  bot.client.on('error', () => clientErrors++);
  try {
    const channels = Array.from(
      { length: options.channels },
      (_, i) => fake.channelByName(`general-${i}`).id,
    );
    const bursts: BurstResult[] = [];
    for (let burst = 0; burst < (options.bursts ?? 1); burst++) {
      const handles: InteractionHandle[] = [];
      for (let i = 0; i < options.requests; i++) {
        handles.push(
          fake.sendSlashCommand({
            name: 'summarize',
            options: { url: `http://127.0.0.1:${port}/article/${burst}-${i}` },
            channelId: channels[i % channels.length] as string,
          }),
        );
      }
      const done = (h: InteractionHandle) =>
        (h.original?.embeds.length ?? 0) > 0 ||
        h.followups.some((f) => f.content !== '') ||
        h.rejections.length > 0;
      await Promise.all(handles.map((h) => h.waitFor(done, 120_000)));
      const summaryAt = (h: InteractionHandle) => {
        const edit = h.edits.find((e) => ((e.body as { embeds?: unknown[] }).embeds?.length ?? 0) > 0);
        return edit ? edit.at - h.dispatchedAt : null;
      };
      const summaryTimes = handles.map(summaryAt).filter((t): t is number => t !== null);
      bursts.push({
        requests: options.requests,
        ackMs: percentiles(handles.map((h) => h.ackLatencyMs ?? Number.POSITIVE_INFINITY)),
        summaryMs: percentiles(summaryTimes),
        lateAcks: handles.filter((h) => h.ackedAt === null || (h.ackLatencyMs ?? 0) > 3000).length,
        summaries: summaryTimes.length,
        otherReplies: handles.length - summaryTimes.length,
        clientErrors,
        fakeProblems: fake.problems(),
      });
      // Let the threads and invitations of this burst go out before the next one.
      await new Promise((r) => setTimeout(r, 1000));
    }
    return { bursts };
  } finally {
    await bot.stop({ graceMs: 30_000 });
    await fake.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
}
