/**
 * Function words that carry no topic, per language (BCP 47 primary tag), lower-case. Kept short on
 * purpose: dropping a word that matters costs more than keeping one that doesn't. The English list
 * also holds the reporting verbs and hedges news wraps around facts (`said`, `according`), which
 * the support check must not count as content.
 */
const STOP_WORDS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    en: `a about above after again against all also am an and any are aren't as at be because been before
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
      several among across around amid like unlike via ones however`,
    ru: `и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было
      вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь
      опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам
      чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь
      этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой
      хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо
      свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также`,
    de: `der die das und ist nicht mit den von zu sich des ein eine einer eines einem einen auf für im in an
      als auch es er sie wir ihr dem bei oder wie aus nach so aber noch wird werden wurde hat haben sind war
      nur um am vor über zum zur durch dass was wenn man`,
    fr: `le la les et des est une un pour que dans qui du au aux sur pas ne se ce ces il elle ils elles en
      de par plus avec son sa ses leur leurs mais ou où été être a ont sont comme nous vous on`,
    es: `el la los las del que por una un para con es se lo como pero de en y a al no su sus le les más ha
      han fue ser este esta esto son era muy sin sobre también`,
    zh: '的 了 是 在 和 也 有 就 不 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 这 那 之 于 把 被 让 从 对',
    ja: 'の に は を た が で て と し れ さ ある いる も する から な こと として い や れる など なっ ない この ため その あっ よう また',
  }).map(([lang, words]) => [lang, new Set(words.split(/\s+/u).filter(Boolean))]),
);

const NONE: ReadonlySet<string> = new Set();

/** The stop words of `lang` (a BCP 47 tag; null: English), empty for a language without a list. */
export function stopWordsFor(lang: string | null): ReadonlySet<string> {
  return STOP_WORDS.get(primaryLanguage(lang)) ?? NONE;
}

/** The primary language subtag of a BCP 47 tag, lower-case (`pt-BR` → `pt`); null → `en`. */
export function primaryLanguage(lang: string | null | undefined): string {
  return (lang ?? 'en').trim().toLowerCase().split(/[-_]/u)[0] || 'en';
}
