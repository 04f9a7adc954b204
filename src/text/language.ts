import { lazyPattern } from './guarded-pattern.js';
import { BEYOND_LATIN1 } from './words.js';

/**
 * Guesses the language of `text` when nothing declares it (a pasted article, a question): by its
 * script, then within a script by letters only some languages use (Vietnamese `ơ ư đ`, Turkish
 * `ı ğ`, Romanian `ș ț`, Ukrainian `і ї є`, Persian `پ چ گ`…) and, for Latin script, by the
 * function and question words each language uses most. Works on a question of a few words as on
 * an article (measured on XQuAD's questions and contexts in 12 languages: see
 * `test/text/language.test.ts` and the branch notes). Returns a BCP 47 primary tag, or null when
 * there is no letter or, in Latin script, no sign of any one language. Reads at most the first
 * 20,000 characters, in one pass.
 */
export function guessLanguage(text: string): string | null {
  const sample = text.length > MAX_SAMPLE ? text.slice(0, MAX_SAMPLE) : text;
  const counts = new Map<string, number>();
  for (let i = 0; i < sample.length; i++) {
    const script = scriptOf(sample.charCodeAt(i));
    if (script !== null) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  const han = counts.get('han') ?? 0;
  const kana = counts.get('kana') ?? 0;
  if (kana > 0) {
    counts.set('kana', kana + han);
    counts.delete('han');
  }
  for (const [script, n] of counts) if (script !== 'latin') counts.set(script, n * 2);
  let top: string | null = null;
  let most = 0;
  for (const [script, n] of counts) {
    if (n > most) {
      top = script;
      most = n;
    }
  }
  if (top === null) return null;
  switch (top) {
    case 'latin':
      return latinLanguage(sample);
    case 'cyrillic':
      return cyrillicLanguage(sample);
    case 'arabic':
      return arabicLanguage(sample);
    default:
      return SCRIPT_LANGUAGE[top] ?? null;
  }
}

const MAX_SAMPLE = 20_000;

/** The language a script alone says (scripts shared by several languages are decided apart). */
const SCRIPT_LANGUAGE: Readonly<Record<string, string>> = {
  han: 'zh',
  kana: 'ja',
  hangul: 'ko',
  greek: 'el',
  hebrew: 'he',
  thai: 'th',
  devanagari: 'hi',
  bengali: 'bn',
  tamil: 'ta',
  georgian: 'ka',
  armenian: 'hy',
};

/** The script of a UTF-16 code unit, for the scripts this guesser tells apart; null otherwise. */
function scriptOf(c: number): string | null {
  if (c < 0x41) return null;
  if (c <= 0x24f)
    return (c <= 0x5a || (c >= 0x61 && c <= 0x7a) || c >= 0xc0) && c !== 0xd7 && c !== 0xf7 ? 'latin' : null;
  if (c >= 0x1e00 && c <= 0x1eff) return 'latin';
  if (c >= 0x370 && c <= 0x3ff) return 'greek';
  if (c >= 0x1f00 && c <= 0x1fff) return 'greek';
  if (c >= 0x400 && c <= 0x52f) return 'cyrillic';
  if (c >= 0x531 && c <= 0x58f) return 'armenian';
  if (c >= 0x5d0 && c <= 0x5ea) return 'hebrew';
  if ((c >= 0x620 && c <= 0x64a) || (c >= 0x671 && c <= 0x6d3) || (c >= 0xfb50 && c <= 0xfdff))
    return 'arabic';
  if (c >= 0x900 && c <= 0x97f) return 'devanagari';
  if (c >= 0x980 && c <= 0x9ff) return 'bengali';
  if (c >= 0xb80 && c <= 0xbff) return 'tamil';
  if (c >= 0xe00 && c <= 0xe7f) return 'thai';
  if (c >= 0x10a0 && c <= 0x10ff) return 'georgian';
  if (c >= 0x3040 && c <= 0x30ff) return 'kana';
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return 'han';
  if (c >= 0xac00 && c <= 0xd7af) return 'hangul';
  return null;
}

function cyrillicLanguage(sample: string): string {
  const letters = sample.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const uses = (re: RegExp) => (sample.match(re)?.length ?? 0) * 100 >= letters;
  if (uses(/[ґєії]/giu)) return 'uk';
  if (uses(/[ђћџљњј]/giu)) return 'sr';
  if (uses(/[ўі]/giu)) return 'be';
  const ы = (sample.match(/[ыэ]/giu) ?? []).length;
  const ъ = (sample.match(/ъ/giu) ?? []).length;
  return ы === 0 && ъ >= 2 ? 'bg' : 'ru';
}

function arabicLanguage(sample: string): string {
  if (/[ٹڈڑںے]/u.test(sample)) return 'ur';
  if (/[پچژگکی]/u.test(sample) && !/[ي]/u.test(sample)) return 'fa';
  return 'ar';
}

/**
 * Words each Latin-script language uses most (articles, prepositions, auxiliaries) and asks with,
 * chosen to tell the languages apart; a word several languages share counts for each at a share.
 */
const LATIN_WORDS: ReadonlyArray<readonly [string, string]> = [
  [
    'en',
    `the a of and to in is that for it was on with as are by this be from which what who whom whose
    when where why how did does were has have an at or its their there not but also after into many much
    name what's`,
  ],
  [
    'de',
    `der die das und ist nicht mit den von zu sich des ein eine einer auf für im dem wird werden wurde
    wurden hat haben sind war was wer wen wem wann wo wie welche welcher welches welchem welchen wieviele
    viele viel warum weshalb wieso wozu auch bei nach aus es gibt gab einem einen zum zur über durch kein
    keine jahr`,
  ],
  [
    'fr',
    `le la les et des est une pour que dans qui du au aux sur pas ce ces il elle sont été quel quelle
    quels quelles combien pourquoi comment où avec par`,
  ],
  [
    'es',
    `el la los las del que por una para con es se lo como pero fue qué quién quiénes cuándo dónde cómo
    cuál cuáles cuántos cuántas cuánto también en al su sus`,
  ],
  [
    'it',
    `il di che della per una sono gli nel con non anche alla delle dei quale quali chi quando dove come
    perché quanti quante è ha furono era`,
  ],
  [
    'pt',
    `o os da do que em um uma para com não são dos pelo pela foi qual quais quem quando onde como
    quantos quantas também ao às`,
  ],
  [
    'nl',
    'de het een van en dat niet zijn op voor met ook maar wat wie wanneer waar hoe welke werd worden heeft door',
  ],
  [
    'ro',
    `și în de la cu pe care este sunt un o din pentru ce cine când unde cum câte câți cât fost al ale lui
    mai nu au s-a fac face era sau fi dintre`,
  ],
  [
    'tr',
    `ve bir bu da de ile için olan olarak ne kim nerede hangi kaç nasıl neden mi mı mu mü daha en gibi
    kadar nedir neydi kimdir kimdi nerededir neyi neyin nelerdir kimleri ki ise çok sonra önce yılında`,
  ],
  [
    'vi',
    'của và là có những các được trong cho với người không một này khi ai gì đâu nào bao nhiêu đã để từ',
  ],
  ['pl', 'i w nie na się z do że jest to jak co kto gdzie kiedy który która ile dla przez od są był była'],
  ['sv', 'och att det som en är på av för med till den har inte vad vem när var hur vilken om'],
  ['da', 'og at det som en er på af for med til den har ikke hvad hvem hvornår hvor hvordan'],
  ['no', 'og at det som en er på av for med til den har ikke hva hvem når hvor hvordan'],
  ['fi', 'ja on ei että se oli ovat mitä kuka milloin missä miten mikä kuinka joka myös'],
  ['id', 'yang dan di ini itu dengan untuk dari dalam tidak apa siapa kapan dimana bagaimana berapa adalah'],
  ['cs', 'a je v na se že to s z jak co kdo kde kdy který která kolik byl byla jsou'],
  ['hu', 'a az és hogy nem egy is mi ki hol mikor hogyan melyik hány volt van'],
];

/** Letters only some Latin-script languages write, and how much one occurrence counts for each. */
export const LATIN_LETTERS: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/[ơưđ\u1ea0-\u1ef9]/giu, 'vi', 2],
  [/[ığ]|İ/gu, 'tr', 2],
  [/[șțŞşţ]/giu, 'ro', 1],
  [/ş/giu, 'tr', 1],
  [/[ăâî]/giu, 'ro', 0.5],
  [/ß/gu, 'de', 1],
  [/[äöü]/giu, 'de', 0.3],
  [/[çöü]/giu, 'tr', 0.3],
  [/[ñ¿¡]/giu, 'es', 1],
  [/[ãõ]/giu, 'pt', 1],
  [/[èêœ]/giu, 'fr', 0.5],
  [/[ąęłńśźż]/giu, 'pl', 1],
  [/[ěřů]/giu, 'cs', 1],
  [/[őű]/giu, 'hu', 1],
  [/[åæø]/giu, 'sv', 0.2],
];

