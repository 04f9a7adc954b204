import type { Stemmer } from './stem.js';

/**
 * Light stemmers for languages Snowball's JavaScript port lacks: strip the longest common
 * inflectional ending, keeping a stem of at least `minStem` letters (Greek and Hindi words are
 * given already normalized by `normalizeTerm`: Greek without accents and with `σ` for final `ς`,
 * Hindi without nukta). After Ramanathan & Rao's light Hindi stemmer (2003) and the usual Greek
 * noun, adjective and verb endings; enough to match a question's word to an article's.
 */
interface LightRules {
  readonly endings: readonly string[];
  readonly minStem: number;
}

const RULES: Readonly<Record<string, LightRules>> = {
  hi: {
    endings: byLength(
      [
        'ाएंगी ाएंगे ाऊंगी ाऊंगा ाइयाँ ाइयों ाइयां',
        'ाएगी ाएगा ाओगी ाओगे एंगी एंगे ऊंगी ऊंगा ातीं नाओं नाएं ताओं ताएं ियाँ ियों ियां',
        'ाकर ाइए ाईं ाया ेगी ेगा ोगी ोगे ाने ाना ाते ाती ाता तीं ाओं ाएं ुओं ुएं ुआं',
        'कर ाओ िए ाई ाए ने नी ना ते ीं ती ता ाँ ां ों ें',
        'ो े ू ु ी ि ा',
      ].join(' '),
    ),
    minStem: 2,
  },
  el: {
    endings: byLength(
      [
        'ουμενοσ ουμενη ουμενο ομαστε ουσαμε ησαμε ηκαμε',
        'οντασ ουμαι ονται εσαι εται ουσαν ησαν ηκαν αμε ατε ετε ουμε ουνε',
        'ικοσ ικη ικο ικων ικεσ ικουσ ικα',
        'ουσ εωσ ων οσ ησ εσ ασ ου οι αι ει εισ ια ιο ιοσ ιων ιεσ',
        'α ε η ι ο υ ω σ',
      ].join(' '),
    ),
    minStem: 3,
  },
};

function byLength(list: string): string[] {
  return [...new Set(list.split(' ').filter(Boolean))].sort((a, b) => b.length - a.length);
}

const stemmers = new Map<string, Stemmer>();

/** The light stemmer of `primary` (a primary language subtag), or null when it has none. */
export function lightStemmer(primary: string): Stemmer | null {
  const rules = RULES[primary];
  if (!rules) return null;
  let stemmer = stemmers.get(primary);
  if (!stemmer) {
    stemmer = (word) => {
      for (const ending of rules.endings) {
        if (word.length - ending.length >= rules.minStem && word.endsWith(ending)) {
          return word.slice(0, -ending.length);
        }
      }
      return word;
    };
    stemmers.set(primary, stemmer);
  }
  return stemmer;
}
