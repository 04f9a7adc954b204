import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveBaseUrl, parseDocument } from '../../../src/article/html/dom.js';
import { readJsonLd } from '../../../src/article/html/json-ld.js';
import { bcp47, type HtmlMetadata, isoDate, readMetadata } from '../../../src/article/html/metadata.js';
import { indexPage } from '../../../src/article/html/page-index.js';

function metadataOf(
  head: string,
  pageUrl: string | null = 'https://site.example/section/page.html',
  body = '',
): HtmlMetadata {
  const document = parseDocument(
    `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`,
    pageUrl,
  );
  const page = indexPage(document);
  return readMetadata(page, readJsonLd(page.jsonLdScripts), effectiveBaseUrl(document, pageUrl));
}

describe('readMetadata: canonical URL', () => {
  it('GIVEN a relative <link rel=canonical> THEN it is resolved against the page URL', () => {
    const meta = metadataOf('<link rel="canonical" href="../news/42?utm=x">');
    assert.equal(meta.canonicalUrl, 'https://site.example/news/42?utm=x');
  });

  it('GIVEN a page <base href> THEN relative URLs resolve against it', () => {
    const meta = metadataOf('<base href="https://cdn.example/mirror/"><link rel="canonical" href="story">');
    assert.equal(meta.canonicalUrl, 'https://cdn.example/mirror/story');
  });

  it('GIVEN no canonical link THEN og:url is used, then JSON-LD url, then mainEntityOfPage', () => {
    assert.equal(
      metadataOf('<meta property="og:url" content="/og">').canonicalUrl,
      'https://site.example/og',
    );
    const ld = (body: object) => `<script type="application/ld+json">${JSON.stringify(body)}</script>`;
    assert.equal(
      metadataOf(ld({ '@type': 'NewsArticle', url: 'https://site.example/ld' })).canonicalUrl,
      'https://site.example/ld',
    );
    assert.equal(
      metadataOf(ld({ '@type': 'BlogPosting', mainEntityOfPage: { '@id': 'https://site.example/entity' } }))
        .canonicalUrl,
      'https://site.example/entity',
    );
  });

  it('GIVEN a canonical URL that is not http(s) THEN it is dropped for the next candidate', () => {
    const meta = metadataOf(
      '<link rel="canonical" href="javascript:alert(1)"><meta property="og:url" content="ftp://files.example/x">',
    );
    assert.equal(meta.canonicalUrl, null);
    assert.equal(
      metadataOf(
        '<link rel="canonical" href="data:text/html,hi"><meta property="og:url" content="https://ok.example/">',
      ).canonicalUrl,
      'https://ok.example/',
    );
  });

  it('GIVEN no page URL (an uploaded file) THEN a relative canonical is dropped and an absolute one kept', () => {
    assert.equal(metadataOf('<link rel="canonical" href="/x">', null).canonicalUrl, null);
    assert.equal(
      metadataOf('<link rel="canonical" href="https://a.example/x">', null).canonicalUrl,
      'https://a.example/x',
    );
  });
});

describe('readMetadata: JSON-LD', () => {
  const graph = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', name: 'Graph Site' },
      {
        '@type': ['NewsArticle'],
        headline: 'Headline From JSON-LD',
        datePublished: '2021-06-01T12:00:00Z',
        author: [
          { '@type': 'Person', name: 'Ada Lovelace' },
          'Charles Babbage',
          { name: 'https://x.example/me' },
        ],
        publisher: { '@type': 'Organization', name: 'Analytical Press' },
        articleBody: 'Body from JSON-LD.',
        inLanguage: 'fr-CA',
      },
    ],
  };

  it('GIVEN an article node inside @graph THEN headline, authors, publisher, date and body are read', () => {
    const meta = metadataOf(`<script type="application/ld+json">${JSON.stringify(graph)}</script>`);
    assert.equal(meta.title, 'Headline From JSON-LD');
    assert.equal(meta.byline, 'Ada Lovelace, Charles Babbage');
    assert.equal(meta.siteName, 'Analytical Press');
    assert.equal(meta.publishedTime, '2021-06-01T12:00:00Z');
    assert.equal(meta.jsonLdBody, 'Body from JSON-LD.');
    assert.equal(meta.lang, 'fr-CA');
  });

  it('GIVEN JSON-LD with a trailing comma and an HTML comment wrapper THEN it is still read', () => {
    const meta = metadataOf(
      '<script type="application/ld+json"><!-- {"@type": "Article", "headline": "Lenient", "datePublished": "2020-01-02",} --></script>',
    );
    assert.equal(meta.title, 'Lenient');
    assert.equal(meta.publishedTime, '2020-01-02');
  });

  it('GIVEN JSON-LD that cannot be parsed THEN it is ignored and meta tags still count', () => {
    const meta = metadataOf(
      '<script type="application/ld+json">{not json</script><meta property="og:title" content="From OG">',
    );
    assert.equal(meta.title, 'From OG');
  });
});

