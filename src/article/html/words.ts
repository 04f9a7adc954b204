const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;

/**
 * Words in a text: runs of letters and digits, with Chinese and Japanese (written without spaces)
 * counted as one word per two characters, so length thresholds mean the same in every language.
 */
export function countWords(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const rest = text.replace(CJK, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return rest + Math.ceil(cjk / 2);
}
