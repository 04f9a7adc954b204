/**
 * Shared `Intl.Segmenter` instances, one per (locale, granularity). A segmenter holds no per-call
 * state, so sharing them across requests is safe; building one costs ~0.1 ms, which adds up on
 * hot paths (every question, every chunk).
 */
export type Granularity = 'grapheme' | 'word' | 'sentence';

const cache = new Map<string, Intl.Segmenter>();

/** A BCP 47 tag Intl accepts, else `en` (sentence and word rules differ little between locales). */
export function segmenterLocale(locale: string | null | undefined): string {
  if (!locale) return 'en';
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export function segmenterFor(locale: string | null | undefined, granularity: Granularity): Intl.Segmenter {
  const key = `${locale ?? ''}\u0000${granularity}`;
  let segmenter = cache.get(key);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(segmenterLocale(locale), { granularity });
    cache.set(key, segmenter);
  }
  return segmenter;
}
