/**
 * Preview: what users see on Discord. Runs scenarios end to end with the real bot against the fake
 * Discord (and the fake OpenAI server where a model is needed), then writes, per scenario, the
 * messages a user would see as `NN-name.json` (discord-preview's input: payloads with `author` and
 * `thread`), `NN-name.html` (drawn by shared/tools/discord-preview.mjs) and `NN-name.png` (headless
 * Chromium), for a person to look at.
 *
 * Discord timestamps (`<t:…:R>`) are drawn as Discord draws them where it renders them (content,
 * embed descriptions and field values: "12 seconds ago") and left raw where it does not (titles,
 * authors, footers), so a timestamp in the wrong place shows up raw, as it would for users.
 * The user's own actions (a command, a button press) are drawn as short messages by that user; the
 * bits of Discord's markdown the preview tool leaves raw are drawn as Discord draws them.
 *
 * Usage: npm run build && node dist/scripts/preview-discord.js [outdir]   (default /tmp/verbatim-preview)
 * Env: DISCORD_PREVIEW_TOOL (path of discord-preview.mjs), CHROMIUM (browser; "" skips the PNGs).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIEmbed } from 'discord.js';
import { askButton } from '../src/discord/handlers/ask-button.js';
import { askModal, QUESTION_FIELD } from '../src/discord/handlers/ask-modal.js';
import { forgetButtons } from '../src/discord/handlers/forget-buttons.js';
import { refreshButton } from '../src/discord/handlers/refresh-button.js';
import { retryButton } from '../src/discord/handlers/retry-button.js';
import {
  eventually,
  type Harness,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../testkit/discord/harness.js';
import { longPage, PASTE_TITLE, page, pasteBoxes, updatedPage } from '../testkit/discord/pages.js';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  type FakeDiscord,
  type InteractionHandle,
  Permission,
  type StoredMessage,
} from '../testkit/fakes/discord/index.js';
import { realisticReply } from '../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../testkit/fakes/openai/server.js';

const run = promisify(execFile);

/** One message as discord-preview draws it. */
interface Shown {
  readonly author: { readonly username: string; readonly bot: boolean };
  readonly thread?: string;
  readonly content?: string;
  readonly embeds?: unknown[];
  readonly components?: unknown[];
  readonly flags?: number;
}

/** What a scenario produced: the messages in the order a user would meet them. */
interface Scene {
  readonly name: string;
  readonly shown: Shown[];
}

/** The fixture's paragraphs without its byline, as a user would paste the article. */
const pasted = page
  .split('\n')
  .filter((l) => l.startsWith('<p>') && !l.includes('class="byline"'))
  .map((l) => l.replace(/<[^>]+>/gu, ''))
  .join('\n\n');

/** Records what users see, in order, as the scenario goes. */
class Recorder {
  readonly shown: Shown[] = [];
  constructor(private readonly fake: FakeDiscord) {}

  /** A user's own action, drawn as a message of theirs. */
  act(user: string, text: string, thread?: string): void {
    this.shown.push({ author: { username: user, bot: false }, content: text, ...(thread ? { thread } : {}) });
  }

