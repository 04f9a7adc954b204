import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractArticleFromHtml } from '../../../src/article/html/index.js';
import { jsonLdBodyText, preferJsonLdBody } from '../../../src/article/html/json-ld-body.js';

const SENTENCES = [
  'The river rose two meters overnight and flooded the lower market.',
  'Shop owners moved their stock to the second floor before dawn.',
  'City crews opened the old spillway for the first time since 1998.',
  'By noon the water had started to fall, but the bridge stayed closed.',
  'Officials said damage would be assessed once the streets were dry.',
  'Volunteers handed out sandbags and hot soup at the central square.',
  'Schools on the east bank will stay closed until Monday at least.',
  'The weather service expects two more days of heavy rain upstream.',
];

/** Twelve more, for tests that need a long body with no repeated phrases. */
const MORE = [
  'Farmers north of the city reported fields under half a meter of water.',
  'A freight train was held at the junction while engineers checked the tracks.',
  'The mayor asked residents to avoid driving through standing water after dark.',
  'Insurance agents set up a temporary office in the library parking lot.',
  'Two families were rescued by boat from a farmhouse near the old mill.',
  'Power was cut to four hundred homes as a precaution against short circuits.',
  'The regional hospital postponed routine surgery to keep beds free for emergencies.',
  'Bus routes along the embankment were diverted through the western suburbs.',
  'A retired teacher said the last flood this size happened when she was twelve.',
  'Engineers will inspect the levee next week before deciding on repairs.',
  'The football club offered its stadium as a shelter for displaced residents.',
  'Donations of blankets and bottled water arrived from neighbouring towns by evening.',
];

describe('preferJsonLdBody', () => {
  const full = SENTENCES.join('\n\n');

  it('GIVEN page text that is a teaser of the JSON-LD body THEN the JSON-LD body is used', () => {
    assert.equal(preferJsonLdBody(SENTENCES.slice(0, 2).join('\n\n'), full), full);
  });

  it('GIVEN page text unrelated to a longer JSON-LD body THEN the page text stands', () => {
    const page =
      'An entirely different story about a chess tournament held in the town library last weekend, won by a nine-year-old girl who had only learned the game in March.';
    assert.equal(preferJsonLdBody(page, full), page);
  });

  it('GIVEN page text that matches the JSON-LD body plus a clutter line THEN the clutter line is dropped', () => {
    const long = [...SENTENCES, ...MORE];
    const page = [long[0], 'Sign up for our weekly newsletter', ...long.slice(1)].join('\n\n');
    assert.equal(preferJsonLdBody(page, long.join('\n\n')).replace(/\n{3,}/g, '\n\n'), long.join('\n\n'));
  });

  it('GIVEN a JSON-LD body shorter than 50 words THEN it is never preferred', () => {
    assert.equal(preferJsonLdBody('', SENTENCES[0] ?? ''), '');
  });

  it('GIVEN a JSON-LD body containing HTML and entities THEN it is rendered as text with paragraphs', () => {
    assert.equal(
      jsonLdBodyText('<p>Caf&eacute; opens</p><p>Second &amp; last</p>'),
      'Café opens\n\nSecond & last',
    );
    assert.equal(jsonLdBodyText('Plain text stays'), 'Plain text stays');
  });
});

describe('extractArticleFromHtml with a JSON-LD body', () => {
  it('GIVEN a page that shows two paragraphs but publishes the whole story in JSON-LD THEN the whole story is the text', () => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Flood',
      articleBody: SENTENCES.join('\n\n'),
    });
    const html = `<html><head><title>Flood</title><script type="application/ld+json">${ld}</script></head>
      <body><article><h1>Flood</h1><p>${SENTENCES[0]}</p><p>${SENTENCES[1]}</p></article></body></html>`;
    const result = extractArticleFromHtml(html, { source: 'x', url: 'https://site.example/flood' });
    if (!result.ok) assert.fail(result.error.message);
    assert.equal(result.value.text, SENTENCES.join('\n\n'));
  });
});

describe('extractArticleFromHtml when Readability finds nothing', () => {
  it('GIVEN prose laid out in <br>-separated table cells THEN the densest block is extracted', () => {
    const html = `<html><head><title>Notes</title></head><body><table><tr><td><a href="/">Home</a></td></tr>
      <tr><td>${SENTENCES.slice(0, 4).join('<br><br>')}</td></tr></table></body></html>`;
    const result = extractArticleFromHtml(html, { source: 'x', url: null });
    if (!result.ok) assert.fail(result.error.message);
    assert.equal(result.value.text, SENTENCES.slice(0, 4).join('\n\n'));
  });
});
