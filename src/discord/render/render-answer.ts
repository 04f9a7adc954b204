import type { APIEmbed } from 'discord.js';
import type { Article } from '../../article/article.js';
import type { AnswerResult } from '../../engines/engine.js';
import { labels } from '../texts.js';
import { webUrl } from './article-facts.js';
import { inert } from './escape.js';
import { Footnotes, type ShownQuote } from './footnotes.js';
import { fitText } from './limits.js';
import { packEmbeds } from './pack.js';
import { budgetLines, EMBED_COLOR, footerText } from './render-summary.js';

/** Characters of the question repeated above its answer. */
const QUESTION_CHARS = 300;

/**
 * An answer as embeds: the question, then the answer's claims with their quotes from the article;
 * or "The article doesn't answer this directly." with the closest passages under their own heading,
 * never as an answer; or, with none, "The article doesn't say." The footer names the engine (and
 * grounding when quotes were given).
 */
export function renderAnswerEmbeds(article: Article, question: string, result: AnswerResult): APIEmbed[] {
  const notes = new Footnotes(article.text, webUrl(article));
  const blocks = answerBlocks(notes, result);
  return packEmbeds({
    head: {},
    intro: [`**${labels.question}** ${fitText(question, QUESTION_CHARS, inert)}`, ...budgetLines(result), ''],
    blocks,
    footer: footerText(result, null),
    color: EMBED_COLOR,
  });
}

/** The quotes an answer shows, labelled and ordered as `renderAnswerEmbeds` draws them. */
export function answerQuotes(article: Article, result: AnswerResult): readonly ShownQuote[] {
  const notes = new Footnotes(article.text, null);
  answerBlocks(notes, result);
  return notes.shown;
}

function answerBlocks(notes: Footnotes, result: AnswerResult) {
  return result.answerable
    ? result.answer.map((c) => notes.block(c, null))
    : result.nearest.length === 0
      ? [{ section: null, line: labels.doesNotSay, fields: [] }]
      : [
          { section: null, line: labels.notDirectly, fields: [] },
          ...result.nearest.map((q) => notes.block({ text: q.text, quotes: [q] }, labels.nearest, '> ')),
        ];
}
