import type { Article } from '../../article/article.js';
import {
  cachedTermNormalizer,
  endOfRun,
  endsWithMark,
  findClutter,
  guessLanguage,
  isLowerAt,
  isOpeningPunctuation,
  isSpace,
  type Segment,
  splitParagraphs,
  splitSentences,
  splitWords,
  type TermRules,
  termRules,
} from '../../text/index.js';

/** One sentence of the article as the extractive engine sees it. */
export interface SentenceInfo {
  /** The sentence's span in `article.text`, without a leading bullet or dash. */
  readonly seg: Segment;
  /** Index of the paragraph holding it, counting every paragraph. */
  readonly paragraph: number;
  /** Page furniture (see `findClutter`): never quoted. */
  readonly clutter: boolean;
  /** No final punctuation and short (a heading, a label), or an introduction ending in `:`. */
  readonly fragment: boolean;
  readonly question: boolean;
  /** A line of its own without final punctuation and under 12 words: a heading or a label. */
  readonly heading: boolean;
  /** Term ids in reading order, repeats kept. */
  readonly terms: readonly number[];
  /** Words (see `splitWords`), stop words included. */
  readonly wordCount: number;
}

/**
 * Everything the extractive engine derives from an article's text once and reuses for every
 * summary and question: sentences with flags, and their terms as ids into one vocabulary.
 */
export interface ArticleAnalysis {
  readonly text: string;
  readonly lang: string | null;
  readonly rules: TermRules;
  readonly sentences: readonly SentenceInfo[];
  readonly paragraphCount: number;
  readonly vocabulary: ReadonlyMap<string, number>;
}

const LEADING_MARK = /^(?:[•·▪●◦‣∙*>]|[-–—]{1,2}|\d{1,2}[.)])\s+/u;
/** Marks that end a sentence, and those that end a question (`;` in Greek), before closing quotes. */
const FINAL_PUNCTUATION = '.!?…。！？।॥؟';
const QUESTION_MARKS = '?？؟;';

/**
 * Splits the article into sentences (bullets and leading dashes dropped from their spans), flags
 * clutter, fragments and questions, and maps each sentence's words to term ids in one pass over the
 * text. The language is the article's, else guessed; it picks the stop words and stemmer.
 */
export function analyzeArticle(article: Article): ArticleAnalysis {
  const text = article.text;
  const lang = article.lang ?? guessLanguage(text);
  const rules = termRules(lang);
  const vocabulary = new Map<string, number>();
  const idOf = (term: string): number => {
    let id = vocabulary.get(term);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(term, id);
    }
    return id;
  };

  const paragraphs = splitParagraphs(text);
  const raw = splitSentences(text, lang);
  const clutter = findClutter(text, raw);
  const words = splitWords(text, lang);
  const normalize = cachedTermNormalizer(rules);
  const sentences: SentenceInfo[] = [];
  let paragraph = 0;
  let w = 0;
  raw.forEach((sentence, i) => {
    while (paragraph < paragraphs.length - 1 && sentence.start >= (paragraphs[paragraph] as Segment).end) {
      paragraph++;
    }
    const mark = LEADING_MARK.exec(sentence.text)?.[0].length ?? 0;
    const seg =
      mark > 0 && mark < sentence.text.length
        ? { start: sentence.start + mark, end: sentence.end, text: sentence.text.slice(mark) }
        : sentence;
    const terms: number[] = [];
    while (w < words.length && (words[w] as Segment).start < seg.start) w++;
    const firstWord = w;
    for (; w < words.length && (words[w] as Segment).end <= seg.end; w++) {
      const term = normalize((words[w] as Segment).text);
      if (term !== null) terms.push(idOf(term));
    }
    const wordCount = w - firstWord;
    sentences.push({
      seg,
      paragraph,
      clutter: clutter[i] === true,
      // A list item ("a community kitchen for cooking classes.") or a clause cut at `;`/`:` needs
      // the lines around it to make sense: never a key point on its own.
      fragment:
        /[:;]$/u.test(seg.text) ||
        startsAsContinuation(seg.text) ||
        (!endsWithMark(seg.text, FINAL_PUNCTUATION) && wordCount < 12),
      question: endsWithMark(seg.text, QUESTION_MARKS) && (!seg.text.endsWith(';') || rules.primary === 'el'),
      heading: !endsWithMark(seg.text, FINAL_PUNCTUATION) && wordCount < 12 && ownLine(text, raw, i),
      terms,
      wordCount,
    });
  });
  return { text, lang, rules, sentences, paragraphCount: paragraphs.length, vocabulary };
}

/** Bullets and quotes a continuation may start behind, besides opening brackets and quotes. */
const CONTINUATION_LEAD = '"\'•·*-';

/**
 * `/^[\p{Pi}\p{Ps}"'•·*-]*\s*\p{Ll}/u.test(text)`: a lower-case start, after any opening quotes,
 * brackets, bullets and then spaces.
 */
export function startsAsContinuation(text: string): boolean {
  const afterLead = endOfRun(
    text,
    0,
    (cp) => isOpeningPunctuation(cp) || CONTINUATION_LEAD.includes(String.fromCodePoint(cp)),
  );
  return isLowerAt(text, endOfRun(text, afterLead, isSpace));
}

/** True when sentence `i` of `sentences` stands on a line of its own in `text`. */
function ownLine(text: string, sentences: readonly Segment[], i: number): boolean {
  const cur = sentences[i] as Segment;
  const prev = sentences[i - 1];
  const next = sentences[i + 1];
  return (
    (prev === undefined || text.slice(prev.end, cur.start).includes('\n')) &&
    (next === undefined || text.slice(cur.end, next.start).includes('\n'))
  );
}
