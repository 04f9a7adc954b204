/**
 * Languages offered by `/summarize language:` and `/settings language:` (Discord allows 25 choices):
 * the article's own (`original`), then 24 languages by their own names. Anyone else gets their
 * Discord language by default.
 */
const LANGUAGES: readonly (readonly [name: string, value: string])[] = [
  ['The article’s own language', 'original'],
  ['English', 'en'],
  ['Español', 'es'],
  ['Français', 'fr'],
  ['Deutsch', 'de'],
  ['Italiano', 'it'],
  ['Português', 'pt'],
  ['Nederlands', 'nl'],
  ['Polski', 'pl'],
  ['Русский', 'ru'],
  ['Українська', 'uk'],
  ['Türkçe', 'tr'],
  ['العربية', 'ar'],
  ['हिन्दी', 'hi'],
  ['日本語', 'ja'],
  ['한국어', 'ko'],
  ['中文（简体）', 'zh-CN'],
  ['中文（繁體）', 'zh-TW'],
  ['Svenska', 'sv'],
  ['Norsk', 'no'],
  ['Dansk', 'da'],
  ['Suomi', 'fi'],
  ['Čeština', 'cs'],
  ['Ελληνικά', 'el'],
  ['Română', 'ro'],
];

/** `LANGUAGES` as a command option's choices. */
export const LANGUAGE_CHOICES = LANGUAGES.map(([name, value]) => ({ name, value }));

/** The summary lengths offered by `/summarize length:` and `/settings length:`. */
export const LENGTH_CHOICES = [
  { name: 'Short', value: 'short' },
  { name: 'Standard', value: 'standard' },
  { name: 'Detailed', value: 'detailed' },
];
