import { foldAsciiCase } from './ascii-case.js';
import { foldWord } from './fold-word.js';
import { lazyPattern } from './guarded-pattern.js';
import { primaryLanguage } from './stop-words.js';
import { splitWords } from './words.js';

/**
 * What kind of thing a question asks for, from its wording in its own language (`how many`, `wie
 * viele`, `сколько`, `多少`…), and whether a sentence holds such a thing. Used to rank answers and to
 * decline questions whose best sentence cannot answer them ("How wide is…" over a sentence with no
 * measure). English has the finest rules; 17 other languages have tables of question phrases.
 */
export type AnswerType = 'number' | 'date' | 'person' | 'place';

/** A language's question phrases (as `foldWord` folds them), by the answer type they ask for. */
interface Cues {
  /** Every word that only shapes a question (interrogatives, particles): never looked for. */
  readonly words: string;
  readonly date: string;
  readonly number: string;
  readonly person: string;
  readonly place: string;
}

/** Phrases are separated by `|`; languages written without spaces match them as substrings. */
const CUES: Readonly<Record<string, Cues>> = {
  en: {
    words: `what which who whom whose when where why how whats is are was were do does did can could would
      should will shall much many kind type name called call`,
    date: '',
    number: '',
    person: '',
    place: 'where|in what city|in which city|in what country|in which country',
  },
  de: {
    words: `was wer wen wem wessen wo wann warum wie welche welcher welches welchem welchen wieviel wieviele
      viele viel woher wohin wozu weshalb wieso womit wodurch worauf worin gibt es`,
    date: 'wann|in welchem jahr|welchem jahr|welches jahr|in welchem jahrhundert|seit wann|bis wann|welchem jahrzehnt|an welchem tag|welches datum',
    number:
      'wie viele|wie viel|wieviele|wieviel|wie hoch|wie groß|wie lang|wie weit|wie alt|wie oft|welchen anteil|wie schwer',
    person: 'wer|wen|wem|wessen',
    place: 'wo|woher|wohin|in welcher stadt|in welchem land',
  },
  es: {
    words:
      'qué que quién quiénes quien cuándo cuando dónde donde cómo cuál cuáles cuánto cuántos cuánta cuántas',
    date: 'cuándo|en qué año|qué año|en qué siglo|qué siglo|en qué década|en qué fecha|qué fecha',
    number: 'cuántos|cuántas|cuánto|cuánta|qué porcentaje|qué cantidad',
    person: 'quién|quiénes',
    place: 'dónde|en qué ciudad|en qué país',
  },
  fr: {
    words: 'qui que quoi où quand pourquoi comment quel quelle quels quelles combien lequel laquelle est-ce',
    date: 'quand|en quelle année|quelle année|quel siècle|en quel siècle|quelle date',
    number: 'combien|quel pourcentage|quelle proportion',
    person: 'qui',
    place: 'où',
  },
  it: {
    words: 'che cosa chi quando dove perché come quale quali quanto quanti quanta quante',
    date: 'quando|in che anno|in quale anno|che anno|quale anno|in che secolo',
    number: 'quanti|quante|quanto|quanta|quale percentuale',
    person: 'chi',
    place: 'dove',
  },
  pt: {
    words: 'que quê quem quando onde como qual quais quanto quantos quanta quantas',
    date: 'quando|em que ano|que ano|qual ano|em que século',
    number: 'quantos|quantas|quanto|quanta|qual percentagem|qual porcentagem',
    person: 'quem',
    place: 'onde',
  },
  ru: {
    words: `что кто кого кому кем чей чья чье чьи где когда почему зачем как какой какая какое какие каком
      какого какую сколько откуда куда ли`,
    date: 'когда|в каком году|каком году|какой год|в каком веке|в каком месяце|какого числа',
    number: 'сколько|какой процент|какая доля',
    person: 'кто|кого|кому|кем|чей|чья',
    place: 'где|откуда|куда|в каком городе|в какой стране',
  },
  ro: {
    words: 'ce cine când unde cum care cât câtă câți câte căruia căreia cărui',
    date: 'când|în ce an|ce an|în care an|în ce secol|în ce lună',
    number: 'câți|câte|cât|câtă|ce procent',
    person: 'cine|pe cine|cui',
    place: 'unde',
  },
  tr: {
    words: `ne kim kimi kime kimin nerede nereye nereden neden niçin niye nasıl hangi kaç zaman nedir neydi
      kimdir kimdi nerededir neyi neyin nelerdir kimleri hangisi mı mi mu mü`,
    date: 'ne zaman|hangi yıl|hangi yılda|hangi yüzyıl|hangi tarihte|hangi tarih|hangi ay',
    number: 'kaç|ne kadar|yüzde kaç',
    person: 'kim|kimi|kime|kimin|kimdir|kimdi|kimler|kimleri',
    place: 'nerede|nereye|nereden|nerededir|hangi şehir|hangi ülke',
  },
  vi: {
    words: 'gì cái ai đâu nào khi bao nhiêu tại sao vì thế mấy là',
    date: 'khi nào|năm nào|bao giờ|thế kỷ nào|lúc nào|ngày nào',
    number: 'bao nhiêu|mấy',
    person: 'ai',
    place: 'ở đâu|nơi nào',
  },
  el: {
    words: 'τι ποιος ποια ποιο ποιοι ποιες ποιων ποιον ποιου που πότε πώς γιατί πόσο πόσα πόσοι πόσες πόση',
    date: 'πότε|ποιο έτος|σε ποιο έτος|ποια χρονιά|ποιον αιώνα|ποια ημερομηνία',
    number: 'πόσοι|πόσες|πόσα|πόσο|πόση|ποιο ποσοστό',
    person: 'ποιος|ποιον|ποιοι|ποιου',
    place: 'πού',
  },
  ar: {
    words: 'ما ماذا من متى أين كيف لماذا كم أي هل هو هي هم',
    date: 'متى|في أي عام|أي عام|في أي سنة|أي سنة|أي قرن',
    number: 'كم|ما عدد|ما هو عدد|ما نسبة',
    person: 'من هو|من هي|من هم',
    place: 'أين',
  },
  hi: {
    words: 'क्या कौन किसने किसको किसका किसकी किसके कब कहाँ कहां कैसे क्यों कितना कितने कितनी किस किन कौनसा कौनसी',
    date: 'कब|किस वर्ष|किस साल|किस सदी|किस शताब्दी|किस तारीख',
    number: 'कितना|कितने|कितनी',
    person: 'कौन|किसने|किसको|किसका|किसकी|किसके',
    place: 'कहाँ|कहां',
  },
  zh: {
    words: '什么 谁 哪 哪里 哪儿 何时 什么时候 多少 几 怎么 怎样 为什么 如何 哪个 哪些 何 吗 呢 是',
    date: '什么时候|何时|哪一年|哪年|哪个世纪|几年|年份|哪一天|哪天|何年',
    number: '多少|几|百分之几',
    person: '谁|何人',
    place: '哪里|哪儿|何处|在哪',
  },
  ja: {
    words: '何 なに なん 誰 だれ どこ いつ どう なぜ どの どれ いくつ いくら か',
    date: 'いつ|何年|何世紀|何月|何日',
    number: 'いくつ|いくら|何人|何個|どのくらい|何パーセント',
    person: '誰|だれ',
    place: 'どこ',
  },
  ko: {
    words: '무엇 누구 누가 어디 언제 어떻게 왜 몇 얼마 어느',
    date: '언제|몇 년|어느 해',
    number: '몇|얼마',
    person: '누구|누가',
    place: '어디',
  },
  th: {
    words: 'อะไร ใคร ที่ไหน เมื่อไร เมื่อไหร่ อย่างไร ทำไม เท่าไร เท่าไหร่ กี่ ไหน ใด คือ',
    date: 'เมื่อไร|เมื่อไหร่|ปีใด|ปีไหน|ปีอะไร|ศตวรรษใด|ช่วงใด|วันใด',
    number: 'เท่าไร|เท่าไหร่|กี่|เท่าใด',
    person: 'ใคร',
    place: 'ที่ไหน|ที่ใด|ประเทศใด|เมืองใด',
  },
};

