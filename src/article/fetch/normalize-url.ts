/* Kept apart from url.ts (which loads the address checks and ipaddr.js): the use cases key links
   with it, and the command line loads only what it runs. */

/**
 * A cache key for a link: parsed and re-serialized (so the host is lowercase, IDN is punycode and
 * default ports are gone), fragment dropped, `utm_*` query parameters removed; everything else,
 * including parameter order and encoding, kept as is. Unparsable input is returned trimmed.
 */
export function normalizeRequestUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  parsed.hash = '';
  if (parsed.search !== '') {
    const kept = parsed.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParameter(pair));
    parsed.search = kept.length === 0 ? '' : `?${kept.join('&')}`;
  }
  return parsed.href;
}

function isTrackingParameter(pair: string): boolean {
  const key = pair.split('=', 1)[0] ?? '';
  let decoded = key;
  try {
    decoded = decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    // a malformed escape is kept as written
  }
  return decoded.toLowerCase().startsWith('utm_');
}
