// Text segmentation with offsets into the article text (UTF-16 code units, end exclusive).
export { chunkText } from './chunks.js';
export { findClutter, isClutter } from './clutter.js';
export { findHeadline, openingLine } from './headline.js';
export { guessLanguage } from './language.js';
export { splitParagraphs } from './paragraphs.js';
export { type Segment, trimmedSegment } from './segment.js';
export { splitSentences } from './sentences.js';
export { splitWords } from './words.js';
