import type { APIEmbed } from 'discord.js';
import { parseMessageLink } from '../../app/message-link.js';
import type { LanguageNote } from '../../app/summaries.js';
import type { Article } from '../../article/article.js';
import type { EngineInfo, SummaryResult } from '../../engines/engine.js';
import { findHeadline, openingLine } from '../../text/index.js';
import { labels } from '../texts.js';
import { readingMinutes, webUrl } from './article-facts.js';
import { inert } from './escape.js';
import { Footnotes, type ShownQuote } from './footnotes.js';
import { fitText, DISCORD_LIMITS as L } from './limits.js';
import { packEmbeds } from './pack.js';

/** The accent colour of Verbatim's embeds. */
export const EMBED_COLOR = 0x2f6fdb;
/** A byline longer than this is cut (with `…`): a page's metadata has no length bound of its own. */
const MAX_BYLINE_CHARS = 300;

/**
 * A summary as embeds, one per message: the first titled with the article (linking to it), its
 * site, byline and reading time; then the summary sentences and key points, each with its quotes
 * (¶ place, and a link that opens the page at the quote); the footer on the last says how many
 * quotes were found in the article, which engine and model wrote it, any fallback, and when the
 * summary is not in the reader's language. A link's summary also says when the page was fetched
 * (`fetchedAt`, ms since epoch), in the facts line: Discord renders `<t:…>` timestamps in
 * descriptions but shows them raw in footers.
 */
export function renderSummaryEmbeds(
  article: Article,
  result: SummaryResult,
  language: LanguageNote | null,
  fetchedAt: number | null = null,
): APIEmbed[] {
  const url = webUrl(article);
  const notes = new Footnotes(article.text, url);
  const blocks = summaryBlocks(notes, result);
  // A Discord message has no site to name: its title says whose message it is.
  const site = article.siteName ?? (url && !parseMessageLink(url) ? new URL(url).hostname : null);
  const facts = [
    article.byline ? labels.by(fitText(article.byline, MAX_BYLINE_CHARS, inert)) : null,
    article.publishedTime ? article.publishedTime.slice(0, 10) : null,
    labels.minutesRead(readingMinutes(article)),
    fetchedAt === null ? null : labels.fetched(Math.floor(fetchedAt / 1000)),
  ].filter((f): f is string => f !== null);
  return packEmbeds({
    head: {
      title: fitText(articleTitle(article), L.embedTitle, inert),
      ...(url && url.length <= 2048 ? { url } : {}),
      ...(site ? { author: { name: fitText(site.replace(/\s+/gu, ' '), L.authorName) } } : {}),
    },
    intro: [fitText(facts.join(' · '), 1000), ...budgetLines(result)],
    blocks,
    footer: footerText(result, language),
    color: EMBED_COLOR,
  });
}

function summaryBlocks(notes: Footnotes, result: SummaryResult) {
  return [
    ...result.summary.map((c) => notes.block(c, labels.summary)),
    ...result.keyPoints.map((c) => notes.block(c, labels.keyPoints, '• ')),
  ];
}

/** The quotes a summary shows, labelled and ordered as `renderSummaryEmbeds` draws them. */
export function summaryQuotes(article: Article, result: SummaryResult): readonly ShownQuote[] {
  const notes = new Footnotes(article.text, null);
  summaryBlocks(notes, result);
  return notes.shown;
}

/**
 * The article's title, else the headline its text opens with (the first line that is not page
 * furniture such as a breadcrumb), else a name for where it came from.
 */
function articleTitle(article: Article): string {
  const title = article.title?.replace(/\s+/gu, ' ').trim() || findHeadline(article.text);
  if (title) return title;
  if (article.source.startsWith('discord:attachment/'))
    return article.source.slice('discord:attachment/'.length);
  if (article.source === 'discord:text' || article.source.startsWith('discord:message/'))
    return labels.pastedText;
  if (parseMessageLink(article.source)) return labels.discordMessage;
  return webUrl(article) ?? labels.untitled;
}

/** Grounding, engine and model, and any fallback or language note. */
export function footerText(info: EngineInfo, language: LanguageNote | null): string {
  const parts: string[] = [];
  const g = info.grounding;
  if (g.proposed > 0) parts.push(labels.quotesFound(g.verified, g.proposed));
  if (g.unsupported > 0) parts.push(labels.unsupported(g.unsupported));
  parts.push(info.model ? `${info.engine} · ${info.model}` : info.engine);
  if (info.fallback?.budget) parts.push(labels.budgetSpent(info.fallback.budget.scope));
  else if (info.fallback) parts.push(labels.fellBack(info.fallback.code));
  if (language) parts.push(labels.language(language.used, language.wanted));
  return parts.join(' · ');
}

/**
 * The budget notice for a result the offline engine wrote because a model budget was spent, in the
 * description (footers show no Discord timestamps), else nothing.
 */
export function budgetLines(info: EngineInfo): string[] {
  const budget = info.fallback?.budget;
  return budget ? ['', labels.budgetNotice(budget.scope, budget.resetsAt)] : [];
}

/**
 * A thread name from the article's title (for pasted text without one, its first line that is not
 * page furniture): whitespace collapsed, at most 100 characters, cut at a word (Discord counts
 * characters; surrogate pairs are never split).
 */
export function threadName(article: Article): string {
  const title = articleTitle(article);
  const named =
    title === labels.pastedText
      ? (openingLine(article.text) ?? article.text.slice(0, 300)).replace(/\s+/gu, ' ').trim()
      : title;
  return fitText(named, L.threadName).trim() || labels.untitled;
}
