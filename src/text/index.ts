// Text segmentation with offsets into the article text (UTF-16 code units, end exclusive), and the
// one set of word rules (stop words, stemmers, terms, BM25) every engine and check uses.
export { foldAsciiCase } from './ascii-case.js';
export { type Bm25Index, bm25Idf, bm25Scores, buildBm25Index, type WeightedTerm } from './bm25.js';
export {
  endOfRun,
  endsWithMark,
  hasLetterOrNumber,
  isLetter,
  isLowerAt,
  isMark,
  isNumber,
  isOpeningPunctuation,
  isSpace,
} from './char-class.js';
export { chunkText } from './chunks.js';
export { findClutter, isClutter } from './clutter.js';
export { foldWord, unaccentLatin } from './fold-word.js';
export { findHeadline, openingLine } from './headline.js';
export { guessLanguage, questionLanguage } from './language.js';
export { splitParagraphs } from './paragraphs.js';
export {
  type AnswerType,
  expectedAnswerType,
  holdsAnswerType,
  negationMismatch,
  questionWordsFor,
} from './question-cues.js';
export { type SpanSurroundings, spanSurroundings } from './quote-context.js';
export { type RankedPassage, rankPassages } from './rank-passages.js';
export { type Segment, trimmedSegment } from './segment.js';
export { splitSentences } from './sentences.js';
export { type Stemmer, stemmerFor } from './stem.js';
export { primaryLanguage, stopWordsFor } from './stop-words.js';
export { cachedTermNormalizer, normalizeTerm, type TermRules, termRules, termsOf } from './terms.js';
export { MAY_BE_SPACELESS, splitWords } from './words.js';
