import { SUMMARY_LENGTHS } from '../engines/engine.js';
import type { SummaryOptions } from './requests/summary-request.js';

/**
 * Summary options as the data part of a custom id (Refresh carries the summary's, the paste form
 * the command's): `<length>:<lang>:<p|->`, e.g. `standard:pt-BR:-` (lang empty for the article's
 * own), at most 9 + 1 + 35 + 2 characters, so any prefix of ours stays within Discord's 100.
 */
export function encodeSummaryOptions(options: SummaryOptions): string {
  return `${options.length}:${(options.lang ?? '').slice(0, 35)}:${options.private ? 'p' : '-'}`;
}

/** The options `encodeSummaryOptions` made, or null when `data` is malformed. */
export function decodeSummaryOptions(data: string | null): SummaryOptions | null {
  if (data === null) return null;
  const [length, lang, priv] = data.split(':');
  const known = SUMMARY_LENGTHS.find((l) => l === length);
  if (!known || lang === undefined || (priv !== 'p' && priv !== '-')) return null;
  return { length: known, lang: lang === '' ? null : lang, private: priv === 'p' };
}
