import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { buildConnector } from 'undici';
import { type AddressRule, addressRule } from './address.js';
import { type AccessPolicy, nameRule } from './url.js';

/**
 * Resolves a host name to addresses. Injected in tests and evaluations; the default asks the
 * system resolver (`dns.lookup`, so /etc/hosts applies). An empty list means "no such host".
 */
export type Resolver = (hostname: string) => Promise<readonly { address: string; family: 4 | 6 }[]>;

/**
 * Opens the transport connection (TCP, plus TLS for https) to `options.hostname`, which the pinned
 * connector has already replaced by a checked IP address. Undici's connector signature; the default
 * is undici's own `buildConnector`. Tests and the URL evaluation inject one that counts attempts.
 */
export type Connector = buildConnector.connector;
export type ConnectorOptions = buildConnector.Options;

/** System resolution, IPv4 first (an unreachable IPv6 route then costs nothing when IPv4 works). */
export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  const addresses = found.map(
    (entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }) as const,
  );
  return [...addresses.filter((a) => a.family === 4), ...addresses.filter((a) => a.family === 6)];
};

/** A connection was refused by the SSRF guard; carries the rule for `blocked_address` details. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  constructor(
    readonly rule: AddressRule | 'local_name' | 'single_label',
    readonly host: string,
    readonly address: string | null,
  ) {
    super(`connection to ${address ?? host} refused: ${rule}`);
  }
}

/** Name resolution failed or found nothing. */
export class ResolveError extends Error {
  override readonly name = 'ResolveError';
  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`cannot resolve ${host}: ${code}`);
  }
}

/** The transport could not connect to any checked address; `cause` is the last transport error. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly host: string,
    cause: Error,
  ) {
    super(`cannot connect to ${host}: ${cause.message}`, { cause });
  }
}

/** Name resolution took longer than the connect timeout. */
export class ResolveTimeoutError extends Error {
  override readonly name = 'ResolveTimeoutError';
  constructor(readonly host: string) {
    super(`resolving ${host} timed out`);
  }
}

export interface PinnedConnectorOptions {
  readonly policy: AccessPolicy;
  readonly resolver: Resolver;
  /** Milliseconds allowed for name resolution (the transport connector has its own connect timeout). */
  readonly resolveTimeoutMs: number;
  readonly transport: Connector;
}

/**
 * The SSRF guard at connect time. Every new connection — first request and redirects alike —
 * resolves the host here, checks every address, and hands the transport a checked IP literal, so
 * the address connected to is the address checked (DNS rebinding has no second lookup to exploit).
 * A name whose resolution contains any non-public address is refused outright, rather than
 * connecting to its public addresses: mixed answers are an attack signature, not a real site.
 * Addresses are tried in the resolver's order until one connects. IP-literal hosts are checked
 * without resolution. TLS still verifies the certificate against the host name (SNI is kept).
 */
export function createPinnedConnector(options: PinnedConnectorOptions): Connector {
  const { policy, resolver, resolveTimeoutMs, transport } = options;
  return (connectOptions, callback) => {
    const host = connectOptions.hostname.endsWith('.')
      ? connectOptions.hostname.slice(0, -1)
      : connectOptions.hostname;
    if (isIP(host) !== 0) {
      const rule = policy.allow.allowsAddress(host) ? null : addressRule(host);
      if (rule !== null) return callback(new BlockedAddressError(rule, host, host), null);
      return tryAddresses(transport, connectOptions, [host], callback);
    }
    const nameAllowed = policy.allow.allowsName(host);
    const refusedName = nameAllowed ? null : nameRule(host);
    if (refusedName !== null) return callback(new BlockedAddressError(refusedName, host, null), null);
    resolveWithin(resolver, host, resolveTimeoutMs).then(
      (addresses) => {
        for (const { address } of addresses) {
          const rule = nameAllowed || policy.allow.allowsAddress(address) ? null : addressRule(address);
          if (rule !== null) return callback(new BlockedAddressError(rule, host, address), null);
        }
        const servername =
          connectOptions.protocol === 'https:'
            ? connectOptions.servername || host
            : connectOptions.servername;
        tryAddresses(
          transport,
          { ...connectOptions, ...(servername === undefined ? {} : { servername }) },
          addresses.map((a) => a.address),
          callback,
        );
      },
      (error: unknown) => callback(error instanceof Error ? error : new ResolveError(host, 'EUNKNOWN'), null),
    );
  };
}

function tryAddresses(
  transport: Connector,
  connectOptions: ConnectorOptions,
  addresses: readonly string[],
  callback: buildConnector.Callback,
): void {
  const [address, ...rest] = addresses;
  if (address === undefined) {
    callback(new ResolveError(connectOptions.hostname, 'ENOTFOUND'), null);
    return;
  }
  transport({ ...connectOptions, hostname: address }, (error, socket) => {
    if (error === null) callback(null, socket);
    else if (rest.length === 0) callback(new ConnectError(connectOptions.hostname, error), null);
    else tryAddresses(transport, connectOptions, rest, callback);
  });
}

async function resolveWithin(
  resolver: Resolver,
  host: string,
  timeoutMs: number,
): Promise<readonly { address: string; family: 4 | 6 }[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ResolveTimeoutError(host)), timeoutMs);
  });
  try {
    const addresses = await Promise.race([
      resolver(host).catch((error: unknown) => {
        const code =
          typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
            ? error.code
            : 'ENOTFOUND';
        throw new ResolveError(host, code);
      }),
      timeout,
    ]);
    if (addresses.length === 0) throw new ResolveError(host, 'ENOTFOUND');
    return addresses;
  } finally {
    clearTimeout(timer);
  }
}
