import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkUrl, normalizeRequestUrl } from '../../../src/article/fetch/index.js';
import { expectFailure, expectValue } from './local-server.js';

const none = { allow: [], allowedPorts: [] } as const;

describe('checkUrl', () => {
  test('GIVEN ordinary http and https links THEN they pass, parsed', () => {
    assert.equal(expectValue(checkUrl('https://example.com/news/1?x=2', none)).hostname, 'example.com');
    assert.equal(expectValue(checkUrl('  http://EXAMPLE.org:80/a  ', none)).href, 'http://example.org/a');
    assert.equal(expectValue(checkUrl('https://☃.example.net/', none)).hostname, 'xn--n3h.example.net');
    assert.equal(expectValue(checkUrl('https://8.8.8.8/', none)).hostname, '8.8.8.8');
    assert.equal(expectValue(checkUrl('http://[2606:4700::1111]/', none)).hostname, '[2606:4700::1111]');
  });

  for (const url of [
    'file:///etc/passwd',
    'ftp://example.com/',
    'gopher://127.0.0.1:6379/_save',
    'javascript:alert(1)',
    'data:text/html,hi',
    'ws://example.com/',
    'dict://attacker:11111/',
  ]) {
    test(`GIVEN ${url} THEN invalid_url for its scheme`, () => {
      const error = expectFailure(checkUrl(url, none));
      assert.equal(error.code, 'invalid_url');
      assert.equal(error.details.reason, 'scheme');
    });
  }

  test('GIVEN credentials in the URL THEN invalid_url, even for a public host', () => {
    for (const url of [
      'http://user:pass@example.com/',
      'http://user@example.com/',
      'https://:secret@example.com/',
    ]) {
      const error = expectFailure(checkUrl(url, none));
      assert.equal(error.code, 'invalid_url');
      assert.equal(error.details.reason, 'credentials');
    }
  });

  test('GIVEN unparsable input THEN invalid_url unparsable; GIVEN 9000 characters THEN too_long', () => {
    for (const url of [
      '',
      'not a url',
      'example.com/article',
      'http://',
      'http://256.256.256.256/',
      'http://[::1',
      'http://ho%16st/',
      'http://foo.2.3.4.',
    ]) {
      const error = expectFailure(checkUrl(url, none));
      assert.equal(error.code, 'invalid_url', url);
      assert.equal(error.details.reason, 'unparsable', url);
    }
    assert.equal(
      expectFailure(checkUrl(`https://example.com/${'a'.repeat(9000)}`, none)).details.reason,
      'too_long',
    );
  });

  test('GIVEN ports other than 80/443 THEN blocked_address rule port unless allowed', () => {
    const error = expectFailure(checkUrl('http://example.com:8080/', none));
    assert.equal(error.code, 'blocked_address');
    assert.equal(error.details.rule, 'port');
    assert.equal(error.details.port, 8080);
    assert.equal(expectFailure(checkUrl('https://example.com:22/', none)).details.port, 22);
    assert.ok(checkUrl('http://example.com:8080/', { allow: [], allowedPorts: [8080] }).ok);
    assert.ok(checkUrl('http://example.com:443/', none).ok);
    assert.ok(checkUrl('https://example.com:80/', none).ok);
  });

  const oddSpellings: [string, string][] = [
    ['http://2130706433/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
    ['http://%31%32%37.0.0.1/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[::1]/', 'loopback'],
    ['http://[0000::1]:80/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'ipv4_mapped'],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]/', 'ipv4_mapped'],
    ['http://[::127.0.0.1]/', 'ipv4_compatible'],
    ['http://[64:ff9b::10.0.0.1]/', 'nat64'],
    ['http://[2002:a9fe:a9fe::]/', '6to4'],
    ['http://[fd00:ec2::254]/', 'cloud_metadata'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud_metadata'],
    ['http://2852039166/', 'cloud_metadata'],
    ['http://0251.0376.0251.0376/', 'cloud_metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'ipv4_mapped'],
    ['http://3232235521/', 'private'],
    ['http://0xc0a80101/', 'private'],
    ['http://100.64.0.1/', 'carrier_grade_nat'],
    ['http://０🅇𝒶ｃ．０𝔵①𝟶．𝟬𝑋𝟘．𝟶Ⓧ¹:80/', 'private'],
    ['http://𝟎⓪𝟹𝟘𝟶。⑪⓪𝟣₀₃₀𝟓:80/', 'private'],
    ['http://127.1.1.1:80#\\@127.2.2.2:80/', 'loopback'],
    ['http://0012.1:80\\twww.example.com/', 'private'],
  ];
  for (const [url, rule] of oddSpellings) {
    test(`GIVEN ${JSON.stringify(url)} THEN blocked_address ${rule} without DNS`, () => {
      const error = expectFailure(checkUrl(url, none));
      assert.equal(error.code, 'blocked_address');
      assert.equal(error.details.rule, rule);
    });
  }

  const localNames: [string, string][] = [
    ['http://localhost/', 'local_name'],
    ['http://LOCALHOST./', 'local_name'],
    ['http://api.localhost/', 'local_name'],
    ['http://printer.local/', 'local_name'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'local_name'],
    ['http://router.home.arpa/', 'local_name'],
    ['http://1.0.0.127.in-addr.arpa/', 'local_name'],
    ['http://kubernetes.default.svc/', 'local_name'],
    ['http://nas.lan/', 'local_name'],
    ['http://ip6-localhost/', 'single_label'],
    ['http://metadata/', 'single_label'],
    ['http://intranet./', 'single_label'],
  ];
  for (const [url, rule] of localNames) {
    test(`GIVEN ${url} THEN blocked_address ${rule} by name`, () => {
      const error = expectFailure(checkUrl(url, none));
      assert.equal(error.code, 'blocked_address');
      assert.equal(error.details.rule, rule);
    });
  }

  test('GIVEN an allow-list THEN only the listed names and networks pass', () => {
    const allow = { allow: ['127.0.0.1/32', 'wiki.internal'], allowedPorts: [] };
    assert.ok(checkUrl('http://127.0.0.1/', allow).ok);
    assert.ok(checkUrl('http://wiki.internal/', allow).ok);
    assert.equal(expectFailure(checkUrl('http://127.0.0.2/', allow)).details.rule, 'loopback');
    assert.equal(expectFailure(checkUrl('http://other.internal/', allow)).details.rule, 'local_name');
  });

  test('GIVEN any string THEN checkUrl never throws and answers ok or a link failure (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl(), fc.constantFrom('http://', 'https://[', 'http://a@b@c/')),
        (input) => {
          const result = checkUrl(input, none);
          return result.ok || ['invalid_url', 'blocked_address'].includes(result.error.code);
        },
      ),
    );
  });
});

describe('normalizeRequestUrl', () => {
  test('GIVEN case, default port, fragment and utm_* THEN a stable cache key', () => {
    assert.equal(
      normalizeRequestUrl('HTTPS://News.Example.COM:443/Story?id=7&utm_source=x&UTM_Medium=y&b=2#comments'),
      'https://news.example.com/Story?id=7&b=2',
    );
    assert.equal(normalizeRequestUrl('http://example.com:80/?utm_campaign=z'), 'http://example.com/');
    assert.equal(normalizeRequestUrl('http://example.com/a?z=1&a=2'), 'http://example.com/a?z=1&a=2');
    assert.equal(
      normalizeRequestUrl('http://example.com/a?q=a%20b+c&utm_x=1'),
      'http://example.com/a?q=a%20b+c',
    );
    assert.equal(normalizeRequestUrl('  not a url '), 'not a url');
  });

  test('GIVEN any web URL THEN normalizing twice changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (url) => {
        const once = normalizeRequestUrl(url);
        return normalizeRequestUrl(once) === once && !once.includes('#');
      }),
    );
  });
});
