import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why an address is refused, as reported in `blocked_address` details (`details.rule`). Stable
 * strings: they appear in logs and in the URL evaluation's table.
 */
export type AddressRule =
  | 'not_an_ip'
  | 'zone_id'
  | 'cloud_metadata'
  | 'unspecified'
  | 'broadcast'
  | 'multicast'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'carrier_grade_nat'
  | 'unique_local'
  | 'site_local'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'ipv4_mapped'
  | 'ipv4_translated'
  | 'ipv4_compatible'
  | 'nat64'
  | '6to4'
  | 'teredo'
  | 'not_global_unicast';

/** Instance-metadata endpoints, named separately so logs say what was being reached for. */
const CLOUD_METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

const DOCUMENTATION: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[] = [
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '2001:db8::/32',
  '3fff::/20',
].map((cidr) => ipaddr.parseCIDR(cidr));

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const RANGE_RULES: Readonly<Record<string, AddressRule>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link_local',
  carrierGradeNat: 'carrier_grade_nat',
  uniqueLocal: 'unique_local',
  deprecatedSiteLocal: 'site_local',
  benchmarking: 'benchmarking',
  ipv4Mapped: 'ipv4_mapped',
  rfc6145: 'ipv4_translated',
  rfc6052: 'nat64',
  '6to4': '6to4',
  teredo: 'teredo',
};

function inAny(
  ip: ipaddr.IPv4 | ipaddr.IPv6,
  ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[],
) {
  return ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
}

/**
 * The rule that refuses `address`, or null when it is public unicast. Accepts only canonical IP
 * literals as `net.isIP` does (dotted-decimal IPv4, IPv6 without brackets); anything else, including
 * `0177.0.0.1` or `127.1`, is `not_an_ip` (WHATWG URL parsing has already turned those into
 * dotted decimal by the time a URL host reaches this check).
 *
 * Policy: IPv4 must be in no special-purpose range known to ipaddr.js (loopback, RFC 1918, link-local,
 * CGNAT, multicast, broadcast, 0/8, 240/4, documentation, benchmarking, 192.0.0/24, 6to4 relay…).
 * IPv6 must be in 2000::/3 and in none of its special ranges: this refuses IPv4-mapped,
 * IPv4-compatible and NAT64 (64:ff9b::/96, 64:ff9b:1::/48) whatever IPv4 they embed, and all 6to4
 * (2002::/16) and Teredo (2001::/32) — tunnels a public article never needs. A host on a DNS64
 * network that must reach NAT64 addresses can allow-list `64:ff9b::/96`.
 */
export function addressRule(address: string): AddressRule | null {
  const version = isIP(address);
  if (version === 0) return 'not_an_ip';
  if (address.includes('%')) return 'zone_id';
  const ip = parseIp(address);
  const canonical = ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString();
  if (CLOUD_METADATA.has(canonical)) return 'cloud_metadata';
  if (inAny(ip, DOCUMENTATION)) return 'documentation';
  const range = ip.range();
  if (range !== 'unicast') return RANGE_RULES[range] ?? 'reserved';
  if (ip.kind() === 'ipv6') {
    const parts = (ip as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((p) => p === 0)) return 'ipv4_compatible';
    if (!ip.match(GLOBAL_UNICAST_V6)) return 'not_global_unicast';
  }
  return null;
}

/**
 * Parses a literal `net.isIP` accepts. IPv6 goes through WHATWG serialization first because
 * ipaddr.js reads `::a.b.c.d` (IPv4-compatible) as `::ffff:a.b.c.d` (IPv4-mapped).
 */
function parseIp(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (isIP(address) !== 6 || address.includes('%')) return ipaddr.parse(address);
  return ipaddr.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1));
}

/** True when `address` is a canonical IP literal that may be connected to without an allow-list. */
export function isPublicAddress(address: string): boolean {
  return addressRule(address) === null;
}

/**
 * An opt-in allow-list: exact host names, `*.suffix` wildcards (subdomains only), IP literals and
 * CIDR networks (`127.0.0.1/32`, `10.0.0.0/8`, `fd00::/8`). Allowing a name trusts every address it
 * resolves to; allowing a network trusts those addresses whatever name led there.
 */
export interface AllowList {
  allowsName(hostname: string): boolean;
  allowsAddress(address: string): boolean;
  readonly empty: boolean;
}

/** Lowercases and drops one trailing dot, so `Example.COM.` and `example.com` compare equal. */
export function canonicalHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * Parses allow-list entries. Throws TypeError on an entry that is neither a host name, an IP nor a
 * CIDR network: a misspelt allow-list is a configuration bug, and silently ignoring it would hide
 * that the operator's intent is not in effect.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const networks: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const literal = entry.replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValidCIDR(literal)) {
      networks.push(ipaddr.parseCIDR(literal));
    } else if (isIP(literal) !== 0) {
      const ip = ipaddr.parse(literal);
      networks.push([ip, ip.kind() === 'ipv4' ? 32 : 128]);
    } else {
      const name = canonicalHostname(entry);
      if (!HOSTNAME_PATTERN.test(name))
        throw new TypeError(`allow-list entry "${entry}" is not a host name, IP or CIDR`);
      if (name.startsWith('*.')) suffixes.push(name.slice(1));
      else names.add(name);
    }
  }
  return {
    empty: names.size === 0 && suffixes.length === 0 && networks.length === 0,
    allowsName(hostname) {
      const name = canonicalHostname(hostname);
      return names.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
    },
    allowsAddress(address) {
      if (networks.length === 0 || isIP(address) === 0) return false;
      const ip = parseIp(address);
      if (inAny(ip, networks)) return true;
      return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()
        ? inAny((ip as ipaddr.IPv6).toIPv4Address(), networks)
        : false;
    },
  };
}
