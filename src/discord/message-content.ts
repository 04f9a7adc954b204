import type { Attachment, Message } from 'discord.js';
import type { SourceInput } from '../app/source-input.js';
import type { AttachmentInfo } from './attachments.js';

export type { SourceInput } from '../app/source-input.js';

/** Starts where the run of punctuation starts: tried from inside the run, it re-read it each time. */
const TRAILING = /(?<![.,;:!?'"*_~>\]}])[.,;:!?'"*_~>\]}]+$/u;

/**
 * The first web link in a message's text: bare, in `<…>` (embeds suppressed) or in a masked link
 * `[text](url)`, without the punctuation that ends the sentence around it (a closing parenthesis
 * stays when the link opened one, as in Wikipedia links).
 */
export function firstLink(content: string): string | null {
  const match = /https?:\/\/[^\s<>|"`]+/iu.exec(content);
  return match ? trimLink(match[0]) : null;
}

/** A link as matched, without the punctuation that ends the sentence around it; null when nothing is left. */
function trimLink(matched: string): string | null {
  let url = matched;
  for (;;) {
    const before = url;
    url = url.replace(TRAILING, '');
    const open = (url.match(/\(/gu) ?? []).length;
    const close = (url.match(/\)/gu) ?? []).length;
    if (url.endsWith(')') && close > open) url = url.slice(0, -1);
    if (url === before) break;
  }
  return url.length > 'https://'.length ? url : null;
}

/**
 * The web links of a message that its author shows as links, in order: not those inside code
 * (```…```, ``…``, `…`), spoilers (||…||) or angle brackets (<…>, which suppress the embed, as
 * people do for a link they mention but do not share). Masked links `[text](url)` count. Linear
 * time: each pattern is lazy between fixed delimiters, with no nested repetition.
 */
export function sharedLinks(content: string): string[] {
  const visible = content
    .replace(/```[\s\S]*?```/gu, ' ')
    .replace(/``[^`]*?``/gu, ' ')
    .replace(/`[^`]*`/gu, ' ')
    .replace(/\|\|[\s\S]*?\|\|/gu, ' ')
    .replace(/<https?:\/\/[^\s>]*>/giu, ' ');
  const links: string[] = [];
  for (const match of visible.matchAll(/https?:\/\/[^\s<>|"`]+/giu)) {
    const url = trimLink(match[0]);
    if (url) links.push(url);
  }
  return links;
}

export function attachmentInfo(attachment: Attachment): AttachmentInfo {
  return {
    name: attachment.name,
    size: attachment.size,
    contentType: attachment.contentType,
    url: attachment.url,
  };
}

/** What to summarize in a message: its first link, else its first attachment, else its text. */
export function sourceInMessage(message: Message, content = message.content): SourceInput | null {
  const link = firstLink(content);
  if (link) return { kind: 'url', url: link };
  const attachment = message.attachments.first();
  if (attachment) return { kind: 'attachment', attachment: attachmentInfo(attachment) };
  const text = content.trim();
  return text ? { kind: 'text', text, source: `discord:message/${message.id}` } : null;
}

/** A message's content without mentions of `userId` (the question someone asked the bot). */
export function withoutMention(content: string, userId: string): string {
  return content
    .replaceAll(`<@${userId}>`, ' ')
    .replaceAll(`<@!${userId}>`, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether a message's text mentions `userId`. */
export function mentions(content: string, userId: string): boolean {
  return content.includes(`<@${userId}>`) || content.includes(`<@!${userId}>`);
}
