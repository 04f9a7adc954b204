import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { domainAllowed, parseDomains } from '../../src/app/auto-summaries.js';
import { sharedLinks } from '../../src/discord/message-content.js';
import { notices } from '../../src/discord/texts.js';

describe('the links a message shares (auto-summary channels)', () => {
  it('GIVEN links in code, spoilers and angle brackets THEN only the others are shared, in order', () => {
    const content = [
      'first https://a.example/1, then',
      '```',
      'https://code.example/block',
      '```',
      '`https://code.example/inline` ``https://code.example/double``',
      '||https://spoiler.example/x|| <https://suppressed.example/y>',
      '[masked](https://b.example/2) and (see https://c.example/wiki/Foo_(bar)).',
    ].join('\n');
    assert.deepEqual(sharedLinks(content), [
      'https://a.example/1',
      'https://b.example/2',
      'https://c.example/wiki/Foo_(bar)',
    ]);
  });

  it('GIVEN an unclosed code fence or spoiler THEN the link after it is still shared (Discord shows it)', () => {
    assert.deepEqual(sharedLinks('``` https://a.example/1'), ['https://a.example/1']);
    assert.deepEqual(sharedLinks('|| https://a.example/1'), ['https://a.example/1']);
  });

  it('GIVEN any text THEN it is read in linear time and every link found is a prefix-free http(s) URL', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        for (const link of sharedLinks(text)) assert.match(link, /^https?:\/\/\S+$/iu);
      }),
    );
    const hostile = `${'`|<'.repeat(20_000)}https://a.example/`;
    const started = performance.now();
    sharedLinks(hostile);
    assert.ok(performance.now() - started < 500, 'no backtracking blow-up');
  });
});

describe('auto-summary domains', () => {
  it('GIVEN domains typed by an admin THEN host names come back lowercase, once; anything else is refused', () => {
    assert.deepEqual(
      parseDomains('Example.com, news.example.org https://www.site.example/path *.wild.example'),
      ['example.com', 'news.example.org', 'www.site.example', 'wild.example'],
    );
    assert.deepEqual(parseDomains(null), []);
    assert.equal(parseDomains('not a domain!'), null);
    assert.equal(parseDomains('localhost'), null);
  });

  it('GIVEN include and exclude lists THEN subdomains match, exclusion wins, an empty include lets all through', () => {
    const only = { include: ['example.com'], exclude: ['blog.example.com'] };
    assert.equal(domainAllowed(only, 'https://example.com/a'), true);
    assert.equal(domainAllowed(only, 'https://news.example.com/a'), true);
    assert.equal(domainAllowed(only, 'https://blog.example.com/a'), false);
    assert.equal(domainAllowed(only, 'https://notexample.com/a'), false);
    assert.equal(domainAllowed({ include: [], exclude: [] }, 'https://any.example/'), true);
    assert.equal(domainAllowed({ include: [], exclude: [] }, 'not a url'), false);
  });
});

describe('what /forget says about auto-summary settings', () => {
  it('GIVEN channels an admin turned on THEN the preview says their name goes and the channels stay on', () => {
    const shown = notices.forgetPreview({
      threads: 0,
      turns: 0,
      usageDays: 0,
      jobs: 0,
      settings: 0,
      autoSummaryChannels: 2,
    });
    assert.match(
      shown,
      /^• your name on 2 channels where you turned auto-summaries on \(they stay on, without your name\)$/mu,
    );
    assert.equal(
      notices.forgotten({
        threads: 0,
        turns: 0,
        usageDays: 0,
        jobs: 0,
        settings: 0,
        autoSummaryChannels: 1,
        texts: 0,
        messages: 0,
      }),
      'Deleted your name on 1 auto-summary channel setting.',
    );
  });
});
