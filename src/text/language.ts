/**
 * A cheap guess of the language of `text` from its script and, for Latin script, its most common
 * function words: enough to pick stop words and segmentation rules when a page declares no
 * language. Returns a BCP 47 primary tag, or null when unsure. Reads at most the first 20,000
 * characters.
 */
export function guessLanguage(text: string): string | null {
  const sample = text.slice(0, 20_000);
  const count = (re: RegExp) => sample.match(re)?.length ?? 0;
  const kana = count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const scripts: Array<[string, number]> = [
    ['ja', kana > 0 ? kana + count(/\p{Script=Han}/gu) : 0],
    ['zh', kana > 0 ? 0 : count(/\p{Script=Han}/gu) * 2],
    ['ko', count(/\p{Script=Hangul}/gu)],
    ['ru', count(/\p{Script=Cyrillic}/gu)],
    ['ar', count(/\p{Script=Arabic}/gu)],
    ['he', count(/\p{Script=Hebrew}/gu)],
    ['el', count(/\p{Script=Greek}/gu)],
    ['th', count(/\p{Script=Thai}/gu)],
    ['hi', count(/\p{Script=Devanagari}/gu)],
    ['latin', count(/\p{Script=Latin}/gu)],
  ];
  scripts.sort((a, b) => b[1] - a[1]);
  const [top, n] = scripts[0] ?? ['latin', 0];
  if (n === 0) return null;
  if (top !== 'latin') return top;

  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  let best: string | null = null;
  let bestHits = 0;
  for (const [lang, markers] of LATIN_MARKERS) {
    const hits = words.reduce((h, w) => (markers.has(w) ? h + 1 : h), 0);
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  return bestHits * 20 >= words.length && bestHits >= 2 ? best : null;
}

const LATIN_MARKERS: ReadonlyArray<[string, ReadonlySet<string>]> = [
  ['en', 'the of and to in is that for it was on with as are by this be'],
  ['de', 'der die und das ist nicht mit den von zu sich des ein eine auf'],
  ['fr', 'le la les et des est une pour que dans qui du au sur pas'],
  ['es', 'el los las del que por una para con es se lo como pero'],
  ['it', 'il di che della per una sono gli nel con non anche alla'],
  ['pt', 'o os da do que em um uma para com não são dos pelo'],
  ['nl', 'de het een van en dat niet zijn op voor met ook maar'],
].map(([lang, words]) => [lang as string, new Set((words as string).split(' '))]);