const SPACELESS = new Set(['zh', 'ja', 'th', 'lo', 'km', 'my']);
const TYPES: readonly AnswerType[] = ['date', 'number', 'person', 'place'];

interface FoldedCues {
  readonly words: ReadonlySet<string>;
  readonly phrases: ReadonlyArray<readonly [AnswerType, string]>;
}

const folded = new Map<string, FoldedCues | null>();

function cuesFor(primary: string): FoldedCues | null {
  let cues = folded.get(primary);
  if (cues === undefined) {
    const raw = CUES[primary];
    cues = raw
      ? {
          words: new Set(
            [raw.words, ...TYPES.map((t) => raw[t].replace(/\|/gu, ' '))]
              .join(' ')
              .split(/\s+/u)
              .filter(Boolean)
              .map((w) => foldWord(w, primary)),
          ),
          phrases: TYPES.flatMap((type) =>
            raw[type]
              .split('|')
              .filter(Boolean)
              .map((p) => [type, foldPhrase(p, primary)] as const),
          ),
        }
      : null;
    folded.set(primary, cues);
  }
  return cues;
}

function foldPhrase(text: string, primary: string): string {
  if (SPACELESS.has(primary)) return foldWord(text, primary);
  return splitWords(text, primary)
    .map((w) => foldWord(w.text, primary))
    .join(' ');
}

/** Words of `lang` (BCP 47; null: English) that only shape a question, folded as terms fold words. */
export function questionWordsFor(lang: string | null): ReadonlySet<string> {
  return cuesFor(primaryLanguage(lang))?.words ?? NO_WORDS;
}

const NO_WORDS: ReadonlySet<string> = new Set();

/**
 * English question openings and answer words, case-insensitive: tested on `foldAsciiCase(text)`,
 * hence lower-case and without the `i` flag (an `iu` pattern costs V8 its Unicode case closure).
 */
