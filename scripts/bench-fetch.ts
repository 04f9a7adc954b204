// Fetch + decode time of fetchDocument against a local server: a typical ~100 KB page and ~5 MB
// pages (UTF-8, gzip-encoded, windows-1251). Reports medians of `runs` runs after one warm-up.
//   node --import tsx scripts/bench-fetch.ts [runs]      (or node dist/scripts/bench-fetch.js)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { type FetchOptions, fetchDocument } from '../src/article/fetch/index.js';

export interface FetchFigure {
  readonly page: string;
  readonly bytes: number;
  readonly wireBytes: number;
  readonly runs: number;
  /** Milliseconds, median of the runs. */
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Decoded megabytes per second at the median. */
  readonly mbPerSecond: number;
}

const PARAGRAPH =
  '<p>The committee published its findings on Tuesday, saying that the proposal would be reviewed again in spring — «Комитет опубликовал выводы во вторник» — after public comments close.</p>\n';

function page(targetBytes: number, charset: string): string {
  const head = `<!doctype html><html><head><meta charset="${charset}"><title>Bench</title></head><body><article>\n`;
  const size = Buffer.byteLength(PARAGRAPH);
  return `${head}${PARAGRAPH.repeat(Math.ceil(targetBytes / size))}</article></body></html>\n`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs the benchmark and returns one figure per page. `runs` ≥ 5. */
export async function benchFetch(runs = 7): Promise<FetchFigure[]> {
  const typical = Buffer.from(page(100_000, 'utf-8'));
  const large = Buffer.from(page(5_000_000, 'utf-8'));
  const pages: Record<string, { body: Buffer; headers: Record<string, string>; decoded: number }> = {
    'typical 100 KB utf-8': { body: typical, headers: {}, decoded: typical.byteLength },
    '5 MB utf-8': { body: large, headers: {}, decoded: large.byteLength },
    '5 MB utf-8 gzip': {
      body: gzipSync(large),
      headers: { 'content-encoding': 'gzip' },
      decoded: large.byteLength,
    },
    '5 MB windows-1251': {
      body: iconv.encode(page(5_000_000, 'windows-1251').replace(/[—«»]/g, '-'), 'windows-1251'),
      headers: {},
      decoded: 0,
    },
  };
  const cp1251 = pages['5 MB windows-1251'];
  if (cp1251) cp1251.decoded = cp1251.body.byteLength;
  const paths = Object.keys(pages);
  const server = createServer((request, response) => {
    const entry = pages[paths[Number((request.url ?? '/0').slice(1))] ?? ''];
    if (!entry) return void response.writeHead(404).end();
    response.writeHead(200, {
      'content-type': 'text/html',
      'content-length': entry.body.byteLength,
      ...entry.headers,
    });
    response.end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const options: FetchOptions = {
    allow: ['127.0.0.1/32'],
    allowedPorts: [port],
    timeoutMs: 30_000,
    connectTimeoutMs: 2000,
    maxHtmlBytes: 6_000_000,
    maxPdfBytes: 20_000_000,
  };
  const figures: FetchFigure[] = [];
  try {
    for (const [index, name] of paths.entries()) {
      const entry = pages[name];
      if (!entry) continue;
      const times: number[] = [];
      for (let run = 0; run <= Math.max(5, runs); run++) {
        const started = performance.now();
        const result = await fetchDocument(`http://127.0.0.1:${port}/${index}`, options);
        const elapsed = performance.now() - started;
        if (!result.ok || result.value.text === null)
          throw new Error(`bench fetch failed: ${JSON.stringify(result)}`);
        if (run > 0) times.push(elapsed);
      }
      const medianMs = median(times);
      figures.push({
        page: name,
        bytes: entry.decoded,
        wireBytes: entry.body.byteLength,
        runs: times.length,
        medianMs,
        minMs: Math.min(...times),
        maxMs: Math.max(...times),
        mbPerSecond: entry.decoded / 1e6 / (medianMs / 1000),
      });
    }
  } finally {
    server.close();
  }
  return figures;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const figures = await benchFetch(Number.isFinite(runs) ? runs : 7);
  console.log(`fetchDocument from 127.0.0.1, median of ${figures[0]?.runs ?? 0} runs (after 1 warm-up)\n`);
  console.log(['page'.padEnd(22), 'decoded', 'on wire', 'median ms', 'min', 'max', 'MB/s'].join('  '));
  for (const f of figures) {
    console.log(
      [
        f.page.padEnd(22),
        `${(f.bytes / 1e6).toFixed(2)} MB`.padStart(7),
        `${(f.wireBytes / 1e6).toFixed(2)} MB`.padStart(7),
        f.medianMs.toFixed(1).padStart(9),
        f.minMs.toFixed(1).padStart(3),
        f.maxMs.toFixed(1).padStart(3),
        f.mbPerSecond.toFixed(0).padStart(4),
      ].join('  '),
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