  /** A message as it is now (messages change as the bot edits them). */
  message(m: StoredMessage | null | undefined): void {
    if (!m || m.deleted) return;
    const channel = this.fake.channel(m.channelId);
    const inThread = channel.type === 11 || channel.type === 12 || channel.type === 10;
    this.shown.push({
      author: { username: m.api.author.username, bot: m.api.author.bot ?? false },
      ...(inThread ? { thread: channel.name ?? 'thread' } : {}),
      ...(m.content ? { content: this.#names(m.content) } : {}),
      ...(m.embeds.length > 0 ? { embeds: structuredClone(m.embeds) } : {}),
      ...(m.components.length > 0 ? { components: structuredClone(m.components) } : {}),
      ...(m.flags ? { flags: m.flags } : {}),
    });
  }

  /** Mentions of known users drawn as Discord draws them, by name (the preview tool shows ids). */
  #names(text: string): string {
    const users = [this.fake.botUser, this.fake.userByName('alice'), this.fake.userByName('bob')];
    return text.replace(/<@!?(\d+)>/gu, (raw, id: string) => {
      const user = users.find((u) => u.id === id);
      return user ? `**@${user.username}**` : raw;
    });
  }

  /** Every message in a channel or thread, oldest first. */
  channel(channelId: string): void {
    for (const m of this.fake.messages(channelId)) this.message(m);
  }

  /** The messages of the thread started from a message, once its invite is there. */
  async threadOf(messageId: string): Promise<void> {
    const thread = await eventually(
      () => this.fake.threads().find((t) => t.id === messageId),
      5000,
      'thread',
    );
    await this.fake.waitForMessage(thread.id, () => true, 5000);
    this.channel(thread.id);
  }
}

/** Waits until an interaction's reply is final: embeds, or any text that is not a progress line. */
async function settled(
  handle: InteractionHandle,
  test: (m: StoredMessage) => boolean,
): Promise<StoredMessage> {
  await handle.waitFor((x) => x.original !== null && test(x.original), 15_000);
  return handle.original as StoredMessage;
}
const hasEmbeds = (m: StoredMessage): boolean => m.embeds.length > 0;
const hasText = (m: StoredMessage): boolean => m.content !== '' && !m.content.endsWith('…');

function customIdOf(m: StoredMessage, prefix: string): string {
  for (const row of m.components as { components?: { custom_id?: string }[] }[]) {
    for (const c of row.components ?? []) if (c.custom_id?.startsWith(prefix)) return c.custom_id;
  }
  throw new Error(`no button ${prefix} on message ${m.id}`);
}

async function withHarness<T>(
  options: Parameters<typeof startHarness>[1],
  body: (h: Harness) => Promise<T>,
): Promise<T> {
  const h = await startHarness(null, { ...options, fake: { rateLimits: WIDE_BUCKETS, ...options?.fake } });
  try {
    return await body(h);
  } finally {
    await h.close();
  }
}

/** (1) and (2): a link summarized, the same link from the cache, then Refresh after the page changed. */
async function linkScenes(): Promise<Scene[]> {
  const articles = await startArticleServer({ '/news/barrier': { body: page } });
  try {
    return await withHarness({ articles, env: { REFRESH_MIN_INTERVAL_SECONDS: '0' } }, async (h) => {
      const url = articles.url('/news/barrier');
      const first = new Recorder(h.fake);
      first.act('alice', `/summarize url: ${url}`);
      const summary = await settled(
        h.fake.sendSlashCommand({ name: 'summarize', options: { url } }),
        hasEmbeds,
      );
      first.message(summary);
      await first.threadOf(summary.id);

      const cached = new Recorder(h.fake);
      const bob = h.fake.userByName('bob').id;
      cached.act('bob', `/summarize url: ${url}`);
      const again = await settled(
        h.fake.sendSlashCommand({ name: 'summarize', options: { url }, user: bob }),
        hasEmbeds,
      );
      cached.message(again);
      await cached.threadOf(again.id);

      await sleep(1100);
      cached.act('bob', '*presses **Refresh** under his summary; the page has not changed*');
      cached.message(
        await settled(
          h.fake.sendButton({
            customId: customIdOf(again, refreshButton.prefix),
            messageId: again.id,
            user: bob,
          }),
          hasText,
        ),
      );
      articles.set('/news/barrier', { body: updatedPage });
      cached.act('alice', '*presses **Refresh** under the first summary, after the page changed*');
      const press = h.fake.sendButton({
        customId: customIdOf(summary, refreshButton.prefix),
        messageId: summary.id,
      });
      cached.message(await settled(press, hasText));
      cached.message(h.fake.message(summary.id));
      const thread = h.fake.threads().find((t) => t.id === summary.id);
      await h.fake.waitForMessage(thread?.id ?? '', (m) => m.content.includes('refreshed'), 5000);
      cached.channel(thread?.id ?? '');
      return [
        { name: 'summarize-link', shown: first.shown },
        { name: 'cached-then-refresh', shown: cached.shown },
      ];
    });
  } finally {
    await articles.close();
  }
}

/** (3) The model's budget spent: the offline summary with the notice; /usage and /budget. */
async function budgetScene(): Promise<Scene> {
  const openai: FakeOpenAI = await startFakeOpenAI({
    handler: (request) => {
      const r = realisticReply(request);
      return r.kind === 'json' ? { ...r, usage: { prompt_tokens: 1500, completion_tokens: 500 } } : r;
    },
  });
  try {
    return await withHarness(
      {
        env: {
          VERBATIM_ENGINE: 'openai',
          OPENAI_BASE_URL: openai.baseURL,
          OPENAI_API_KEY: 'test-key',
          OPENAI_MODEL: 'gpt-4o-mini',
          OPENAI_MAX_RETRIES: '0',
          BUDGET_GUILD_DAILY_TOKENS: '4500',
        },
      },
      async (h) => {
        const r = new Recorder(h.fake);
        const alice = h.fake.userByName('alice').id;
        h.fake.setMemberPermissions(alice, DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild);
        await settled(
          h.fake.sendSlashCommand({ name: 'summarize', options: { text: `${pasted}\n\nFirst copy.` } }),
          hasEmbeds,
        );
        r.act('bob', '/summarize text: (the article, pasted; the server’s budget is nearly spent)');
        const summary = await settled(
          h.fake.sendSlashCommand({
            name: 'summarize',
            options: { text: pasted },
            user: h.fake.userByName('bob').id,
          }),
          hasEmbeds,
        );
        r.message(summary);
        r.act('bob', '/usage');
        r.message(
          await settled(
            h.fake.sendSlashCommand({ name: 'usage', user: h.fake.userByName('bob').id }),
            hasText,
          ),
        );
        r.act('alice', '/budget');
        r.message(await settled(h.fake.sendSlashCommand({ name: 'budget', user: alice }), hasText));
        r.act('alice', '/budget server_tokens: 2000000');
        r.message(
          await settled(
            h.fake.sendSlashCommand({ name: 'budget', options: { server_tokens: 2_000_000 }, user: alice }),
            hasText,
          ),
        );
        return { name: 'budget-spent', shown: r.shown };
      },
    );
  } finally {
    await openai.close();
  }
}

/** (4) No Create Public Threads; no Embed Links (a mention with a link: plain text). */
async function permissionScenes(): Promise<Scene[]> {
  const articles = await startArticleServer({
    '/news/barrier': { body: page },
    '/news/plans': { body: longPage },
  });
  const without = (bit: bigint): bigint => DEFAULT_BOT_PERMISSIONS & ~bit;
  try {
    return await withHarness(
      {
        articles,
        fake: {
          guilds: [
            {
              channels: [
                { name: 'general' },
                { name: 'no-threads', botPermissions: without(Permission.CreatePublicThreads) },
                { name: 'no-embeds', botPermissions: without(Permission.EmbedLinks) },
              ],
            },
          ],
        },
      },
      async (h) => {
        const url = articles.url('/news/barrier');
        const noThreads = new Recorder(h.fake);
        const where = h.fake.channelByName('no-threads').id;
        noThreads.act('alice', `/summarize url: ${url}`);
        const summary = await settled(
          h.fake.sendSlashCommand({ name: 'summarize', options: { url }, channelId: where }),
          hasEmbeds,
        );
        noThreads.message(summary);
        noThreads.act('bob', '*presses **Ask a question** and asks: “How much did the barrier cost?”*');
        const bob = h.fake.userByName('bob').id;
        const click = h.fake.sendButton({ customId: askButton.prefix, messageId: summary.id, user: bob });
        await click.waitFor('modal');
        const submit = h.fake.sendModalSubmit({
          customId: askModal.customId({ conversationId: summary.id }),
          fields: { [QUESTION_FIELD]: 'How much did the barrier cost?' },
          fromInteraction: click,
        });
        noThreads.message(await settled(submit, hasEmbeds));

        const plain = new Recorder(h.fake);
        const channel = h.fake.channelByName('no-embeds').id;
        h.fake.postUserMessage({
          channelId: channel,
          content: `<@${h.fake.botUser.id}> summarize ${articles.url('/news/plans')} please`,
          mentionsBot: true,
        });
        const first = await h.fake.waitForMessage(
          channel,
          (m) => m.authorId === h.fake.botUser.id && m.content.includes('Embed Links'),
          15_000,
        );
        plain.channel(channel);
        const opener = h.fake.messages(channel).find((m) => m.authorId === h.fake.botUser.id);
        if (opener && first) await plain.threadOf(opener.id);
        return [
          { name: 'no-thread-permission', shown: noThreads.shown },
          { name: 'no-embed-links', shown: plain.shown },
        ];
      },
    );
  } finally {
    await articles.close();
  }
}

/** (5) /forget: the preview, then its result. */
async function forgetScene(): Promise<Scene> {
  return withHarness({}, async (h) => {
    const r = new Recorder(h.fake);
    const summary = await settled(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }),
      hasEmbeds,
    );
    await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    await settled(
      h.fake.sendSlashCommand({
        name: 'ask',
        options: { question: 'How much did the barrier cost?' },
        channelId: summary.id,
      }),
      hasEmbeds,
    );
    r.act('alice', '/forget');
    const preview = h.fake.sendSlashCommand({ name: 'forget' });
    await preview.waitFor((x) => (x.original?.components.length ?? 0) > 0, 10_000);
    r.message(preview.original);
    r.act('alice', '*presses **Delete it all***');
    const confirm = h.fake.sendButton({
      customId: customIdOf(preview.original as StoredMessage, `${forgetButtons.prefix}:confirm`),
      messageId: preview.original?.id ?? '',
    });
    await confirm.waitFor((x) => x.original?.content.startsWith('Deleted ') ?? false, 15_000);
    r.message(confirm.original);
    return { name: 'forget', shown: r.shown };
  });
}

