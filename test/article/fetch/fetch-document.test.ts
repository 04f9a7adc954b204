import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { buildConnector } from 'undici';
import { DEFAULT_USER_AGENT, fetchDocument } from '../../../src/article/fetch/index.js';
import { fixturePath } from '../../helpers/fixtures.js';
import {
  expectFailure,
  expectValue,
  type LocalServer,
  loopbackOnlyConnector,
  optionsFor,
  startServer,
  stubResolver,
} from './local-server.js';

const fixture = (name: string) => readFileSync(fixturePath('fetch', name));
const HTML = '<!doctype html><html><head><title>T</title></head><body><p>Hello, reader.</p></body></html>';

describe('fetchDocument against a local server', () => {
  let server: LocalServer;
  let other: LocalServer;

  before(async () => {
    other = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(HTML);
    });
    server = await startServer((request, response) => {
      const path = (request.url ?? '/').replace(/\?.*$/, '');
      const send = (status: number, headers: Record<string, string | number>, body?: string | Buffer) => {
        response.writeHead(status, headers);
        response.end(body);
      };
      const redirect = (location: string, status = 302) => send(status, { location });
      const hop = /^\/hop\/(\d+)$/.exec(path);
      if (hop)
        return Number(hop[1]) === 0
          ? send(200, { 'content-type': 'text/html' }, HTML)
          : redirect(`/hop/${Number(hop[1]) - 1}`);
      switch (path) {
        case '/page':
          return send(200, { 'content-type': 'text/html; charset=utf-8' }, HTML);
        case '/xhtml':
          return send(200, { 'content-type': 'application/xhtml+xml' }, `<?xml version="1.0"?>${HTML}`);
        case '/text':
          return send(200, { 'content-type': 'text/plain' }, 'Plain words.');
        case '/pdf':
          return send(200, { 'content-type': 'application/pdf' }, fixture('sample.pdf'));
        case '/pdf-as-octets':
          return send(200, { 'content-type': 'application/octet-stream' }, fixture('sample.pdf'));
        case '/html-untyped':
          response.removeHeader('content-type');
          return send(200, {}, HTML);
        case '/octets':
          return send(200, { 'content-type': 'application/octet-stream' }, Buffer.alloc(4096, 7));
        case '/image':
          return send(200, { 'content-type': 'image/png' }, Buffer.alloc(64));
        case '/cp1251':
          return send(200, { 'content-type': 'text/html' }, fixture('windows-1251.html'));
        case '/sjis':
          return send(200, { 'content-type': 'text/html' }, fixture('shift_jis.html'));
        case '/header-beats-meta':
          return send(
            200,
            { 'content-type': 'text/html; charset=windows-1251' },
            Buffer.concat([Buffer.from('<meta charset="utf-8">'), fixture('windows-1251.html')]),
          );
        case '/latin1-undeclared':
          return send(200, { 'content-type': 'text/plain' }, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        case '/gzip':
          return send(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, gzipSync(HTML));
        case '/br':
          return send(
            200,
            { 'content-type': 'text/html', 'content-encoding': 'br' },
            brotliCompressSync(HTML),
          );
        case '/deflate':
          return send(200, { 'content-type': 'text/html', 'content-encoding': 'deflate' }, deflateSync(HTML));
        case '/zstd':
          return send(200, { 'content-type': 'text/html', 'content-encoding': 'zstd' }, HTML);
        case '/bomb':
          return send(
            200,
            { 'content-type': 'text/html', 'content-encoding': 'gzip' },
            gzipSync(Buffer.alloc(50_000_000, 0x20)),
          );
        case '/declared-huge':
          response.writeHead(200, { 'content-type': 'text/html', 'content-length': 50_000_000 });
          response.write('<html>');
          return; // never finishes: the fetcher must refuse from the header alone
        case '/streamed-huge': {
          response.writeHead(200, { 'content-type': 'text/html' });
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < 100 && response.write(chunk)) sent++;
            if (sent < 100 && !response.destroyed) response.once('drain', pump);
            else response.end();
          };
          return pump();
        }
        case '/silent':
          return; // never answers
        case '/trickle': {
          response.writeHead(200, { 'content-type': 'text/html' });
          const timer = setInterval(() => response.write('a'), 50);
          response.on('close', () => clearInterval(timer));
          return;
        }
        case '/not-found':
          return send(404, { 'content-type': 'text/html' }, 'nope');
        case '/to-metadata':
          return redirect('http://169.254.169.254/latest/meta-data/');
        case '/to-internal-name':
          return redirect(`http://internal-api.example.com:${server.port}/`);
        case '/to-file':
          return redirect('file:///etc/passwd');
        case '/to-credentials':
          return redirect(`http://user:pass@127.0.0.1:${server.port}/page`);
        case '/to-other-port':
          return redirect(`http://127.0.0.1:${other.port}/`);
        case '/to-rebind-other':
          return redirect(`http://rebind.example.com:${other.port}/`);
        case '/to-relative':
          return redirect('../page?x=1', 301);
        case '/no-location':
          return send(302, {});
        case '/to-garbage':
          return redirect('http://[::1');
        case '/loop':
          return redirect('/loop');
        default:
          return send(500, {}, 'unexpected');
      }
    });
  });

  after(async () => {
    await server.close();
    await other.close();
  });

  test('GIVEN an allow-listed local HTML page THEN it is fetched and decoded with the bot User-Agent', async () => {
    const doc = expectValue(await fetchDocument(server.url('/page'), optionsFor(server)));
    assert.equal(doc.kind, 'html');
    assert.equal(doc.text, HTML);
    assert.equal(doc.charset, 'utf-8');
    assert.equal(doc.bytes, null);
    assert.equal(doc.status, 200);
    assert.equal(doc.finalUrl, server.url('/page'));
    assert.deepEqual(doc.redirects, []);
    assert.ok(doc.fetchMs > 0);
    const seen = server.requests.at(-1);
    assert.equal(seen?.headers['user-agent'], DEFAULT_USER_AGENT);
    assert.match(String(seen?.headers.accept), /text\/html/);
    assert.match(String(seen?.headers['accept-encoding']), /gzip/);
  });

  test('GIVEN XHTML and plain text THEN they are html and text kinds', async () => {
    assert.equal(expectValue(await fetchDocument(server.url('/xhtml'), optionsFor(server))).kind, 'html');
    const text = expectValue(await fetchDocument(server.url('/text'), optionsFor(server)));
    assert.equal(text.kind, 'text');
    assert.equal(text.text, 'Plain words.');
  });

  test('GIVEN a PDF, also one served as octet-stream THEN the raw bytes come back as kind pdf', async () => {
    for (const path of ['/pdf', '/pdf-as-octets']) {
      const doc = expectValue(await fetchDocument(server.url(path), optionsFor(server)));
      assert.equal(doc.kind, 'pdf');
      assert.equal(doc.text, null);
      assert.deepEqual(Buffer.from(doc.bytes ?? []), fixture('sample.pdf'));
    }
  });

  test('GIVEN HTML without a Content-Type THEN it is sniffed as html', async () => {
    assert.equal(
      expectValue(await fetchDocument(server.url('/html-untyped'), optionsFor(server))).kind,
      'html',
    );
  });

  test('GIVEN an image or unsniffable octets THEN unsupported_type names the content type', async () => {
    const image = expectFailure(await fetchDocument(server.url('/image'), optionsFor(server)));
    assert.equal(image.code, 'unsupported_type');
    assert.equal(image.details.contentType, 'image/png');
    assert.equal(
      expectFailure(await fetchDocument(server.url('/octets'), optionsFor(server))).code,
      'unsupported_type',
    );
  });

  test('GIVEN a windows-1251 page declared by <meta charset> THEN it decodes to Cyrillic', async () => {
    const doc = expectValue(await fetchDocument(server.url('/cp1251'), optionsFor(server)));
    assert.equal(doc.charset, 'windows-1251');
    assert.match(doc.text ?? '', /Привет, мир/);
    assert.match(doc.text ?? '', /французских булок/);
  });

  test('GIVEN a Shift_JIS page declared by <meta http-equiv> THEN it decodes to Japanese', async () => {
    const doc = expectValue(await fetchDocument(server.url('/sjis'), optionsFor(server)));
    assert.equal(doc.charset, 'shift_jis');
    assert.match(doc.text ?? '', /これは日本語のテキストです。/);
  });

  test('GIVEN a header charset and a contradicting meta THEN the header wins', async () => {
    const doc = expectValue(await fetchDocument(server.url('/header-beats-meta'), optionsFor(server)));
    assert.equal(doc.charset, 'windows-1251');
    assert.match(doc.text ?? '', /Привет/);
  });

  test('GIVEN undeclared bytes that are not UTF-8 THEN windows-1252 is used', async () => {
    const doc = expectValue(await fetchDocument(server.url('/latin1-undeclared'), optionsFor(server)));
    assert.equal(doc.text, 'café');
    assert.equal(doc.charset, 'windows-1252');
  });

  test('GIVEN gzip, brotli and deflate bodies THEN each is decoded', async () => {
    for (const path of ['/gzip', '/br', '/deflate']) {
      assert.equal(expectValue(await fetchDocument(server.url(path), optionsFor(server))).text, HTML, path);
    }
  });

  test('GIVEN an unadvertised content encoding THEN unsupported_type', async () => {
    const error = expectFailure(await fetchDocument(server.url('/zstd'), optionsFor(server)));
    assert.equal(error.code, 'unsupported_type');
    assert.equal(error.details.contentEncoding, 'zstd');
  });

  test('GIVEN a gzip bomb (50 KB → 50 MB) THEN too_large at the decoded cap, quickly', async () => {
    const started = performance.now();
    const error = expectFailure(
      await fetchDocument(server.url('/bomb'), optionsFor(server, { maxHtmlBytes: 1_000_000 })),
    );
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.limit, 1_000_000);
    assert.ok(performance.now() - started < 4000, 'not hung inflating 50 MB');
  });

  test('GIVEN a Content-Length above the cap THEN too_large from the header alone', async () => {
    const error = expectFailure(await fetchDocument(server.url('/declared-huge'), optionsFor(server)));
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.contentLength, 50_000_000);
  });

  test('GIVEN a chunked body growing past the cap THEN too_large while streaming', async () => {
    const error = expectFailure(
      await fetchDocument(server.url('/streamed-huge'), optionsFor(server, { maxHtmlBytes: 500_000 })),
    );
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.limit, 500_000);
  });

  test('GIVEN a PDF larger than the PDF cap THEN too_large with kind pdf', async () => {
    const error = expectFailure(
      await fetchDocument(server.url('/pdf'), optionsFor(server, { maxPdfBytes: 100 })),
    );
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.kind, 'pdf');
  });

  test('GIVEN a server that never answers THEN timeout near timeoutMs', async () => {
    const started = performance.now();
    const error = expectFailure(
      await fetchDocument(server.url('/silent'), optionsFor(server, { timeoutMs: 300 })),
    );
    assert.equal(error.code, 'timeout');
    assert.ok(performance.now() - started < 3000);
  });

  test('GIVEN a body that trickles forever THEN the total timeout ends it', async () => {
    const error = expectFailure(
      await fetchDocument(server.url('/trickle'), optionsFor(server, { timeoutMs: 400 })),
    );
    assert.equal(error.code, 'timeout');
  });

  test('GIVEN the caller aborts THEN timeout with reason aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = expectFailure(
      await fetchDocument(server.url('/silent'), optionsFor(server, { signal: controller.signal })),
    );
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.reason, 'aborted');
    const already = expectFailure(
      await fetchDocument(server.url('/page'), optionsFor(server, { signal: AbortSignal.abort() })),
    );
    assert.equal(already.details.reason, 'aborted');
  });

  test('GIVEN a resolver that hangs THEN timeout in the connect phase', async () => {
    const error = expectFailure(
      await fetchDocument(
        `http://hangs.example.com:${server.port}/page`,
        optionsFor(server, { connectTimeoutMs: 150, resolver: () => new Promise(() => {}) }),
      ),
    );
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.phase, 'connect');
  });

  test('GIVEN a name that does not resolve THEN fetch_failed with reason dns', async () => {
    const error = expectFailure(
      await fetchDocument(
        `http://nowhere.example.com:${server.port}/`,
        optionsFor(server, { resolver: stubResolver() }),
      ),
    );
    assert.equal(error.code, 'fetch_failed');
    assert.equal(error.details.reason, 'dns');
  });

  test('GIVEN a closed local port THEN fetch_failed with the socket error code', async () => {
    const closed = await startServer(() => {});
    const port = closed.port;
    await closed.close();
    const error = expectFailure(
      await fetchDocument(`http://127.0.0.1:${port}/`, optionsFor(server, { allowedPorts: [port] })),
    );
    assert.equal(error.code, 'fetch_failed');
    assert.equal(error.details.reason, 'network');
    assert.equal(error.details.code, 'ECONNREFUSED');
  });

  test('GIVEN HTTP 404 THEN fetch_failed with the status', async () => {
    const error = expectFailure(await fetchDocument(server.url('/not-found'), optionsFor(server)));
    assert.equal(error.code, 'fetch_failed');
    assert.equal(error.details.status, 404);
  });

  test('GIVEN five redirects THEN followed; GIVEN six THEN fetch_failed too_many_redirects', async () => {
    const five = expectValue(await fetchDocument(server.url('/hop/5'), optionsFor(server)));
    assert.equal(five.redirects.length, 5);
    assert.equal(five.finalUrl, server.url('/hop/0'));
    const six = expectFailure(await fetchDocument(server.url('/hop/6'), optionsFor(server)));
    assert.equal(six.code, 'fetch_failed');
    assert.equal(six.details.reason, 'too_many_redirects');
    assert.equal(
      expectFailure(await fetchDocument(server.url('/loop'), optionsFor(server))).details.reason,
      'too_many_redirects',
    );
    assert.equal(
      expectFailure(await fetchDocument(server.url('/hop/2'), optionsFor(server, { maxRedirects: 1 }))).code,
      'fetch_failed',
    );
  });

  test('GIVEN a relative redirect THEN it resolves against the current URL', async () => {
    const doc = expectValue(await fetchDocument(server.url('/to-relative'), optionsFor(server)));
    assert.equal(doc.finalUrl, server.url('/page?x=1'));
    assert.deepEqual(doc.redirects, [server.url('/page?x=1')]);
  });

  test('GIVEN a redirect to 169.254.169.254 THEN blocked_address with no connection attempted', async () => {
    const { connector, attempts } = loopbackOnlyConnector();
    const error = expectFailure(
      await fetchDocument(server.url('/to-metadata'), optionsFor(server, { connector })),
    );
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'cloud_metadata');
    assert.equal(error.details.hop, 1);
    assert.deepEqual(attempts, ['127.0.0.1']);
  });

  test('GIVEN a redirect to a name resolving to a private address THEN blocked_address at connect, nothing connected', async () => {
    const { connector, attempts } = loopbackOnlyConnector();
    const resolver = stubResolver('10.0.0.7');
    const error = expectFailure(
      await fetchDocument(server.url('/to-internal-name'), optionsFor(server, { connector, resolver })),
    );
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'private');
    assert.equal(error.details.address, '10.0.0.7');
    assert.equal(error.details.hop, 1);
    assert.deepEqual(resolver.calls, ['internal-api.example.com']);
    assert.deepEqual(attempts, ['127.0.0.1']);
  });

  test('GIVEN redirects to file:, to credentials, to garbage, or without Location THEN refused', async () => {
    const file = expectFailure(await fetchDocument(server.url('/to-file'), optionsFor(server)));
    assert.equal(file.code, 'invalid_url');
    assert.equal(file.details.reason, 'scheme');
    assert.equal(
      expectFailure(await fetchDocument(server.url('/to-credentials'), optionsFor(server))).details.reason,
      'credentials',
    );
    assert.equal(
      expectFailure(await fetchDocument(server.url('/to-garbage'), optionsFor(server))).details.reason,
      'unparsable',
    );
    assert.equal(
      expectFailure(await fetchDocument(server.url('/no-location'), optionsFor(server))).details.reason,
      'redirect_without_location',
    );
  });

  test('GIVEN a redirect to a port that is not allowed THEN blocked_address rule port, no connection to it', async () => {
    const connectionsBefore = other.connections();
    const error = expectFailure(await fetchDocument(server.url('/to-other-port'), optionsFor(server)));
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'port');
    assert.equal(other.connections(), connectionsBefore);
    const allowed = expectValue(
      await fetchDocument(
        server.url('/to-other-port'),
        optionsFor(server, { allowedPorts: [server.port, other.port] }),
      ),
    );
    assert.equal(allowed.finalUrl, other.url('/'));
  });

  test('GIVEN no allow-list THEN 127.0.0.1 is blocked_address loopback and the server sees no connection', async () => {
    const connectionsBefore = server.connections();
    const error = expectFailure(await fetchDocument(server.url('/page'), optionsFor(server, { allow: [] })));
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'loopback');
    assert.equal(server.connections(), connectionsBefore);
  });

  test('GIVEN a name resolving to loopback without an allow-list THEN blocked at connect time, no connection', async () => {
    const connectionsBefore = server.connections();
    const { connector, attempts } = loopbackOnlyConnector();
    const error = expectFailure(
      await fetchDocument(
        `http://news.example.com:${server.port}/page`,
        optionsFor(server, { allow: [], connector }),
      ),
    );
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'loopback');
    assert.deepEqual(attempts, []);
    assert.equal(server.connections(), connectionsBefore);
  });

  test('GIVEN a resolver answering one public and one private address THEN refused outright, no connection', async () => {
    const { connector, attempts } = loopbackOnlyConnector();
    const error = expectFailure(
      await fetchDocument(
        'http://mixed.example.com/',
        optionsFor(server, { allow: [], connector, resolver: stubResolver('93.184.216.34', '192.168.1.1') }),
      ),
    );
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.address, '192.168.1.1');
    assert.deepEqual(attempts, []);
  });

  test('GIVEN a public answer THEN the transport is handed exactly the checked address (pinned), once', async () => {
    const { connector, attempts } = loopbackOnlyConnector();
    const resolver = stubResolver('93.184.216.34');
    const error = expectFailure(
      await fetchDocument(
        'http://public.example.com/',
        optionsFor(server, { allow: [], connector, resolver }),
      ),
    );
    assert.equal(error.code, 'fetch_failed');
    assert.deepEqual(resolver.calls, ['public.example.com']);
    assert.deepEqual(attempts, ['93.184.216.34']);
  });

  test('GIVEN DNS rebinding (first answer allowed, the next private) THEN the next connection is refused', async () => {
    const answers = ['127.0.0.1'];
    const calls: string[] = [];
    const resolver = async (hostname: string) => {
      calls.push(hostname);
      return [{ address: answers.shift() ?? '10.1.2.3', family: 4 as const }];
    };
    const { connector, attempts } = loopbackOnlyConnector();
    const connectionsBefore = other.connections();
    const error = expectFailure(
      await fetchDocument(
        `http://rebind.example.com:${server.port}/to-rebind-other`,
        optionsFor(server, { resolver, connector, allowedPorts: [server.port, other.port] }),
      ),
    );
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.address, '10.1.2.3');
    assert.deepEqual(calls, ['rebind.example.com', 'rebind.example.com']);
    assert.deepEqual(attempts, ['127.0.0.1']);
    assert.equal(other.connections(), connectionsBefore);
  });

  test('GIVEN an allow-listed host name THEN its private answer is trusted', async () => {
    const doc = expectValue(
      await fetchDocument(
        `http://intranet.corp:${server.port}/page`,
        optionsFor(server, { allow: ['intranet.corp'] }),
      ),
    );
    assert.equal(doc.text, HTML);
  });

  test('GIVEN an IPv6 loopback server allow-listed as ::1/128 THEN it is fetched by literal', async () => {
    const v6 = createServerOnV6();
    const { server: v6Server, port } = await v6;
    try {
      const doc = expectValue(
        await fetchDocument(`http://[::1]:${port}/`, {
          ...optionsFor(server, { allow: ['::1/128'], allowedPorts: [port] }),
        }),
      );
      assert.equal(doc.text, 'six');
    } finally {
      v6Server.close();
    }
  });
});

