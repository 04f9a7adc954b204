/**
 * A light Russian stemmer: strips the reflexive `-ся/-сь`, then the longest common inflectional
 * ending, keeping at least three letters, so `метра`, `метров` and `метрах` meet as `метр`. Far
 * simpler than Snowball's; enough to match a question's words to an article's.
 */
export function russianStem(word: string): string {
  let w = word.replace(/ё/gu, 'е');
  if (w.length > 5 && /(?:ся|сь)$/u.test(w)) w = w.slice(0, -2);
  for (const ending of ENDINGS) {
    if (w.endsWith(ending) && w.length - ending.length >= 3) return w.slice(0, -ending.length);
  }
  return w;
}

/** Longest first, so `-ами` wins over `-и`. */
const ENDINGS = [
  'иями ями ами ого его ому ему ыми ими ией ать ять ить еть ует ают яют ила ыла ела ало ило али или',
  'ешь ете ишь ите ов ев ей ой ий ый ая яя ое ее ые ие ых их ым им ом ем ам ям ах ях ую юю ия ию ии',
  'ал ил ел ла ло ли ут ют ит ет ат ят ть а я о е ы и у ю ь й',
]
  .join(' ')
  .split(' ')
  .sort((a, b) => b.length - a.length);