/**
 * Every letter LATIN_LETTERS counts, in either case, lies in ¡–ɏ, in Latin Extended Additional or
 * is the Ångström sign: text without one (most English) need not run their 15 `iu` patterns.
 */
export const MAY_HOLD_TELLING_LETTERS = /[\u00a1-\u024f\u1e00-\u1eff\u212b]/;

/** Word → [language, weight] pairs, the weight shared among the languages using the word. */
const LATIN_MARKERS: ReadonlyMap<string, ReadonlyArray<readonly [string, number]>> = (() => {
  const langsOf = new Map<string, string[]>();
  for (const [lang, words] of LATIN_WORDS) {
    for (const w of words.split(/\s+/u).filter(Boolean)) langsOf.set(w, [...(langsOf.get(w) ?? []), lang]);
  }
  return new Map([...langsOf].map(([w, langs]) => [w, langs.map((l) => [l, 1 / langs.length] as const)]));
})();

export const LATIN_WORD = lazyPattern(() => /[\p{Script=Latin}\p{M}'’]+/gu);
/**
 * LATIN_WORD for text of Latin-1 and General Punctuation alone (see BEYOND_LATIN1), its class
 * spelled out: Latin-1's Latin letters and the two apostrophes (neither block holds a mark or
 * another Latin letter), a pattern V8 compiles without asking ICU.
 */
export const LATIN1_LATIN_WORD = /[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff'’]+/gu;

function latinLanguage(sample: string): string | null {
  let best: string | null = null;
  let top = 0;
  for (const [lang, n] of latinScores(sample)) {
    if (n > top) {
      best = lang;
      top = n;
    }
  }
  return top >= 0.5 ? best : null;
}

/** Evidence for each Latin-script language in `sample`: marker words and telling letters. */
function latinScores(sample: string): Map<string, number> {
  const score = new Map<string, number>();
  const add = (lang: string, n: number) => score.set(lang, (score.get(lang) ?? 0) + n);
  let words = 0;
  // exec and indexed loops, not matchAll and for-of: this runs on every word of the sample before V8
  // optimizes anything, and each iterator step would allocate (start-up, issue 13).
  const word = BEYOND_LATIN1.test(sample) ? LATIN_WORD() : LATIN1_LATIN_WORD;
  word.lastIndex = 0;
  for (let m = word.exec(sample); m !== null; m = word.exec(sample)) {
    words++;
    const markers = LATIN_MARKERS.get(m[0].toLowerCase().replace('’', "'"));
    if (markers === undefined) continue;
    for (let i = 0; i < markers.length; i++) {
      const [lang, weight] = markers[i] as (typeof markers)[number];
      add(lang, weight);
    }
  }
  if (MAY_HOLD_TELLING_LETTERS.test(sample)) {
    for (const [letters, lang, weight] of LATIN_LETTERS) {
      const n = sample.match(letters)?.length ?? 0;
      if (n > 0) add(lang, Math.min(n, words) * weight);
    }
  }
  return score;
}

/**
 * The language to read a question in: its own when it is clearly another than the article's (a
 * script of its own, or Latin-script words of another language at least twice as telling as the
 * article's), else
 * the article's (`articleLang`, BCP 47 or null). People ask in their own language; a short question
 * of names and numbers says nothing, and is read as the article is.
 */
export function questionLanguage(question: string, articleLang: string | null): string | null {
  const asked = guessLanguage(question);
  if (asked === null || articleLang === null) return asked ?? articleLang;
  const article = articleLang.toLowerCase().split(/[-_]/u)[0] ?? '';
  if (asked === article) return articleLang;
  if (LATIN_TAGS.has(asked) && LATIN_TAGS.has(article)) {
    const scores = latinScores(question);
    if ((scores.get(article) ?? 0) * 2 >= (scores.get(asked) ?? 0)) return articleLang;
  }
  return asked;
}

/** Languages this guesser names from Latin script. */
const LATIN_TAGS = new Set(LATIN_WORDS.map(([lang]) => lang));
