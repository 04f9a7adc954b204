// The support check: does a claim say only what its quotes say? Names, numbers and dates
// (`checkSupport`, used on every model claim) and the offline claim check (`checkClaims`, what
// `verbatim check` runs), with the word helpers they share.
export {
  articleSentences,
  type CheckClaimsOptions,
  type ClaimCheck,
  type ClaimEvidence,
  CONTENT_WORD_TOLERANCE,
  checkClaims,
  coveringSentences,
  DEFAULT_MAX_QUOTES,
  gatherEvidence,
  prepareArticle,
  type SupportIndex,
  verdictFrom,
} from './check-claims.js';
export { checkSupport, namesComparable, type SupportOptions, type SupportVerdict } from './check-support.js';
export { type DateMention, findDates } from './dates.js';
export { findNames, type NameMention, properNounsOf, sameNameWord } from './names.js';
export { findNumbers, type NumberMention } from './numbers.js';
export { contentStems, stem } from './words.js';
