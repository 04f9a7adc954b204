import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { type Article, makeArticle } from '../../src/article/article.js';
import { firstLink } from '../../src/discord/message-content.js';
import { inert } from '../../src/discord/render/escape.js';
import { DISCORD_LIMITS, fitText } from '../../src/discord/render/limits.js';
import { embedsAsText } from '../../src/discord/render/plain-text.js';
import { renderAnswerEmbeds } from '../../src/discord/render/render-answer.js';
import { renderSummaryEmbeds, threadName } from '../../src/discord/render/render-summary.js';
import { encodeFragmentTerm, textFragmentUrl } from '../../src/discord/render/text-fragment.js';
import type { AnswerResult, Claim, SummaryResult } from '../../src/engines/engine.js';
import { type Quote, quoteSpan } from '../../src/grounding/index.js';
import { limitProblems } from './views.js';

/** The texts a reader sees in one embed, each a place a quote must appear whole in. */
const places = (e: APIEmbed): string[] => [e.description ?? '', ...(e.fields ?? []).map((f) => f.value)];

const tricky = fc.constantFrom(
  '*',
  '**',
  '_',
  '__',
  '~~',
  '||',
  '`',
  '```',
  '> ',
  '# ',
  '-# ',
  '- ',
  '1. ',
  '[x](https://evil.example)',
  '@everyone',
  '@here',
  '<@&123>',
  '<@456789012345678901>',
  '<#1>',
  '</ask:1>',
  '\\',
  '😀',
  '𝔘𝔫𝔦',
  'é',
  '漢字',
  'عربى',
  ')',
  '(',
);
const word = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z]{1,12}$/) },
  { weight: 2, arbitrary: tricky },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
);
const sentence = fc.array(word, { minLength: 1, maxLength: 90 }).map((w) => `${w.join(' ')}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((s) => s.join(' '));

const articleArb = fc
  .record({
    paragraphs: fc.array(paragraph, { minLength: 1, maxLength: 30 }),
    title: fc.option(fc.array(word, { minLength: 1, maxLength: 80 }).map((w) => w.join(' '))),
    url: fc.option(fc.constantFrom('https://news.example/a-b/c?x=1&y=2', 'http://127.0.0.1:8080/story(1)')),
    site: fc.option(fc.string({ maxLength: 400 })),
    byline: fc.option(fc.string({ maxLength: 300 })),
  })
  .map(({ paragraphs, title, url, site, byline }) =>
    makeArticle(paragraphs.join('\n\n'), {
      source: url ?? 'discord:text',
      url,
      title,
      siteName: site,
      byline,
    }),
  )
  .filter((a) => a.text.length > 0);

/** Random quotes of an article: spans of random places and lengths (up to the 400-character cap). */
const quotesOf = (article: Article) =>
  fc
    .array(
      fc
        .tuple(fc.nat({ max: article.text.length }), fc.integer({ min: 1, max: 600 }))
        .map(([start, len]) =>
          quoteSpan(
            article.text,
            Math.min(start, article.text.length),
            Math.min(article.text.length, start + len),
          ),
        ),
      { minLength: 1, maxLength: 6 },
    )
    .map((qs) => qs.filter((q): q is Quote => q !== null))
    .filter((qs) => qs.length > 0);

const claimOf = (article: Article) =>
  fc.oneof(
    quotesOf(article).map((qs) => ({ text: (qs[0] as Quote).text, quotes: [qs[0] as Quote] })),
    fc.record({
      text: fc.oneof(
        fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(' ')),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2500 }),
      ),
      quotes: quotesOf(article),
    }),
  );

const info = {
  engine: 'openai',
  model: 'fake-model',
  fallback: null,
  grounding: { proposed: 9, verified: 9, dropped: 0, repaired: 0, unsupported: 0 },
  usage: { inputTokens: 0, outputTokens: 0 },
};

const summaryCase = articleArb.chain((article) =>
  fc.record({
    article: fc.constant(article),
    summary: fc.array(claimOf(article), { minLength: 1, maxLength: 6 }),
    keyPoints: fc.array(claimOf(article), { maxLength: 20 }),
  }),
);

function assertEveryQuoteWhole(embeds: readonly APIEmbed[], claims: readonly Claim[]): void {
  for (const claim of claims) {
    for (const q of claim.quotes) {
      const shown = inert(q.text);
      assert.ok(
        embeds.some((e) => places(e).some((p) => p.includes(shown))),
        `quote shown whole: ${JSON.stringify(q.text.slice(0, 80))}`,
      );
    }
  }
}

describe('rendering summaries and answers for Discord', () => {
  it('GIVEN random summaries (claim and quote lengths, unicode, markdown) THEN every message obeys every limit and every quote appears whole', () => {
    fc.assert(
      fc.property(summaryCase, ({ article, summary, keyPoints }) => {
        const result: SummaryResult = { ...info, summary, keyPoints };
        const embeds = renderSummaryEmbeds(article, result, { wanted: 'fr-FR', used: 'en' });
        assert.ok(embeds.length >= 1);
        for (const embed of embeds) assert.deepEqual(limitProblems([embed]), []);
        assertEveryQuoteWhole(embeds, [...summary, ...keyPoints]);
        assert.ok(embeds[0]?.title, 'the first message is titled');
        assert.ok(embeds.at(-1)?.footer?.text.includes('9/9 quotes found in the article'));
      }),
      { numRuns: 150 },
    );
  });

  it('GIVEN random summaries of links fetched at any time THEN every message still obeys every limit and the first says when the page was fetched', () => {
    fc.assert(
      fc.property(
        summaryCase,
        fc.integer({ min: 0, max: 8_640_000_000_000_000 }),
        ({ article, summary, keyPoints }, fetchedAt) => {
          const result: SummaryResult = { ...info, summary, keyPoints };
          const embeds = renderSummaryEmbeds(article, result, { wanted: 'fr-FR', used: 'en' }, fetchedAt);
          for (const embed of embeds) assert.deepEqual(limitProblems([embed]), []);
          assertEveryQuoteWhole(embeds, [...summary, ...keyPoints]);
          assert.ok(
            embeds[0]?.description?.includes(`fetched <t:${Math.floor(fetchedAt / 1000)}:R>`),
            'a Discord timestamp in the facts line (footers show them raw)',
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('GIVEN random answers THEN every message obeys every limit and every quote appears whole', () => {
    fc.assert(
      fc.property(
        summaryCase,
        fc.string({ unit: 'grapheme', maxLength: 1000 }),
        ({ article, keyPoints, summary }, question) => {
          const answer = [...summary, ...keyPoints].slice(0, 8);
          const result: AnswerResult = { ...info, answerable: answer.length > 0, answer, nearest: [] };
          const embeds = renderAnswerEmbeds(article, question, result);
          for (const embed of embeds) assert.deepEqual(limitProblems([embed]), []);
          assertEveryQuoteWhole(embeds, answer);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('GIVEN no answer but closest passages THEN they are shown under their own heading, as quotes, never as the answer, in embeds and plain text', () => {
    const article = makeArticle('Trade with China is a lifeline.\n\nRussia sells oil to China.');
    const nearest = [quoteSpan(article.text, 0, 31), quoteSpan(article.text, 33, 59)].filter(
      (q): q is Quote => q !== null,
    );
    const result: AnswerResult = {
      ...info,
      grounding: { proposed: 2, verified: 2, dropped: 0, repaired: 0, unsupported: 0 },
      answerable: false,
      answer: [],
      nearest,
    };
    const embeds = renderAnswerEmbeds(article, 'How much trade is there?', result);
    const description = embeds.map((e) => e.description ?? '').join('\n');
    assert.match(description, /The article doesn’t answer this directly\./u);
    assert.match(
      description,
      /\*\*The closest it comes \(not an answer\)\*\*\n> “Trade with China is a lifeline\.” ¶1\n> “Russia sells oil to China\.” ¶2/u,
    );
    assert.doesNotMatch(description, /doesn’t say/u);
    const plain = embedsAsText(embeds).join('\n');
    assert.match(plain, /The closest it comes \(not an answer\)/u);
    assert.match(plain, /> “Russia sells oil to China\.” ¶2/u);
    const none = renderAnswerEmbeds(article, 'Who?', { ...result, nearest: [], grounding: info.grounding });
    assert.match(none[0]?.description ?? '', /The article doesn’t say\./u);
  });

  it('GIVEN claims shown in the article’s own words THEN the footer says so beside the quotes found', () => {
    const article = makeArticle('Trade with China is a lifeline.');
    const quote = quoteSpan(article.text, 0, article.text.length) as Quote;
    const result: AnswerResult = {
      ...info,
      grounding: { proposed: 1, verified: 1, dropped: 0, repaired: 0, unsupported: 1 },
      answerable: true,
      answer: [{ text: quote.text, quotes: [quote] }],
      nearest: [],
    };
    const footer = renderAnswerEmbeds(article, 'Why?', result).at(-1)?.footer?.text ?? '';
    assert.match(footer, /^1\/1 quotes found in the article · 1 claim shown in the article’s own words/u);
  });

  it('GIVEN a sentence quoted in part (cut at 400 characters, or a clause) THEN the quote line, the footnote field and plain text show … where it goes on, and the quote’s own characters are unchanged', () => {
    const long = `Harbor Town opened its barrier after the council said that ${Array.from(
      { length: 40 },
      (_, i) => `gate ${i + 1} had been tested`,
    ).join(', ')}, and the mayor welcomed it.`;
    const article = makeArticle(`${long}\n\nThe gates weigh 480 tonnes each.`, {
      source: 'https://news.example/barrier',
      url: 'https://news.example/barrier',
    });
    const cut = quoteSpan(article.text, 0, long.length);
    const clauseAt = article.text.indexOf('gate 3 had been tested');
    const clause = quoteSpan(article.text, clauseAt, clauseAt + 'gate 3 had been tested'.length);
    const whole = quoteSpan(article.text, long.length + 2, article.text.length);
    assert.ok(cut && clause && whole && cut.text.length < long.length);
    const result: SummaryResult = {
      ...info,
      summary: [{ text: `${cut.text}…`, quotes: [cut] }],
      keyPoints: [
        { text: 'Gate 3 was tested.', quotes: [clause] },
        { text: whole.text, quotes: [whole] },
      ],
    };
    const [embed] = renderSummaryEmbeds(article, result, null);
    const description = embed?.description ?? '';
    assert.ok(description.includes(`“${inert(cut.text)}…” ¶1`), description);
    assert.ok(description.includes(`• “${inert(whole.text)}” ¶2`), 'a whole sentence has no mark');
    assert.equal(
      embed?.fields?.[0]?.value,
      '“…gate 3 had been tested…” [↗](https://news.example/barrier#:~:text=gate%203%20had%20been%20tested)',
      'the link opens the page at the quote’s own words',
    );
    const plain = embedsAsText(renderSummaryEmbeds(article, result, null)).join('\n');
    assert.ok(plain.includes('“…gate 3 had been tested…”'));
    assert.ok(plain.includes(`${inert(cut.text).slice(-40)}…”`));
  });

  it('GIVEN random titles THEN thread names are 1–100 characters, cut at a word, surrogates intact', () => {
    fc.assert(
      fc.property(articleArb, (article) => {
        const name = threadName(article);
        assert.ok(name.length >= 1 && name.length <= DISCORD_LIMITS.threadName, name);
        assert.ok(!/[\ud800-\udbff]$/u.test(name), 'no lone high surrogate at the end');
        assert.equal(name, name.trim());
      }),
      { numRuns: 200 },
    );
    const long = makeArticle('x', { title: `${'Harbor Town Opens Its Tidal Barrier '.repeat(5)}Today` });
    const name = threadName(long);
    assert.ok(name.length <= 100);
    assert.match(name, /Barrier…$|Tidal…$|Its…$|Opens…$|Town…$|Harbor…$/u);
  });

  it('GIVEN a quote THEN the text-fragment link percent-encodes -, comma and & and uses a few words at each end', () => {
    assert.equal(encodeFragmentTerm('a-b, c & d (e)'), 'a%2Db%2C%20c%20%26%20d%20%28e%29');
    assert.equal(
      textFragmentUrl('https://news.example/story#top', 'The barrier cost 310 million euros.'),
      'https://news.example/story#:~:text=The%20barrier%20cost%20310%20million%20euros.',
    );
    assert.equal(
      textFragmentUrl(
        'https://news.example/story',
        'Mayor Ruth Adeyemi said the gates would close about twelve times a year at first, a well-known fact.',
      ),
      'https://news.example/story#:~:text=Mayor%20Ruth%20Adeyemi%20said%20the,at%20first%2C%20a%20well%2Dknown%20fact.',
    );
    assert.equal(textFragmentUrl('discord:text', 'anything'), null);
  });

  it('GIVEN article text with markdown, masked links and mentions THEN it is shown inert', () => {
    const shown = inert('**bold** [click](https://evil.example) @everyone <@&123> <@456>\n# heading');
    assert.ok(!shown.includes('**bold**'));
    assert.ok(!/(?<!\\)\[click\]\(/u.test(shown), shown);
    assert.ok(!shown.includes('@everyone'));
    assert.ok(!shown.includes('<@&123>') && !shown.includes('<@456>'));
    assert.ok(!shown.includes('\n'));
    assert.equal(inert('> quoted'), '\\> quoted');
  });

  it('GIVEN titles too long THEN fitText cuts at a word and stays within the limit after escaping', () => {
    const title = `${'**Tidal** barrier '.repeat(30)}end`;
    const fitted = fitText(title, 256, inert);
    assert.ok(fitted.length <= 256);
    assert.ok(fitted.endsWith('…'));
  });

  it('GIVEN messages with links THEN the first link is found without its surrounding punctuation', () => {
    assert.equal(firstLink('see https://a.example/x.'), 'https://a.example/x');
    assert.equal(
      firstLink('(https://en.wikipedia.org/wiki/Foo_(bar))'),
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    );
    assert.equal(firstLink('<https://a.example/y> and https://b.example'), 'https://a.example/y');
    assert.equal(firstLink('[t](https://a.example/z)'), 'https://a.example/z');
    assert.equal(firstLink('no link here'), null);
  });
});