/** (6) A summary interrupted by a restart: the "Try again" notice, then the press. */
async function restartScene(): Promise<Scene> {
  const articles = await startArticleServer({ '/slow': { body: page, delayMs: 3000 } });
  try {
    return await withHarness({ articles }, async (h) => {
      const r = new Recorder(h.fake);
      const url = articles.url('/slow');
      r.act('alice', `/summarize url: ${url}`);
      const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url } });
      await handle.waitFor('ack');
      await eventually(async () => (await h.bot.system.store.unfinishedJobs()).length > 0, 5000, 'the job');
      await h.restart({ graceMs: 100 });
      const notice = await settled(handle, (m) => m.components.length > 0);
      r.message(notice);
      articles.set('/slow', { body: page });
      r.act('alice', '*presses **Try again***');
      h.fake.sendButton({ customId: customIdOf(notice, retryButton.prefix), messageId: notice.id });
      await eventually(() => (h.fake.message(notice.id)?.embeds.length ?? 0) > 0, 15_000, 'the summary');
      r.message(h.fake.message(notice.id));
      return { name: 'restart-try-again', shown: r.shown };
    });
  } finally {
    await articles.close();
  }
}

/** (7) The paste form's summary of a long paste (about 15,000 characters over four boxes). */
async function pasteScene(): Promise<Scene> {
  return withHarness({}, async (h) => {
    const r = new Recorder(h.fake);
    const parts = pasteBoxes();
    r.act('alice', '/summarize  *(no options: the “Paste an article” form opens; four boxes filled)*');
    const command = h.fake.sendSlashCommand({ name: 'summarize', options: { length: 'detailed' } });
    await command.waitFor('modal');
    const modal = command.modal as { custom_id: string };
    const submit = h.fake.sendModalSubmit({
      customId: modal.custom_id,
      fields: {
        title: PASTE_TITLE,
        ...Object.fromEntries(parts.map((p, i) => [`part-${i + 1}`, p])),
      },
    });
    const summary = await settled(submit, hasEmbeds);
    r.message(summary);
    for (const f of submit.followups) r.message(f);
    await r.threadOf(summary.id);
    return { name: 'paste-long', shown: r.shown };
  });
}

