import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Connector, fetchDocument } from '../../../src/article/fetch/index.js';
import { DNS_NAME_URLS, readUrlFiles, runHostileUrls } from '../../../testkit/drivers/hostile-urls.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { stubResolver } from './local-server.js';

describe('hostile URL sample (test/fixtures/fetch/urls, sampled from the shared corpus)', () => {
  test('GIVEN every sample URL under every attacker resolver THEN all refused and zero connection attempts', async () => {
    const urls = [...readUrlFiles(fixturePath('fetch', 'urls')), ...DNS_NAME_URLS];
    assert.ok(urls.length >= 150, `sample has ${urls.length} URLs`);
    const report = await runHostileUrls(urls);
    assert.equal(report.connectionAttempts, 0);
    assert.deepEqual(report.notRefused, []);
    const codes = new Set(report.outcomes.map((o) => o.code));
    assert.deepEqual([...codes].sort(), ['blocked_address', 'fetch_failed', 'invalid_url']);
    const byFile = (file: string) => report.outcomes.filter((o) => o.file === file);
    assert.ok(byFile('nonhttp_scheme_urls').every((o) => o.code === 'invalid_url'));
    assert.ok(byFile('parse_error_urls').every((o) => o.code === 'invalid_url'));
    assert.ok(byFile('dns_names').some((o) => o.code === 'blocked_address' && o.rule === 'private'));
  });

  test('GIVEN the counting transport and a public answer THEN an attempt IS counted (the counter works)', async () => {
    let attempts = 0;
    const connector: Connector = (_options, callback) => {
      attempts++;
      callback(new Error('counted, not connected'), null);
    };
    const result = await fetchDocument('http://public.example.com/', {
      allow: [],
      allowedPorts: [],
      timeoutMs: 2000,
      connectTimeoutMs: 500,
      maxHtmlBytes: 1000,
      maxPdfBytes: 1000,
      resolver: stubResolver('93.184.216.34'),
      connector,
    });
    assert.equal(result.ok, false);
    assert.equal(attempts, 1);
  });
});
