/** Words of a quote used for each end of a text fragment when the quote is long. */
const EDGE_WORDS = 5;
/** A quote of at most this many words is matched whole. */
const WHOLE_WORDS = 10;

/**
 * Percent-encodes a text-directive term: `encodeURIComponent` plus the characters the Text
 * Fragments spec reserves inside a directive (`-`, and `,` and `&` which encodeURIComponent already
 * encodes) and those that would end a Markdown link (`(`, `)`) or trouble chat clients (`!`, `'`, `*`).
 */
export function encodeFragmentTerm(term: string): string {
  return encodeURIComponent(term).replace(
    /[-!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/**
 * A link that opens `pageUrl` scrolled to `quote` (`#:~:text=start,end`, WICG Text Fragments): the
 * whole quote when short, else its first and last few words. Null for non-web URLs or empty quotes.
 * Browsers without support simply open the page.
 */
export function textFragmentUrl(pageUrl: string, quote: string): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const words = quote.replace(/\s+/gu, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) return null;
  url.hash = '';
  const base = url.href.replace(/#$/u, '');
  const directive =
    words.length <= WHOLE_WORDS
      ? encodeFragmentTerm(words.join(' '))
      : `${encodeFragmentTerm(words.slice(0, EDGE_WORDS).join(' '))},${encodeFragmentTerm(words.slice(-EDGE_WORDS).join(' '))}`;
  return `${base}#:~:text=${directive}`;
}