/** (8) `/settings`: an admin sees the defaults, sets some, and a member's `/summarize` follows them. */
async function settingsScene(): Promise<Scene> {
  const articles = await startArticleServer({ '/news/barrier': { body: page } });
  try {
    return await withHarness({ articles }, async (h) => {
      const r = new Recorder(h.fake);
      const alice = h.fake.userByName('alice').id;
      h.fake.setMemberPermissions(alice, DEFAULT_MEMBER_PERMISSIONS | Permission.ManageGuild);
      r.act('alice', '/settings');
      r.message(await settled(h.fake.sendSlashCommand({ name: 'settings', user: alice }), hasText));
      r.act('alice', '/settings reaction_emoji: hello');
      r.message(
        await settled(
          h.fake.sendSlashCommand({ name: 'settings', options: { reaction_emoji: 'hello' }, user: alice }),
          hasText,
        ),
      );
      r.act('alice', '/settings length: Short language: Français private: True reaction_emoji: 🗞️');
      r.message(
        await settled(
          h.fake.sendSlashCommand({
            name: 'settings',
            options: { length: 'short', language: 'fr', private: true, reaction_emoji: '🗞️' },
            user: alice,
          }),
          hasText,
        ),
      );
      const url = articles.url('/news/barrier');
      r.act('bob', `/summarize url: ${url}  *(no options: the server’s defaults apply)*`);
      r.message(
        await settled(
          h.fake.sendSlashCommand({ name: 'summarize', options: { url }, user: h.fake.userByName('bob').id }),
          hasEmbeds,
        ),
      );
      return { name: 'settings', shown: r.shown };
    });
  } finally {
    await articles.close();
  }
}

