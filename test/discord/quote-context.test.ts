import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import { notices } from '../../src/discord/texts.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pasted } from '../../testkit/discord/pages.js';
import type { StoredMessage } from '../../testkit/fakes/discord/index.js';
import { embedsOf, finalReply, replyTo, squash } from './views.js';

const DAY_MS = 86_400_000;
const clock = { offsetMs: 0 };
let h: Harness;
let articles: ArticleServer;

before(async () => {
  articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
  h = await startHarness(null, {
    articles,
    fake: { rateLimits: WIDE_BUCKETS },
    env: { RETENTION_DAYS: '30' },
    now: () => Date.now() + clock.offsetMs,
  });
});
after(async () => {
  await h.close();
  await articles.close();
});

interface Menu {
  readonly custom_id: string;
  readonly placeholder: string;
  readonly options: readonly { label: string; value: string; description: string }[];
}

/** The "Show context" menus on a message. */
function menusOf(message: StoredMessage): Menu[] {
  return (message.components as { components: (Menu & { type: number })[] }[])
    .flatMap((row) => row.components)
    .filter((c) => c.type === 3);
}

/** Picks option `index` of the message's first menu; returns the private answer. */
async function showContext(message: StoredMessage, index = 0, user?: string) {
  const [menu] = menusOf(message);
  assert.ok(menu, 'a Show context menu');
  const option = menu.options[index];
  assert.ok(option);
  const handle = h.fake.sendSelect({
    customId: menu.custom_id,
    messageId: message.id,
    values: [option.value],
    ...(user ? { user } : {}),
  });
  await handle.waitFor((x) => x.edits.length > 0 && (x.original?.content ?? '') !== '', 10_000);
  assert.equal(handle.callbackType, 5, 'a deferred reply');
  assert.equal(handle.ephemeral, true, 'only the person who asked sees it');
  const reply = handle.original;
  assert.ok(reply);
  return { reply, option, embed: embedsOf(reply)[0] as APIEmbed | undefined };
}

/** The quote (an option value's offsets) in the bold part of a context embed. */
function boldOf(embed: APIEmbed | undefined): string {
  const bold = /\*\*(.+?)\*\*/su.exec(embed?.description ?? '')?.[1];
  assert.ok(bold, 'the quote is in bold');
  return bold.replace(/\\(.)/gu, '$1');
}

describe('the context around a quote', () => {
  it('GIVEN a summary of a link THEN a menu lists its quotes, and picking one privately shows the paragraph before, the quote in bold in its paragraph, the paragraph after, and a link to the page at the quote', async () => {
    const url = articles.url('/news/tidal-barrier');
    const summary = await finalReply(h.fake.sendSlashCommand({ name: 'summarize', options: { url } }));
    const menus = menusOf(summary);
    assert.equal(menus.length, 1);
    const [menu] = menus;
    assert.equal(menu?.placeholder, 'Show context for a quote…', 'quotes drawn in place have no numbers');
    assert.ok((menu?.options.length ?? 0) >= 2 && (menu?.options.length ?? 0) <= 25);
    assert.equal(summary.components.length, 2, 'the buttons, then the menu');

    const { embed, option } = await showContext(summary, 1);
    assert.match(embed?.title ?? '', /^Context for ¶\d+$/u);
    const quote = boldOf(embed);
    assert.ok(squash(pasted).includes(squash(quote)), 'the bold part is article text');
    assert.ok(option.description.startsWith(quote.slice(0, 40)), 'the quote the menu named');
    const parts = (embed?.description ?? '').split('\n\n');
    assert.ok(parts.length >= 3, 'paragraphs around the quote, and the link');
    assert.ok(
      parts.some((p) => p.startsWith('> ') && p.includes('**')),
      'the quote’s own paragraph',
    );
    assert.match(embed?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/news\/tidal-barrier#:~:text=[^ ()]+$/u);
    assert.ok((embed?.description ?? '').endsWith(`[Open the page at this quote](${embed?.url})`));
    assert.ok((embed?.description?.length ?? 0) <= 4096);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN an answer in a summary’s thread THEN it carries its own menu, which shows its quotes in context', async () => {
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }),
    );
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    const invite = await h.fake.waitForMessage(thread.id);
    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'How much did the barrier cost?',
      replyToMessageId: invite.id,
    });
    const answer = await replyTo(h.fake, thread.id, question, 10_000);
    const [menu] = menusOf(answer);
    assert.ok(menu);
    assert.match(menu.custom_id, new RegExp(`^verbatim:context:${summary.id}:[0-9a-f]{12}:0$`, 'u'));
    const { embed } = await showContext(answer, 0, h.fake.userByName('bob').id);
    assert.ok(squash(pasted).includes(squash(boldOf(embed))));
    assert.equal(embed?.url, undefined, 'pasted text has no page to link to');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a restart THEN the menu of a summary made before it still shows the context, from the stored article', async () => {
    const summary = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } }),
    );
    const before = await showContext(summary, 0);
    await h.restart();
    const afterRestart = await showContext(summary, 0);
    assert.deepEqual(embedsOf(afterRestart.reply), embedsOf(before.reply));
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the article was purged (retention, or /forget of a private summary) THEN the menu says so plainly', async () => {
    const kept = await finalReply(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: `${pasted}\n\nRetention.` } }),
    );
    const bob = h.fake.userByName('bob').id;
    const privately = await finalReply(
      h.fake.sendSlashCommand({
        name: 'summarize',
        user: bob,
        options: { text: `${pasted}\n\nForget.`, private: true },
      }),
    );
    assert.equal(privately.ephemeral, true);
    assert.ok((await showContext(privately, 0, bob)).embed, 'shown while kept');

    const forget = h.fake.sendSlashCommand({ name: 'forget', user: bob });
    await forget.waitFor((x) => (x.original?.components.length ?? 0) > 0, 10_000);
    const confirm = h.fake.sendButton({
      customId: `verbatim:forget:confirm:${bob}`,
      messageId: forget.original?.id ?? '',
      user: bob,
    });
    await confirm.waitFor((x) => x.original?.content.startsWith('Deleted') ?? false, 15_000);
    const forgotten = await showContext(privately, 0, bob);
    assert.equal(forgotten.reply.content, notices.contextGone);
    assert.deepEqual(forgotten.reply.embeds, []);

    clock.offsetMs = 31 * DAY_MS;
    const counts = await h.bot.retention.runOnce();
    assert.ok((counts?.threads ?? 0) >= 1);
    const purged = await showContext(kept, 0);
    assert.equal(purged.reply.content, notices.contextGone);
    assert.deepEqual(purged.reply.embeds, []);
    assert.deepEqual(problems(h), []);
  });
});
