import { createRequire } from 'node:module';
import { foldWord } from './fold-word.js';

/**
 * English function words that carry no topic, lower-case. Kept short on purpose: dropping a word
 * that matters costs more than keeping one that doesn't. It also holds the reporting verbs and
 * hedges news wraps around facts (`said`, `according`), which the support check must not count as
 * content.
 */
const ENGLISH: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before
      being below between both but by can cannot could couldn't did didn't do does doesn't doing don't down
      during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
      here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
      let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
      out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the
      their theirs them themselves then there there's these they they'd they'll they're they've this those
      through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
      when's where where's which while who who's whom why why's will with won't would wouldn't you you'd
      you'll you're you've your yours yourself yourselves said says say s t just now would may might
      one also many much although either else even ever every must per shall since though thus upon us
      whether whose within yet according told tell reported report meanwhile still already another
      several among across around amid like unlike via ones however`
    .split(/\s+/u)
    .filter(Boolean),
);

/**
 * The `stopword` package's list key (ISO 639-3) for each primary language tag it covers. Its lists
 * are kept by others and cover 62 languages; English keeps its own list above.
 */
const STOPWORD_KEYS: Readonly<Record<string, string>> = {
  af: 'afr',
  ar: 'ara',
  hy: 'hye',
  eu: 'eus',
  bn: 'ben',
  br: 'bre',
  bg: 'bul',
  ca: 'cat',
  zh: 'zho',
  hr: 'hrv',
  cs: 'ces',
  da: 'dan',
  nl: 'nld',
  eo: 'epo',
  et: 'est',
  fi: 'fin',
  fr: 'fra',
  gl: 'glg',
  de: 'deu',
  el: 'ell',
  gu: 'guj',
  ha: 'hau',
  he: 'heb',
  hi: 'hin',
  ga: 'gle',
  hu: 'hun',
  id: 'ind',
  it: 'ita',
  ja: 'jpn',
  ko: 'kor',
  ku: 'kur',
  la: 'lat',
  lv: 'lav',
  lt: 'lit',
  ms: 'msa',
  mr: 'mar',
  my: 'mya',
  no: 'nob',
  nb: 'nob',
  fa: 'fas',
  pl: 'pol',
  pt: 'por',
  pa: 'panGu',
  ro: 'ron',
  ru: 'rus',
  sk: 'slk',
  sl: 'slv',
  so: 'som',
  st: 'sot',
  es: 'spa',
  sw: 'swa',
  sv: 'swe',
  tl: 'tgl',
  th: 'tha',
  tr: 'tur',
  uk: 'ukr',
  ur: 'urd',
  vi: 'vie',
  yo: 'yor',
  zu: 'zul',
};

const NONE: ReadonlySet<string> = new Set();
let lists: Readonly<Record<string, readonly string[]>> | null = null;
const folded = new Map<string, ReadonlySet<string>>();

/**
 * The stop words of `lang` (a BCP 47 tag; null: English), folded as `normalizeTerm` folds words;
 * empty for a language without a list. Lists other than English are read from the `stopword`
 * package on first use, so a process that meets only English never loads them.
 */
export function stopWordsFor(lang: string | null): ReadonlySet<string> {
  const primary = primaryLanguage(lang);
  if (primary === 'en') return ENGLISH;
  const key = STOPWORD_KEYS[primary];
  if (!key) return NONE;
  let set = folded.get(primary);
  if (!set) {
    lists ??= createRequire(import.meta.url)('stopword') as Record<string, readonly string[]>;
    set = new Set((lists[key] ?? []).map((w) => foldWord(w, primary)));
    folded.set(primary, set);
  }
  return set;
}

/** The primary language subtag of a BCP 47 tag, lower-case (`pt-BR` → `pt`); null → `en`. */
export function primaryLanguage(lang: string | null | undefined): string {
  return (lang ?? 'en').trim().toLowerCase().split(/[-_]/u)[0] || 'en';
}