/** (9) A person reacts 📰 to a message with a link: the summary as a reply to it, with its thread. */
async function reactionScene(): Promise<Scene> {
  const articles = await startArticleServer({ '/news/barrier': { body: page } });
  try {
    return await withHarness(
      { articles, env: { DISCORD_MESSAGE_CONTENT: 'true' }, fake: { messageContentEnabled: true } },
      async (h) => {
        const r = new Recorder(h.fake);
        const post = h.fake.postUserMessage({
          content: `The tidal barrier opened today: ${articles.url('/news/barrier')}`,
        });
        r.message(post);
        r.act('bob', '*reacts 📰 to alice’s message*');
        h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' }, user: h.fake.userByName('bob') });
        const reply = await h.fake.waitForMessage(
          post.channelId,
          (m) => m.api.message_reference?.message_id === post.id && m.embeds.length > 0,
          15_000,
        );
        r.message(reply);
        r.act('alice', '*also reacts 📰: nothing more is posted, the summary is already here*');
        h.fake.addUserReaction({ messageId: post.id, emoji: { name: '📰' } });
        await eventually(
          () => h.logs.some((l) => l.msg.startsWith('message already summarized for an earlier reaction')),
          10_000,
          'the second reaction',
        );
        await r.threadOf(reply.id);
        return { name: 'reaction-summary', shown: r.shown };
      },
    );
  } finally {
    await articles.close();
  }
}

/** "12 seconds ago", "in 4 hours": how Discord draws `<t:…:R>` for a reader now. */
function relative(unixSeconds: number, now = Date.now()): string {
  const diff = unixSeconds - Math.floor(now / 1000);
  const abs = Math.abs(diff);
  const [n, unit] =
    abs < 60
      ? [abs, 'second']
      : abs < 3600
        ? [Math.round(abs / 60), 'minute']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'hour']
          : [Math.round(abs / 86_400), 'day'];
  const span = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return diff >= 0 ? `in ${span}` : `${span} ago`;
}

