import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorLineSchema, ExtractLineSchema, SummarizeLineSchema } from '../../src/core/schema.js';
import { runVerbatim } from '../helpers/cli-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const pages: Record<string, { type: string; body: Buffer }> = {
  '/article': {
    type: 'text/html; charset=utf-8',
    body: readFileSync(fixturePath('html', 'news-article.html')),
  },
  '/ru': { type: 'text/html', body: readFileSync(fixturePath('fetch', 'windows-1251.html')) },
  '/paper.pdf': { type: 'application/pdf', body: readFileSync(fixturePath('fetch', 'sample.pdf')) },
  '/notes.txt': {
    type: 'text/plain; charset=utf-8',
    body: Buffer.from(
      'The river rose four metres overnight. Residents were evacuated before dawn.\n\nThe mayor thanked volunteers.',
    ),
  },
  '/image.png': { type: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) },
};

let server: Server;
let base = '';
let hits = 0;
let dbDir = '';

before(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/article' }).end();
      return;
    }
    const page = pages[req.url ?? ''];
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dbDir = await mkdtemp(join(tmpdir(), 'verbatim-cli-'));
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const port = new URL(base).port;
  const { code, stdout, stderr } = await runVerbatim(args, {
    env: {
      LOG_LEVEL: 'silent',
      FETCH_ALLOW: '127.0.0.1/32',
      FETCH_ALLOWED_PORTS: port,
      DATABASE_PATH: join(dbDir, 'verbatim.db'),
      ...env,
    },
  });
  const lines = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stderr, lines };
}

describe('verbatim with links', () => {
  it('GIVEN an HTML page behind a redirect THEN extract --json gives its text, metadata and final URL', async () => {
    const { code, lines } = await cli(['extract', `${base}/moved`, '--json', '--no-cache']);
    assert.equal(code, 0);
    const line = ExtractLineSchema.parse(lines[0]);
    assert.equal(line.source, `${base}/moved`);
    assert.equal(line.url, `${base}/article`);
    assert.ok(line.title && line.title.length > 0);
    assert.ok(line.words > 50);
  });

  it('GIVEN a windows-1251 page, a PDF and a text file THEN each is extracted', async () => {
    const { code, lines } = await cli([
      'extract',
      `${base}/ru`,
      `${base}/paper.pdf`,
      `${base}/notes.txt`,
      '--json',
    ]);
    assert.equal(code, 0);
    const [ru, pdf, txt] = lines.map((l) => ExtractLineSchema.parse(l));
    assert.match(ru?.text ?? '', /[а-яё]{4,}/i);
    assert.ok((pdf?.words ?? 0) > 5);
    assert.match(txt?.text ?? '', /^The river rose four metres overnight\./);
  });

  it('GIVEN a link summarized twice THEN the second run fetches nothing, and --no-cache fetches again', async () => {
    const first = await cli(['summarize', `${base}/notes.txt`, '--json']);
    assert.equal(first.code, 0);
    const before = hits;
    const second = await cli(['summarize', `${base}/notes.txt`, '--json']);
    assert.equal(second.code, 0);
    assert.equal(hits, before);
    assert.deepEqual(
      SummarizeLineSchema.parse(second.lines[0]).summary,
      SummarizeLineSchema.parse(first.lines[0]).summary,
    );
    await cli(['summarize', `${base}/notes.txt`, '--json', '--no-cache']);
    assert.equal(hits, before + 1);
  });

  it('GIVEN refused links THEN each gets its code and the exit code says whose fault', async () => {
    const blocked = await cli(['extract', 'http://localhost/', '--json'], { FETCH_ALLOW: '' });
    assert.equal(ErrorLineSchema.parse(blocked.lines[0]).error.code, 'blocked_address');
    assert.equal(blocked.code, 3);
    const scheme = await cli(['extract', 'file:///etc/passwd', '--json']);
    assert.equal(scheme.code, 2 + 1);
    assert.ok(['invalid_url', 'unreadable'].includes(ErrorLineSchema.parse(scheme.lines[0]).error.code));
    const missing = await cli(['extract', `${base}/gone`, '--json', '--no-cache']);
    const error = ErrorLineSchema.parse(missing.lines[0]).error;
    assert.equal(error.code, 'fetch_failed');
    assert.equal(error.details?.status, 404);
    assert.equal(missing.code, 4);
    const image = await cli(['extract', `${base}/image.png`, '--json', '--no-cache']);
    assert.equal(ErrorLineSchema.parse(image.lines[0]).error.code, 'unsupported_type');
  });
});
