import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractArticleFromHtml } from '../../../src/article/html/index.js';
import type { Failure } from '../../../src/core/result.js';
import { readFixture } from '../../helpers/fixtures.js';

function failureOf(html: string, url: string | null = 'https://site.example/'): Failure {
  const result = extractArticleFromHtml(html, { source: url ?? 'upload.html', url });
  if (result.ok) assert.fail(`expected a failure, got an article: ${result.value.text.slice(0, 200)}`);
  return result.error;
}

const PARAGRAPH =
  'The committee met for four hours on Tuesday and heard from more than thirty residents, most of whom opposed the plan to close the east side clinic before a replacement is built.';

describe('extractArticleFromHtml: pages that are not articles', () => {
  it('GIVEN a home page made of headline links THEN not_an_article with reason listing, the title and a word count', () => {
    const error = failureOf(readFixture('html', 'home-page.html'), 'https://harborledger.example/');
    assert.equal(error.code, 'not_an_article');
    assert.equal(error.details?.reason, 'listing');
    assert.equal(error.details?.title, 'Local news for the bay');
    assert.equal(typeof error.details?.words, 'number');
    assert.match(error.message, /paste/i);
  });

  it('GIVEN a listing of 60 long linked headlines with no other text, in any markup THEN not_an_article with reason listing', () => {
    const headline = (i: number) =>
      `Council members vote to expand the harbor ferry service for route ${i} after a long debate`;
    const items = (wrap: (link: string) => string) =>
      Array.from({ length: 60 }, (_, i) => wrap(`<a href="/news/${i}">${headline(i)}</a>`)).join('');
    const shapes = {
      list: `<main><h1>Latest news</h1><ul>${items((a) => `<li>${a}</li>`)}</ul></main>`,
      paragraphs: `<article>${items((a) => `<p>${a}</p>`)}</article>`,
      headings: `<main>${items((a) => `<h2>${a}</h2>`)}</main>`,
      blocks: `<div class="stream">${items((a) => `<div class="item">${a}</div>`)}</div>`,
    };
    for (const [shape, body] of Object.entries(shapes)) {
      const error = failureOf(`<html><head><title>Latest</title></head><body>${body}</body></html>`);
      assert.equal(error.code, 'not_an_article', shape);
      assert.equal(error.details?.reason, 'listing', shape);
    }
  });

  it('GIVEN an article whose paragraphs carry many links THEN it is still an article', () => {
    const linked = PARAGRAPH.replace('committee', '<a href="/c">committee</a>').replace(
      'east side clinic',
      '<a href="/clinic">east side clinic</a>',
    );
    const html = `<html><head><title>Clinic vote</title></head><body><article>${`<p>${linked}</p>`.repeat(6)}</article></body></html>`;
    const result = extractArticleFromHtml(html, { source: 'x', url: 'https://site.example/clinic' });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
  });

  it('GIVEN a paywalled stub THEN not_an_article with reason paywall and a hint to paste or upload', () => {
    const error = failureOf(readFixture('html', 'paywall-stub.html'), 'https://review.example/a/1');
    assert.equal(error.code, 'not_an_article');
    assert.equal(error.details?.reason, 'paywall');
    assert.equal(error.details?.title, 'Inside the Quiet Collapse of a Shipping Giant');
    assert.ok(Number(error.details?.words) < 50);
    assert.match(error.message, /paste the article text or upload the file/i);
  });

  it('GIVEN a video page with a short description THEN not_an_article with reason video', () => {
    const error = failureOf(
      `<html><head><title>Watch: harbor seal pups</title><meta property="og:type" content="video.other"></head>
       <body><div class="player"><video src="/v.mp4"></video></div><p>Two harbor seal pups take their first swim at the aquarium this week.</p></body></html>`,
    );
    assert.equal(error.code, 'not_an_article');
    assert.equal(error.details?.reason, 'video');
  });

  it('GIVEN a login form in front of the content THEN not_an_article with reason login_wall', () => {
    const error = failureOf(
      `<html><head><title>Members area</title></head><body><main><h1>Please sign in</h1>
       <p>You must be logged in to read this story from our members archive.</p>
       <form action="/login"><input name="user"><input type="password" name="pw"><button>Log in</button></form></main></body></html>`,
    );
    assert.equal(error.code, 'not_an_article');
    assert.equal(error.details?.reason, 'login_wall');
  });

  it('GIVEN an empty page THEN empty_input', () => {
    assert.equal(failureOf('').code, 'empty_input');
    assert.equal(failureOf('   \n ').code, 'empty_input');
  });

  it('GIVEN a page whose body has no text THEN empty_input', () => {
    const error = failureOf(
      '<html><head><title>Nothing</title><script>var a = 1;</script></head><body><img src="x.png"></body></html>',
    );
    assert.equal(error.code, 'empty_input');
  });

  it('GIVEN a short but real article on a page with a subscribe box THEN it is accepted', () => {
    const html = `<html><head><title>Clinic vote delayed</title><meta property="og:type" content="article"></head><body>
      <article><p>${PARAGRAPH}</p><p>${PARAGRAPH.replace('Tuesday', 'Wednesday')}</p></article>
      <div class="promo"><p>Subscribe to continue reading our best journalism.</p></div></body></html>`;
    const result = extractArticleFromHtml(html, { source: 'x', url: 'https://site.example/clinic' });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
  });
});
