import { isIP } from 'node:net';
import { fail, ok, type Result } from '../../core/result.js';
import { type AllowList, addressRule, canonicalHostname, parseAllowList } from './address.js';

export { normalizeRequestUrl } from './normalize-url.js';

/** Ports fetched from without configuration; `allowedPorts` adds to these. */
export const DEFAULT_PORTS: readonly number[] = [80, 443];

/** Longer inputs are refused before parsing (a pasted link is never this long). Characters. */
export const MAX_URL_LENGTH = 8192;

/**
 * Top-level and second-level suffixes that only resolve inside a network (RFC 6761/6762/8375, ICANN's
 * `.internal`, common intranet conventions, Kubernetes service names) or never resolve at all.
 */
const LOCAL_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'home.arpa',
  'arpa',
  'localdomain',
  'lan',
  'home',
  'corp',
  'intranet',
  'private',
  'svc',
  'onion',
  'test',
  'invalid',
  'alt',
];

/** The checks shared by every hop of a fetch: the allow-list and the ports. Build once per fetch. */
export interface AccessPolicy {
  readonly allow: AllowList;
  readonly ports: ReadonlySet<number>;
}

export function createAccessPolicy(allow: readonly string[], allowedPorts: readonly number[]): AccessPolicy {
  return { allow: parseAllowList(allow), ports: new Set([...DEFAULT_PORTS, ...allowedPorts]) };
}

/** Why a host name is refused by name alone, or null. Expects a lowercase name without brackets. */
export function nameRule(hostname: string): 'local_name' | 'single_label' | null {
  const name = canonicalHostname(hostname);
  if (!name.includes('.')) return name === 'localhost' ? 'local_name' : 'single_label';
  return LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))
    ? 'local_name'
    : null;
}

/** The host of a parsed URL without IPv6 brackets: what a connection would be made to. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks an already parsed URL against the policy: scheme, credentials, port, and the host — IP
 * literals against the address rules, names against the name rules. No DNS. Used for the first URL
 * and for every redirect hop.
 */
export function checkParsedUrl(url: URL, policy: AccessPolicy): Result<URL> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('invalid_url', 'Only http and https links can be fetched.', {
      reason: 'scheme',
      scheme: url.protocol.slice(0, -1).slice(0, 40),
    });
  }
  if (url.username !== '' || url.password !== '') {
    return fail('invalid_url', 'Links with a user name or password in them are not fetched.', {
      reason: 'credentials',
    });
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!policy.ports.has(port)) {
    return fail('blocked_address', `Links to port ${port} are not fetched.`, { rule: 'port', port });
  }
  const host = bareHost(url);
  if (isIP(host) !== 0) {
    if (policy.allow.allowsAddress(host)) return ok(url);
    const rule = addressRule(host);
    if (rule !== null) {
      return fail('blocked_address', 'That link points at a private or reserved address.', {
        rule,
        address: host,
      });
    }
    return ok(url);
  }
  if (policy.allow.allowsName(host)) return ok(url);
  const rule = nameRule(host);
  if (rule !== null) {
    return fail('blocked_address', 'That link points at a local or internal host name.', {
      rule,
      host: host.slice(0, 253),
    });
  }
  return ok(url);
}

/**
 * Parses and statically checks a link (see `checkParsedUrl`); no DNS, no connection. Input is the
 * text a user gave; WHATWG parsing normalizes decimal/octal/hex/short IPv4 forms, IDN and
 * percent-encoded hosts before the checks run. Failures: `invalid_url` (details.reason: `too_long`,
 * `unparsable`, `scheme`, `credentials`), `blocked_address` (details.rule).
 */
export function checkUrl(
  url: string,
  options: { allow: readonly string[]; allowedPorts: readonly number[] },
): Result<URL> {
  const parsed = parseUrl(url);
  if (!parsed.ok) return parsed;
  return checkParsedUrl(parsed.value, createAccessPolicy(options.allow, options.allowedPorts));
}

export function parseUrl(url: string): Result<URL> {
  if (url.length > MAX_URL_LENGTH) {
    return fail('invalid_url', 'That link is too long.', { reason: 'too_long', length: url.length });
  }
  try {
    return ok(new URL(url.trim()));
  } catch {
    return fail('invalid_url', 'That does not look like a link.', { reason: 'unparsable' });
  }
}
