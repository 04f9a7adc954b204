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
 * Usage: npm run build && node dist/scripts/preview-discord.js [outdir] [groups]
 *   outdir: default /tmp/verbatim-preview; groups: comma-separated (links, budget, permissions,
 *   forget, restart, paste, model, message-link), default all.
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
import { realisticReply, taskOf, userMessage } from '../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, type FakeReply, reply, startFakeOpenAI } from '../testkit/fakes/openai/server.js';

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

  /** Mentions of known users and channels drawn as Discord draws them, by name (the preview tool shows ids). */
  #names(text: string): string {
    const users = [this.fake.botUser, this.fake.userByName('alice'), this.fake.userByName('bob')];
    return text
      .replace(/<@!?(\d+)>/gu, (raw, id: string) => {
        const user = users.find((u) => u.id === id);
        return user ? `**@${user.username}**` : raw;
      })
      .replace(/<#(\d+)>/gu, (raw, id: string) => {
        const name = this.fake.world.channels.get(id)?.api.name;
        return name ? `**#${name}**` : raw;
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

/** Auto-summaries: a link posted in #news summarized by itself, then the same link again (a pointer). */
async function autoSummaryScenes(): Promise<Scene[]> {
  const articles = await startArticleServer({ '/news/barrier': { body: page } });
  try {
    return await withHarness(
      {
        articles,
        env: { DISCORD_MESSAGE_CONTENT: 'true' },
        fake: { messageContentEnabled: true, guilds: [{ channels: [{ name: 'news' }] }] },
      },
      async (h) => {
        const url = articles.url('/news/barrier');
        const news = h.fake.channelByName('news').id;
        const bob = h.fake.userByName('bob').id;
        h.fake.setMemberPermissions(bob, Permission.ManageChannels);
        const on = new Recorder(h.fake);
        on.act('bob', '/autosummarize state: on');
        on.message(
          await settled(
            h.fake.sendSlashCommand({
              name: 'autosummarize',
              options: { state: 'on' },
              user: bob,
              channelId: news,
            }),
            hasText,
          ),
        );
        const posted = h.fake.postUserMessage({
          channelId: news,
          content: `The barrier finally opened: ${url}\n(the council's notes: <https://example.org/minutes>)`,
        });
        on.message(posted);
        const summary = await h.fake.waitForMessage(
          news,
          (m) => m.api.message_reference?.message_id === posted.id,
          15_000,
        );
        on.message(summary);
        await on.threadOf(summary.id);

        const duplicate = new Recorder(h.fake);
        const again = h.fake.postUserMessage({
          channelId: news,
          content: `Has anyone seen this? ${url}`,
          user: bob,
        });
        duplicate.message(again);
        duplicate.message(
          await h.fake.waitForMessage(news, (m) => m.api.message_reference?.message_id === again.id, 15_000),
        );
        return [
          { name: 'auto-summary-in-a-channel', shown: on.shown },
          { name: 'duplicate-link', shown: duplicate.shown },
        ];
      },
    );
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

/**
 * A model that writes like one: claims in its own words, each with the article's sentences as
 * quotes (drawn with [n] footnotes); answers from the article; "not answerable" for a question the
 * article does not answer; and a failure on the question about sea levels, so the offline engine
 * answers that one.
 */
function writingModel(request: Parameters<typeof realisticReply>[0]): FakeReply {
  const task = taskOf(request.body);
  const claim = (text: string, ...quotes: string[]) => ({ text, quotes });
  if (task === 'summary') {
    return reply.json({
      summary: [
        claim(
          'Harbor Town has opened a 310-million-euro tidal barrier after six years of work, to shield about 4,200 homes from storm surges.',
          'Harbor Town opened its new tidal barrier on Wednesday, ending six years of construction on a project that engineers say will protect about 4,200 homes from storm surges.',
          'The barrier, a row of nine steel gates across the mouth of the Wend estuary, cost 310 million euros, roughly 40 million more than the town council approved in 2018.',
        ),
      ],
      key_points: [
        claim(
          'The project ran 40 million euros over the budget approved in 2018.',
          'cost 310 million euros, roughly 40 million more than the town council approved in 2018',
        ),
        claim(
          'A wartime mine and a bankrupt hinge supplier delayed it twice.',
          'The project was delayed twice: first when divers found an unexploded wartime mine in the riverbed in 2020, and again in 2022, when a supplier of the gate hinges went bankrupt.',
        ),
        claim(
          'Fishers blame the works for a one-third drop in eels and want a fish pass, which is not funded yet.',
          "The Wend Fishers' Association said the construction had driven eel populations down by a third",
          'A spokesperson said no money had been set aside for it yet.',
        ),
        claim(
          'Insurers will cut flood premiums behind the barrier by up to 15 percent.',
          'Two of the largest home insurers in the region said they would lower flood premiums for homes behind the barrier by up to 15 percent from next January.',
        ),
      ],
    });
  }
  if (task === 'answer') {
    const question = /^Question: (.*)$/mu.exec(userMessage(request.body))?.[1] ?? '';
    if (/sea level/iu.test(question)) return reply.serverError(503);
    if (/cost/iu.test(question)) {
      return reply.json({
        answerable: true,
        claims: [
          claim(
            'It cost 310 million euros, about 40 million more than the council approved in 2018.',
            'cost 310 million euros, roughly 40 million more than the town council approved in 2018',
          ),
        ],
      });
    }
    return reply.json({ answerable: false, claims: [] });
  }
  return realisticReply(request);
}

/** Asks a question in a summary's thread by replying to its invitation; returns the answer. */
async function askInThread(
  h: Harness,
  r: Recorder,
  threadId: string,
  question: string,
  user = h.fake.userByName('bob').id,
): Promise<StoredMessage> {
  const invite = (await h.fake.waitForMessage(threadId, () => true, 5000)) as StoredMessage;
  const asked = h.fake.postUserMessage({
    channelId: threadId,
    content: question,
    replyToMessageId: invite.id,
    user,
  });
  r.message(asked);
  const answer = await h.fake.waitForMessage(
    threadId,
    (m) => m.api.message_reference?.message_id === asked.id && m.embeds.length > 0,
    15_000,
  );
  r.message(answer);
  return answer;
}

/** Picks option `index` of a message's "Show context" menu; returns the private answer. */
async function pickContext(h: Harness, message: StoredMessage, index: number, user?: string) {
  for (const row of message.components as {
    components?: { type: number; custom_id: string; options?: { value: string; label: string }[] }[];
  }[]) {
    const menu = row.components?.find((c) => c.type === 3);
    const option = menu?.options?.[index];
    if (!menu || !option) continue;
    const handle = h.fake.sendSelect({
      customId: menu.custom_id,
      messageId: message.id,
      values: [option.value],
      ...(user ? { user } : {}),
    });
    return { label: option.label, answer: await settled(handle, hasEmbeds) };
  }
  throw new Error(`no Show context menu on message ${message.id}`);
}

/**
 * (8) A model-written summary (claims in its words, [n] footnotes to the quotes) and follow-up
 * questions in its thread: answered by the model, one the article does not answer, and one the
 * offline engine answered because the model failed. (9) Context for a quote, privately.
 */
async function modelScenes(): Promise<Scene[]> {
  const articles = await startArticleServer({ '/news/barrier': { body: page } });
  const openai: FakeOpenAI = await startFakeOpenAI({ handler: writingModel });
  try {
    return await withHarness(
      {
        articles,
        env: {
          VERBATIM_ENGINE: 'openai',
          OPENAI_BASE_URL: openai.baseURL,
          OPENAI_API_KEY: 'test-key',
          OPENAI_MODEL: 'gpt-4o-mini',
          OPENAI_MAX_RETRIES: '0',
        },
      },
      async (h) => {
        const url = articles.url('/news/barrier');
        const r = new Recorder(h.fake);
        r.act('alice', `/summarize url: ${url}`);
        const summary = await settled(
          h.fake.sendSlashCommand({ name: 'summarize', options: { url } }),
          hasEmbeds,
        );
        r.message(summary);
        await r.threadOf(summary.id);
        await askInThread(h, r, summary.id, 'How much did the barrier cost?');
        await askInThread(h, r, summary.id, 'Who designed the gates?');
        const offline = await askInThread(
          h,
          r,
          summary.id,
          'When will the sea level make the gates too low?',
        );

        const c = new Recorder(h.fake);
        const picked = await pickContext(h, summary, 1);
        c.act('alice', `*picks “${picked.label}” in the menu under the summary*`);
        c.message(picked.answer);
        const bob = h.fake.userByName('bob').id;
        const fromAnswer = await pickContext(h, offline, 0, bob);
        c.act('bob', `*picks “${fromAnswer.label}” under the offline answer in the thread*`);
        c.message(fromAnswer.answer);
        return [
          { name: 'model-summary-and-questions', shown: r.shown },
          { name: 'context-for-quote', shown: c.shown },
        ];
      },
    );
  } finally {
    await openai.close();
    await articles.close();
  }
}

/** (11) `/settings`: an admin sees the defaults, sets some, and a member's `/summarize` follows them. */
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

/** (10) A Discord message link summarized; a link into a channel the requester cannot see refused. */
async function messageLinkScene(): Promise<Scene> {
  return withHarness(
    {
      fake: {
        messageContentEnabled: true,
        guilds: [{ channels: [{ name: 'general' }, { name: 'staff', hiddenFrom: ['bob'] }] }],
      },
    },
    async (h) => {
      const r = new Recorder(h.fake);
      const alice = h.fake.userByName('alice').id;
      const bob = h.fake.userByName('bob').id;
      const general = h.fake.channelByName('general').id;
      const posted = h.fake.postUserMessage({ channelId: general, content: pasted, user: alice });
      r.message(posted);
      const jump = `https://discord.com/channels/${h.fake.guildId}/${general}/${posted.id}`;
      r.act('bob', `/summarize url: ${jump}`);
      const summary = await settled(
        h.fake.sendSlashCommand({ name: 'summarize', options: { url: jump }, user: bob }),
        hasEmbeds,
      );
      r.message(summary);
      const staff = h.fake.channelByName('staff').id;
      const hidden = h.fake.postUserMessage({ channelId: staff, content: pasted, user: alice });
      const secret = `https://discord.com/channels/${h.fake.guildId}/${staff}/${hidden.id}`;
      r.act('bob', `/summarize url: ${secret}  *(a message in #staff, which bob cannot see)*`);
      r.message(
        await settled(
          h.fake.sendSlashCommand({ name: 'summarize', options: { url: secret }, user: bob }),
          hasText,
        ),
      );
      return { name: 'message-link', shown: r.shown };
    },
  );
}

/** (12) A person reacts 📰 to a message with a link: the summary as a reply to it, with its thread. */
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

/**
 * A string select menu drawn as discord-preview can draw it (it knows buttons only): a wide grey
 * control showing the placeholder and ▾, as Discord shows a closed menu.
 */
function menusAsControls(rows: unknown[]): unknown[] {
  return (rows as { components?: { type: number; placeholder?: string }[] }[]).map((row) => ({
    ...row,
    components: (row.components ?? []).map((c) =>
      c.type === 3 ? { type: 2, style: 2, label: `${c.placeholder ?? ''}  ▾` } : c,
    ),
  }));
}

/** Timestamps drawn where Discord renders them (content, descriptions, field values) only. */
function asDiscordShows(m: Shown): Shown {
  return {
    ...m,
    ...(m.components ? { components: menusAsControls(m.components) } : {}),
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
async function draw(outDir: string, index: string, scene: Scene): Promise<string> {
  const base = join(outDir, `${index}-${scene.name}`);
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

/** Every scene, by the group that makes it (a group shares one bot). */
const SCENE_GROUPS: readonly (readonly [string, () => Promise<Scene | Scene[]>])[] = [
  ['links', linkScenes],
  ['budget', budgetScene],
  ['permissions', permissionScenes],
  ['forget', forgetScene],
  ['restart', restartScene],
  ['paste', pasteScene],
  ['model', modelScenes],
  ['message-link', messageLinkScene],
  ['settings', settingsScene],
  ['reaction', reactionScene],
  ['auto-summary', autoSummaryScenes],
];

/** Draws every scene into `outDir`, or only the groups named in `only`; returns the files drawn. */
export async function runPreview(outDir: string, only: readonly string[] = []): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const paths: string[] = [];
  let index = 0;
  for (const [group, make] of SCENE_GROUPS) {
    index += 1;
    if (only.length > 0 && !only.includes(group)) continue;
    const made = await make();
    const scenes = Array.isArray(made) ? made : [made];
    for (const [i, scene] of scenes.entries()) {
      const number = String(index).padStart(2, '0');
      paths.push(await draw(outDir, scenes.length > 1 ? `${number}${'abcdefgh'[i]}` : number, scene));
    }
  }
  return paths;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = (process.argv[3] ?? '').split(',').filter(Boolean);
  const paths = await runPreview(resolve(process.argv[2] ?? '/tmp/verbatim-preview'), only);
  process.stdout.write(`${paths.join('\n')}\n`);
}
