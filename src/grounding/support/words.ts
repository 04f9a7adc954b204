/** Word-level helpers shared by the support checks: folding, tokens, a light stemmer, stopwords. */
import { splitWords } from '../../text/index.js';

/** Lower-case, compatibility-folded, without accents or apostrophe variants: for comparing words. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/gu, "'");
}

/** Word tokens of `text` (Intl.Segmenter word rules), folded, with their offsets. */
export interface Token {
  readonly raw: string;
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export function tokens(text: string, locale?: string | null): Token[] {
  return splitWords(text, locale).map((w) => ({
    raw: w.text,
    word: fold(w.text),
    start: w.start,
    end: w.end,
  }));
}

/** Strips a possessive (`Russia's` → `russia`). */
export function unpossess(word: string): string {
  return word.replace(/'s$|'$/u, '');
}

/**
 * A light English stemmer (plural, past, gerund, adverb, a few derivational endings), applied to
 * both sides of every comparison, so `investigations`/`investigated` and `poisoned`/`poison` meet.
 * Other languages pass through mostly unchanged, which only makes matching stricter.
 */
export function stem(word: string): string {
  let w = unpossess(fold(word));
  if (w.length <= 3 || !/^[a-z'-]+$/u.test(w)) return w;
  if (w.endsWith("n't")) return w.slice(0, -3);
  const rules: Array<[RegExp, string]> = [
    [/ies$/u, 'y'],
    [/(ss|x|ch|sh|z)es$/u, '$1'],
    [/([^s])s$/u, '$1'],
    [/ied$/u, 'y'],
    [/([a-z]{3})ed$/u, '$1'],
    [/([a-z]{3})ing$/u, '$1'],
    [/([a-z]{3})ly$/u, '$1'],
    [/([a-z]{4})ation$/u, '$1'],
    [/([a-z]{4})ment$/u, '$1'],
    [/([a-z]{4})ness$/u, '$1'],
  ];
  for (const [re, to] of rules) {
    if (re.test(w)) {
      w = w.replace(re, to);
      break;
    }
  }
  if (/([b-df-hj-np-tv-z])\1$/u.test(w) && !/(ll|ss|zz)$/u.test(w)) w = w.slice(0, -1);
  return w.replace(/e$/u, '');
}

/** English function words: never names, never content. */
export const STOPWORDS = new Set(
  (
    'a about above after again against all also although am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each either else even ever every few for ' +
    'from further had has have having he her here hers herself him himself his how however i if in into is it its ' +
    'itself just may me might more most must my myself nor now of off on once only or other our ours ourselves out ' +
    'over own per same shall she should since so some such than that the their theirs them themselves then there ' +
    'these they this those though through thus to too under until up upon us very was we were what when where ' +
    'whether which while who whom whose why will with within would yet you your yours yourself according ' +
    'said says say told tell reported report according meanwhile still already another many much several among ' +
    'across around amid like unlike via one ones'
  ).split(' '),
);

/** Words that turn a statement into its opposite. */
export const NEGATIONS = new Set(
  'not no never none nobody nothing neither nor without cannot cant dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wont wouldnt couldnt shouldnt nowhere lack lacks lacked'.split(
    ' ',
  ),
);

export function isNegation(word: string): boolean {
  const w = word.replace(/'/gu, '');
  return NEGATIONS.has(w) || (w.endsWith('nt') && NEGATIONS.has(w));
}