async function createServerOnV6() {
  const { createServer } = await import('node:http');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    response.end('six');
  });
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

describe('fetchDocument over TLS with a pinned address', () => {
  let tlsServer: LocalServer;
  const cert = fixture('pinned.cert.pem');

  before(async () => {
    tlsServer = await startServer(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('secure words');
      },
      createHttpsServer({ key: fixture('pinned.key.pem'), cert }),
    );
  });
  after(() => tlsServer.close());

  const tlsOptions = () => {
    const { connector, attempts } = loopbackOnlyConnector(buildConnector({ ca: [cert], timeout: 2000 }));
    return { attempts, options: optionsFor(tlsServer, { connector }) };
  };

  test('GIVEN a name pinned to 127.0.0.1 THEN TLS still verifies the certificate against the name', async () => {
    const { attempts, options } = tlsOptions();
    const doc = expectValue(await fetchDocument(`https://pinned.example.com:${tlsServer.port}/`, options));
    assert.equal(doc.text, 'secure words');
    assert.deepEqual(attempts, ['127.0.0.1']);
  });

  test('GIVEN a name the certificate does not cover THEN fetch_failed with reason tls', async () => {
    const { options } = tlsOptions();
    const error = expectFailure(await fetchDocument(`https://other.example.com:${tlsServer.port}/`, options));
    assert.equal(error.code, 'fetch_failed');
    assert.equal(error.details.reason, 'tls');
  });
});
