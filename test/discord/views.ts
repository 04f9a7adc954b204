import assert from 'node:assert/strict';
import type { APIEmbed } from 'discord.js';
import { DISCORD_LIMITS, embedLength } from '../../src/discord/render/limits.js';
import type { FakeDiscord, InteractionHandle, StoredMessage } from '../../testkit/fakes/discord/index.js';

/** `s` with runs of whitespace as one space, trimmed: for comparing text across line breaks. */
export const squash = (s: string): string => s.replace(/\s+/gu, ' ').trim();

/** A stored message's embeds, typed as Discord's API shape. */
export const embedsOf = (m: { embeds: unknown[] }): APIEmbed[] => m.embeds as APIEmbed[];

/** Undoes the display escaping (backslashes, zero-width spaces) of text the bot showed. */
export function shownText(s: string): string {
  return s.replace(/\u200b/gu, '').replace(/\\(.)/gu, '$1');
}

/**
 * Every quote a message shows (in claim lines and quote fields), as plain text, without the `…`
 * that marks where the quote's sentence goes on (not part of the quote).
 */
export function quotesShown(embeds: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const embed of embeds as APIEmbed[]) {
    for (const line of (embed.description ?? '').split('\n')) {
      const m = /^(?:• )?“(.*)” ¶\d+(?: \[↗\]\(\S+\))?$/u.exec(line);
      if (m?.[1]) out.push(unmarked(shownText(m[1])));
    }
    for (const field of embed.fields ?? []) {
      const m = /^“([\s\S]*)”(?: \[↗\]\(\S+\))?$/u.exec(field.value);
      if (m?.[1]) out.push(unmarked(shownText(m[1])));
    }
  }
  return out;
}

/** A shown quote without the continuation marks at its ends. */
const unmarked = (s: string): string => s.replace(/^…|…$/gu, '');

/** Asserts the message shows at least one quote and every quote is verbatim article text. */
export function assertQuotesFromArticle(embeds: readonly unknown[], articleText: string): string[] {
  const quotes = quotesShown(embeds);
  assert.ok(quotes.length > 0, 'the message shows quotes');
  const text = squash(articleText);
  for (const q of quotes)
    assert.ok(text.includes(squash(q)), `quote found in the article: ${q.slice(0, 80)}`);
  return quotes;
}

/** Waits until the interaction's reply shows embeds (the summary or answer) and returns them. */
export async function finalReply(handle: InteractionHandle, timeoutMs = 15_000): Promise<StoredMessage> {
  await handle.waitFor(
    (h) => (h.original?.embeds.length ?? 0) > 0 || h.followups.some((f) => f.content !== ''),
    timeoutMs,
  );
  const original = handle.original;
  assert.ok(original);
  return original;
}

/** Waits for the message in `channelId` that replies to `message` (the bot's answer to it). */
export function replyTo(
  fake: FakeDiscord,
  channelId: string | null,
  message: { readonly id: string },
  timeoutMs?: number,
): Promise<StoredMessage> {
  return fake.waitForMessage(channelId, (m) => m.api.message_reference?.message_id === message.id, timeoutMs);
}

/** Asserts every message limit on a stored message's embeds and content. */
export function assertWithinLimits(message: StoredMessage): void {
  assert.ok([...message.content].length <= 2000);
  assert.deepEqual(limitProblems(message.embeds as APIEmbed[]), []);
}

/** Every limit a message made of `embeds` must obey; returns what it breaks. */
export function limitProblems(embeds: readonly APIEmbed[]): string[] {
  const out: string[] = [];
  if (embeds.length > DISCORD_LIMITS.embedsPerMessage) out.push(`${embeds.length} embeds`);
  const total = embeds.reduce((n, e) => n + embedLength(e), 0);
  if (total > DISCORD_LIMITS.embedTotal) out.push(`total ${total}`);
  for (const e of embeds) {
    if ((e.title?.length ?? 0) > DISCORD_LIMITS.embedTitle) out.push('title');
    if ((e.description?.length ?? 0) > DISCORD_LIMITS.embedDescription)
      out.push(`description ${e.description?.length}`);
    if ((e.footer?.text.length ?? 0) > DISCORD_LIMITS.footer) out.push('footer');
    if ((e.author?.name.length ?? 0) > DISCORD_LIMITS.authorName) out.push('author');
    if ((e.fields?.length ?? 0) > DISCORD_LIMITS.embedFields) out.push(`${e.fields?.length} fields`);
    for (const f of e.fields ?? []) {
      if (f.name.length > DISCORD_LIMITS.fieldName || f.name.length === 0) out.push('field name');
      if (f.value.length > DISCORD_LIMITS.fieldValue || f.value.length === 0)
        out.push(`field value ${f.value.length}`);
    }
    if (!e.title && !e.description && !(e.fields?.length ?? 0)) out.push('empty embed');
  }
  return out;
}

/** The bot's replies to a message so far, in its channel. */
export const botRepliesTo = (fake: FakeDiscord, message: StoredMessage): StoredMessage[] =>
  fake
    .messages(message.channelId)
    .filter((m) => m.authorId === fake.botUser.id && m.api.message_reference?.message_id === message.id);
