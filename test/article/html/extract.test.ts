import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeText } from '../../../src/article/article.js';
import { extractArticleFromHtml } from '../../../src/article/html/index.js';
import { readFixture } from '../../helpers/fixtures.js';

function extract(fixture: string, url: string | null = 'https://harborledger.example/news/story?id=1') {
  const result = extractArticleFromHtml(readFixture('html', fixture), { source: url ?? fixture, url });
  if (!result.ok) assert.fail(`expected an article, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('extractArticleFromHtml on a news page full of furniture', () => {
  const article = extract('news-article.html');

  it('GIVEN share buttons THEN they are not in the text', () => {
    assert.doesNotMatch(article.text, /Share on|Email this story/);
  });

  it('GIVEN a related-stories box THEN its links are not in the text', () => {
    assert.doesNotMatch(article.text, /Residents pack hearing|budget gap as revenue/);
  });

  it('GIVEN a newsletter sign-up box THEN it is not in the text', () => {
    assert.doesNotMatch(article.text, /morning briefing|Sign up for our free newsletter|you@example/);
  });

  it('GIVEN a figure caption and a photo credit THEN neither is in the text', () => {
    assert.doesNotMatch(article.text, /outgrown its 1962 building|Lena Ruiz/);
  });

  it('GIVEN a cookie banner, navigation, tags, an author bio, comments and a footer THEN none is in the text', () => {
    for (const clutter of [
      /cookies/i,
      /Opinion/,
      /Libraries/,
      /covers city hall/,
      /Finally!/,
      /Eight million/,
      /All rights reserved/,
    ]) {
      assert.doesNotMatch(article.text, clutter);
    }
  });

  it('GIVEN an "Advertisement" label between paragraphs THEN it is not in the text', () => {
    assert.doesNotMatch(article.text, /Advertisement/);
  });

  it('GIVEN the body paragraphs THEN each is kept whole and separated by one blank line', () => {
    const paragraphs = article.text.split('\n\n');
    assert.equal(
      paragraphs[0],
      'The city council voted 7-2 on Thursday night to fund a new reading wing at the Riverside branch library, ending a two-year debate over how to serve the fastest-growing neighborhood in the county.',
    );
    assert.ok(paragraphs.includes('A long road to a vote'), 'the subheading is its own paragraph');
    assert.ok(paragraphs.includes('The plan includes:'));
    assert.ok(
      paragraphs.includes(
        '"This is the best money the city will spend this decade," said the head librarian, Tomas Reyes.',
      ),
      'the blockquote is its own paragraph',
    );
    assert.equal(
      paragraphs.at(-1),
      "Read the full budget document on the city's website. Work is scheduled to finish before the 2026 school year.",
    );
  });

  it('GIVEN a list THEN each item is its own line of one paragraph', () => {
    assert.match(
      article.text,
      /\n\na children's room twice the size of the current one;\nforty new study carrels with power outlets;\na community kitchen for cooking classes\.\n\n/,
    );
  });

  it('GIVEN the headline, byline and date at the top of the article THEN the text starts with the first paragraph', () => {
    assert.ok(article.text.startsWith('The city council voted 7-2'));
    assert.doesNotMatch(article.text, /City Council Approves|By Maria Okafor|March 14, 2024/);
  });

  it('GIVEN any page THEN the text is already normalized and contains no markup', () => {
    assert.equal(normalizeText(article.text), article.text);
    assert.doesNotMatch(article.text, /<\/?[a-z]+[^>]*>/i);
    assert.doesNotMatch(article.text, /[ \t]{2,}/);
  });

  it('GIVEN the page metadata THEN the article carries title, byline, site, language, date and canonical URL', () => {
    assert.equal(article.title, 'City Council Approves Riverside Library Expansion');
    assert.equal(article.byline, 'Maria Okafor, Dev Patel');
    assert.equal(article.siteName, 'The Harbor Ledger');
    assert.equal(article.lang, 'en-US');
    assert.equal(article.publishedTime, '2024-03-14T18:30:00-05:00');
    assert.equal(article.canonicalUrl, 'https://harborledger.example/news/2024/03/library-expansion');
    assert.equal(article.url, 'https://harborledger.example/news/story?id=1');
    assert.equal(article.source, 'https://harborledger.example/news/story?id=1');
    assert.match(article.contentHash, /^sha256:[0-9a-f]{64}$/);
  });
});

describe('extractArticleFromHtml on clutter that has no telling class names', () => {
  const article = extract('plain-clutter.html', 'https://news.example/2024/10/frost');

  it('GIVEN a byline and an "Updated …" date line above the story THEN both are dropped', () => {
    assert.ok(article.text.startsWith('Apple growers across the valley'));
  });

  it('GIVEN a "Photo:" credit line and an "Advertisement" line THEN both are dropped', () => {
    assert.doesNotMatch(article.text, /Photo:|Dana Whitfield|Advertisement/);
  });

  it('GIVEN an all-caps link to another story and a "Related:" link THEN both are dropped', () => {
    assert.doesNotMatch(article.text, /CIDER PRICES|struggle to find pickers|Related/);
  });

  it('GIVEN a standfirst heading that repeats the meta description THEN it is dropped', () => {
    assert.doesNotMatch(article.text, /cold snap three weeks early/);
  });

  it('GIVEN a hover card inside a sentence THEN the card goes and the name stays in the sentence', () => {
    assert.match(article.text, /since 1952\. State Senator Ruth Okoye called for state aid\./);
    assert.doesNotMatch(article.text, /water bill|MORE/);
  });

  it('GIVEN a paragraph of headline links stacked with <br> THEN it is dropped', () => {
    assert.doesNotMatch(article.text, /Frost maps|save the fruit|EXPLAINER/);
  });

  it('GIVEN a contributor credit, a copyright line and a newsletter pitch at the end THEN all are dropped', () => {
    assert.ok(article.text.endsWith('until December 15.'));
  });

  it('GIVEN the story paragraphs THEN all five are kept', () => {
    assert.equal(article.text.split('\n\n').length, 5);
    assert.match(article.text, /"One cold night can cost us a third of the crop," said Ellen Park/);
  });
});

describe('extractArticleFromHtml in other languages', () => {
  it('GIVEN a Russian page THEN the text, metadata and language are Russian and the clutter is gone', () => {
    const article = extract('russian-article.html', 'https://vestnik.example/culture/123');
    assert.equal(article.lang, 'ru');
    assert.equal(article.title, 'В Петрозаводске открылся музей северного судостроения');
    assert.equal(article.byline, 'Анна Викторова');
    assert.equal(article.siteName, 'Онежский вестник');
    assert.equal(article.publishedTime, '2023-09-05T10:15:00+03:00');
    assert.ok(article.text.startsWith('В субботу в Петрозаводске открылся музей северного судостроения.'));
    assert.ok(article.text.endsWith('Вход для школьников бесплатный.'));
    assert.equal(article.text.split('\n\n').length, 4);
    assert.doesNotMatch(article.text, /Поделиться|Читайте также|Подпишитесь|права защищены/);
  });

  it('GIVEN a Japanese page THEN its paragraphs and subheading are kept and og:locale gives the language', () => {
    const article = extract('japanese-article.html', 'https://minato.example/articles/sento?ref=top');
    assert.equal(article.lang, 'ja-JP');
    assert.equal(article.title, '港町の古い銭湯、クラウドファンディングで再生へ');
    assert.equal(article.byline, '山田花子');
    assert.equal(article.publishedTime, '2022-11-20T08:00:00+09:00');
    assert.equal(article.canonicalUrl, 'https://minato.example/articles/sento');
    const paragraphs = article.text.split('\n\n');
    assert.equal(paragraphs.length, 5);
    assert.ok(paragraphs[0]?.startsWith('創業九十年を超える港町の銭湯「桜湯」が'));
    assert.equal(paragraphs[2], 'タイル画も修復');
    assert.doesNotMatch(article.text, /ポスト|LINEで送る|関連記事|温泉街/);
  });
});