export const NUMBER_QUESTION =
  /^(?:how (?:many|much|long|far|old|large|big|tall|high|wide|deep|often|fast|heavy|large)|what (?:percentage|percent|proportion|number|amount|size|length|height|width|depth|population|age|temperature|speed|distance|cost|price|fraction|ratio)\b|(?:at|by|to) (?:what|how) (?:much|many|temperature|speed|rate)\b)/u;
export const DATE_QUESTION =
  /^(?:when\b|(?:in|by|during|since|until|from) (?:what|which) (?:year|years|date|century|decade|month|day|period|era|time)\b|(?:what|which) (?:year|date|century|decade|month|day|time)\b)/u;
export const PERSON_QUESTION = /^(?:who|whom|whose)\b/u;

export const NUMBER_WORDS =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen|half|twice|thrice|single|double|triple|several|few|many|percent)\b/u;
export const DATE_WORDS =
  /\b\d{3,4}s?\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|centuries|decade|today|yesterday|tomorrow|spring|summer|autumn|fall|winter|bc|ad|era|age|period|dynasty|reign|after|before|during|until|since|ago)\b/u;
export const PERSON_PRONOUN = /\b(?:he|she|they|who)\b/u;

/**
 * The answer type `question` asks for in `lang` (BCP 47; null: English), or null when its wording
 * does not say. English questions are read by their opening words; other languages by a question
 * phrase anywhere (Turkish and Japanese put it last).
 */
export function expectedAnswerType(question: string, lang: string | null): AnswerType | null {
  const primary = primaryLanguage(lang);
  const q = question.trim();
  if (primary === 'en') {
    const folded = foldAsciiCase(q);
    if (DATE_QUESTION.test(folded)) return 'date';
    if (NUMBER_QUESTION.test(folded)) return 'number';
    if (PERSON_QUESTION.test(folded)) return 'person';
  }
  const cues = cuesFor(primary);
  if (!cues) return null;
  const text = SPACELESS.has(primary) ? foldWord(q, primary) : ` ${foldPhrase(q, primary)} `;
  for (const [type, phrase] of cues.phrases) {
    if (SPACELESS.has(primary) ? text.includes(phrase) : text.includes(` ${phrase} `)) return type;
  }
  return null;
}

/** Scripts with letter case, where a capital inside a sentence marks a name. */
const CASED = lazyPattern(() => /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u);
const YEARISH = lazyPattern(() => /(?<!\p{Nd})\p{Nd}{3,4}(?!\p{Nd})/u);
const DIGIT = lazyPattern(() => /\p{Nd}/u);

/**
 * True when `sentence` (in `lang`) holds something of `type` that the question does not already
 * name: a number (digits in any script; English number words), a date (a year, a month of the
 * language, English date words), a person or place (a capitalized word the question lacks, in
 * scripts with case; in others, which cannot tell, always true).
 */
export function holdsAnswerType(
  sentence: string,
  type: AnswerType,
  question: string,
  lang: string | null = null,
): boolean {
  const primary = primaryLanguage(lang);
  switch (type) {
    case 'number':
      return primary === 'en' ? NUMBER_WORDS.test(foldAsciiCase(sentence)) : DIGIT().test(sentence);
    case 'date':
      if (primary === 'en') return DATE_WORDS.test(foldAsciiCase(sentence));
      return YEARISH().test(sentence) || monthsOf(primary).some((m) => sentence.toLowerCase().includes(m));
    case 'person':
    case 'place': {
      if (!CASED().test(sentence)) return true;
      const asked = new Set(question.toLowerCase().match(/\p{L}+/gu) ?? []);
      const names = sentence.match(/(?<=\s)\p{Lu}\p{Ll}+/gu) ?? [];
      return (
        names.some((name) => !asked.has(name.toLowerCase())) ||
        (type === 'person' && primary === 'en' && PERSON_PRONOUN.test(foldAsciiCase(sentence)))
      );
    }
  }
}

const months = new Map<string, readonly string[]>();

/** The month names of a language, long and short forms, lower-case, from `Intl.DateTimeFormat`. */
function monthsOf(primary: string): readonly string[] {
  let names = months.get(primary);
  if (!names) {
    const out = new Set<string>();
    for (const month of ['long', 'short'] as const) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat(primary, { month, timeZone: 'UTC' });
      } catch {
        break;
      }
      for (let m = 0; m < 12; m++) {
        const name = format
          .format(Date.UTC(2021, m, 15))
          .toLowerCase()
          .replace(/\.$/u, '');
        if (name.length >= 3 && !/^\p{Nd}+$/u.test(name)) out.add(name);
      }
    }
    names = [...out];
    months.set(primary, names);
  }
  return names;
}

/** Case-insensitive: tested on `foldAsciiCase(text)`, hence lower-case and without the `i` flag. */
export const NEGATION = /\b(?:not|never|no|none|nor|neither|without)\b|n['’]t\b/u;

/** A question asking what is *not* so, over a sentence saying nothing negative, is a trap (English). */
export function negationMismatch(question: string, sentence: string): boolean {
  return NEGATION.test(foldAsciiCase(question)) && !NEGATION.test(foldAsciiCase(sentence));
}
