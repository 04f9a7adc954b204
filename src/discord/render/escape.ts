import { escapeMarkdown } from 'discord.js';

const ZWSP = '\u200b';

/**
 * Article (or user) text made inert for Discord markdown: whitespace collapsed to single spaces (a
 * quote never starts a line of its own, so it cannot become a heading, list or block quote), every
 * markdown construct escaped, masked links `[text](url)` broken, and mention-like tokens (`<@…>`,
 * `<@&…>`, `<#…>`, `</…>`, custom emoji, `@everyone`, `@here`) split with a zero-width space so they
 * neither ping (allowedMentions already forbids that) nor look like a ping.
 */
export function inert(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const escaped = escapeMarkdown(flat, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped
    .replace(/\[([^[\]]*)\]\(/gu, '[$1]\\(')
    .replace(/<(?=[@#/:]|a:|t:)/gu, `<${ZWSP}`)
    .replace(/@(?=everyone|here)/giu, `@${ZWSP}`)
    .replace(/^>/u, '\\>')
    .replace(/^-#/u, '\\-#');
}