describe('readMetadata: published time', () => {
  it('GIVEN article:published_time THEN it wins over JSON-LD and <time>', () => {
    const meta = metadataOf(
      '<meta property="article:published_time" content="2019-11-19T10:00:00+01:00"><script type="application/ld+json">{"@type":"Article","datePublished":"2018-01-01"}</script>',
      'https://a.example/',
      '<time datetime="2017-01-01">x</time>',
    );
    assert.equal(meta.publishedTime, '2019-11-19T10:00:00+01:00');
  });

  it('GIVEN only a <time datetime> in the article THEN it is used', () => {
    const meta = metadataOf(
      '',
      'https://a.example/',
      '<article><p>x</p><time datetime="2022-02-03T04:05Z">Feb 3</time></article>',
    );
    assert.equal(meta.publishedTime, '2022-02-03T04:05:00Z');
  });

  it('GIVEN an itemprop=datePublished element THEN its datetime is used', () => {
    const meta = metadataOf(
      '',
      'https://a.example/',
      '<span itemprop="datePublished" datetime="2015-03-30">Maret 30, 2015</span>',
    );
    assert.equal(meta.publishedTime, '2015-03-30');
  });
});

describe('readMetadata: language', () => {
  it('GIVEN <html lang> THEN it is the language, in canonical case', () => {
    const document = parseDocument('<html lang="EN_gb"><head></head><body></body></html>', null);
    assert.equal(readMetadata(indexPage(document), [], null).lang, 'en-GB');
  });

  it('GIVEN no html lang THEN og:locale, then content-language, is used', () => {
    assert.equal(metadataOf('<meta property="og:locale" content="pt_BR">').lang, 'pt-BR');
    assert.equal(metadataOf('<meta http-equiv="Content-Language" content="de, en">').lang, 'de');
  });

  it('GIVEN a language value that is not a tag THEN lang is null', () => {
    assert.equal(metadataOf('<meta http-equiv="content-language" content="English please">').lang, null);
  });
});

describe('readMetadata: title and byline', () => {
  it('GIVEN only a <title> with the site name as suffix THEN the suffix is removed', () => {
    const meta = metadataOf(
      '<title>Budget passes | Daily Planet</title><meta property="og:site_name" content="Daily Planet">',
    );
    assert.equal(meta.title, 'Budget passes');
    assert.equal(meta.siteName, 'Daily Planet');
  });

  it('GIVEN a meta author that is a profile URL THEN it is not used as the byline', () => {
    assert.equal(
      metadataOf('<meta property="article:author" content="https://facebook.example/someone">').byline,
      null,
    );
    assert.equal(metadataOf('<meta name="author" content="  Jane   Doe ">').byline, 'Jane Doe');
  });
});

describe('isoDate', () => {
  it('GIVEN ISO 8601 forms THEN the page offset is kept and the form completed', () => {
    assert.equal(isoDate('2019-11-20T04:00:00-0600'), '2019-11-20T04:00:00-06:00');
    assert.equal(isoDate('2019-11-20 04:00'), '2019-11-20T04:00:00');
    assert.equal(isoDate('2019-11-20T04:00:00.123Z'), '2019-11-20T04:00:00.123Z');
    assert.equal(isoDate('2019-11-20'), '2019-11-20');
  });

  it('GIVEN RFC 2822 or a long-form date THEN an ISO date is produced without guessing a time zone', () => {
    assert.equal(isoDate('Tue, 19 Nov 2019 10:00:00 GMT'), '2019-11-19T10:00:00.000Z');
    assert.equal(isoDate('November 19, 2019'), '2019-11-19');
    assert.equal(isoDate('November 19, 2019 10:00'), null);
  });

  it('GIVEN impossible or absurd dates THEN null', () => {
    for (const bad of ['2019-02-30', '2019-13-01', '0001-01-01', 'yesterday', '', '9999-01-01T00:00:00Z']) {
      assert.equal(isoDate(bad), null, bad);
    }
  });

  it('GIVEN a Unix timestamp in seconds or milliseconds THEN it is converted', () => {
    assert.equal(isoDate('1574168580'), '2019-11-19T13:03:00.000Z');
    assert.equal(isoDate('1574168580000'), '2019-11-19T13:03:00.000Z');
  });
});

describe('bcp47', () => {
  it('GIVEN assorted spellings THEN canonical tags or null', () => {
    assert.equal(bcp47('ja_JP'), 'ja-JP');
    assert.equal(bcp47('zh-hant-tw'), 'zh-Hant-TW');
    assert.equal(bcp47('ru'), 'ru');
    assert.equal(bcp47('x'), null);
    assert.equal(bcp47(null), null);
  });
});