const drawTimes = (s: string): string =>
  s.replace(/<t:(-?\d+)(?::[tTdDfFR])?>/gu, (_, t: string) => `\`${relative(Number(t))}\``);

/** Timestamps drawn where Discord renders them (content, descriptions, field values) only. */
function asDiscordShows(m: Shown): Shown {
  return {
    ...m,
    ...(m.content ? { content: drawTimes(m.content) } : {}),
    ...(m.embeds
      ? {
          embeds: (m.embeds as APIEmbed[]).map((e) => ({
            ...e,
            ...(e.description ? { description: drawTimes(e.description) } : {}),
            ...(e.fields ? { fields: e.fields.map((f) => ({ ...f, value: drawTimes(f.value) })) } : {}),
          })),
        }
      : {}),
  };
}

/**
 * What discord-preview leaves raw, drawn as Discord draws it: "-# " subtext lines (small and grey;
 * a line starts after `>` or `<br>` and ends at the next `<br>`, `<div` or `</div>`), and masked
 * links whose address is in angle brackets (`[title](<url>)`, a link without a preview).
 */
function discordMarkdown(html: string): string {
  return html
    .replace(
      /(>|<br>)-# (.*?)(?=<br>|<\/?div)/gu,
      (_, before: string, line: string) =>
        `${before}<span style="font-size:13px;color:#949ba4">${line}</span>`,
    )
    .replace(/\[([^\]<]+)\]\((<a href="[^"]+">)[^<]*<\/a>\)/gu, '$2$1</a>');
}

/** The preview tool beside the repository's checkout (shared/tools), unless told otherwise. */
function previewTool(): string {
  const candidates = [
    process.env.DISCORD_PREVIEW_TOOL,
    '/work/shared/tools/discord-preview.mjs',
    resolve('../shared/tools/discord-preview.mjs'),
    resolve('../../shared/tools/discord-preview.mjs'),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('discord-preview.mjs not found: set DISCORD_PREVIEW_TOOL');
  return found;
}

/** Writes a scene's JSON, HTML and (with a browser) PNG; returns the PNG's path or the HTML's. */
async function draw(outDir: string, index: number, scene: Scene): Promise<string> {
  const base = join(outDir, `${String(index).padStart(2, '0')}-${scene.name}`);
  await writeFile(`${base}.json`, `${JSON.stringify(scene.shown.map(asDiscordShows), null, 2)}\n`);
  const { stdout: html } = await run(process.execPath, [previewTool(), `${base}.json`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const drawn = discordMarkdown(html);
  await writeFile(`${base}.html`, drawn);
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (chromium === '' || !existsSync(chromium)) return `${base}.html`;
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];
  // The page's height, so that nothing is cut off: measured by the browser, then one screenshot.
  await writeFile(
    `${base}.measure.html`,
    `${drawn}<script>document.title=document.body.scrollHeight</script>`,
  );
  const { stdout: dom } = await run(
    chromium,
    [...flags, '--window-size=900,600', '--dump-dom', `${base}.measure.html`],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  await rm(`${base}.measure.html`);
  const height = Math.min(16_000, Number(/<title>(\d+)<\/title>/u.exec(dom)?.[1] ?? 1400) + 40);
  await run(chromium, [...flags, `--screenshot=${base}.png`, `--window-size=900,${height}`, `${base}.html`]);
  return `${base}.png`;
}

export async function runPreview(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const scenes = [
    ...(await linkScenes()),
    await budgetScene(),
    ...(await permissionScenes()),
    await forgetScene(),
    await restartScene(),
    await pasteScene(),
    await settingsScene(),
    await reactionScene(),
  ];
  const paths: string[] = [];
  for (const [i, scene] of scenes.entries()) paths.push(await draw(outDir, i + 1, scene));
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const paths = await runPreview(resolve(process.argv[2] ?? '/tmp/verbatim-preview'));
  process.stdout.write(`${paths.join('\n')}\n`);
}
