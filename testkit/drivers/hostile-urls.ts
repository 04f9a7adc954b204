// Runs hostile URLs through the real fetchDocument with resolvers that answer as an attacker would,
// and a transport that counts connection attempts and fails them at once (nothing ever leaves the
// process). Run over <shared>/corpus/urls/*.txt by `npm run eval:urls` (scripts/eval-urls.ts), and
// over a sample by test/article/fetch/hostile-urls.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type Connector,
  type FetchOptions,
  fetchDocument,
  type Resolver,
} from '../../src/article/fetch/index.js';

export interface HostileUrl {
  readonly file: string;
  readonly url: string;
}

/**
 * Public-looking names that pass every static check, so only the connect-time check of the
 * resolver's answer can refuse them. Appended to the corpus as the `dns_names` file.
 */
export const DNS_NAME_URLS: readonly HostileUrl[] = [
  'http://attacker.example.com/',
  'https://rebind.example.net/latest/meta-data/',
  'http://169.254.169.254.nip.io/',
  'http://localtest.me/',
  'http://spoofed.burpcollaborator.net/',
  'https://xn--n3h.example.org/',
  'http://example.com./',
].map((url) => ({ file: 'dns_names', url }));

/** Name → addresses an attacker controlling DNS would answer with; `refuse` answers nothing. */
export const ATTACKER_RESOLVERS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1'],
  private: ['10.0.0.1'],
  metadata: ['169.254.169.254'],
  'ipv6-loopback': ['::1'],
  'aws-ipv6-metadata': ['fd00:ec2::254'],
  'mapped-loopback': ['::ffff:127.0.0.1'],
  'public-then-private': ['93.184.216.34', '10.0.0.1'],
  refuse: [],
};

export interface HostileOutcome {
  readonly file: string;
  readonly url: string;
  readonly resolver: string;
  /** The failure code, or `ok` when the fetch succeeded (it never should). */
  readonly code: string;
  readonly rule: string | null;
  readonly connections: number;
}

export interface HostileReport {
  readonly outcomes: readonly HostileOutcome[];
  readonly connectionAttempts: number;
  /** Outcomes that were not a failure with zero connection attempts. */
  readonly notRefused: readonly HostileOutcome[];
}

/** Reads every `*.txt` in `dir`: one URL a line, blank lines skipped, nothing trimmed inside. */
export function readUrlFiles(dir: string): HostileUrl[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((url) => ({ file: basename(name, '.txt'), url })),
    );
}

/** Runs each URL once per attacker resolver; counts connection attempts per run. */
export async function runHostileUrls(urls: readonly HostileUrl[]): Promise<HostileReport> {
  const outcomes: HostileOutcome[] = [];
  let connectionAttempts = 0;
  for (const { file, url } of urls) {
    for (const [name, addresses] of Object.entries(ATTACKER_RESOLVERS)) {
      let connections = 0;
      const connector: Connector = (_options, callback) => {
        connections++;
        callback(new Error('eval-urls: connections are never made'), null);
      };
      const resolver: Resolver = async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
      const options: FetchOptions = {
        allow: [],
        allowedPorts: [],
        timeoutMs: 2000,
        connectTimeoutMs: 500,
        maxHtmlBytes: 1_000_000,
        maxPdfBytes: 1_000_000,
        resolver,
        connector,
      };
      const result = await fetchDocument(url, options);
      connectionAttempts += connections;
      const rule = result.ok
        ? null
        : String(result.error.details?.rule ?? result.error.details?.reason ?? '');
      outcomes.push({
        file,
        url,
        resolver: name,
        code: result.ok ? 'ok' : result.error.code,
        rule,
        connections,
      });
    }
  }
  return {
    outcomes,
    connectionAttempts,
    notRefused: outcomes.filter((o) => o.code === 'ok' || o.connections > 0),
  };
}
