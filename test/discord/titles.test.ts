import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import type { InteractionHandle } from '../../testkit/fakes/discord/index.js';
import { readFixture } from '../helpers/fixtures.js';
import { embedsOf, finalReply } from './views.js';

/** examples/lavrov-china.txt: a breadcrumb line, then its headline, then the article. */
const sample = readFixture('extractive', 'lavrov-china.txt');
const HEADLINE =
  '“Russia’s emergency cry” – According to the expert, Sergei Lavrov’s visit to China is a sign of what is happening in the Kremlin';
/** The headline as a thread name: at most 100 characters, cut at a word. */
const THREAD =
  '“Russia’s emergency cry” – According to the expert, Sergei Lavrov’s visit to China is a sign of…';

/** Whole paragraphs of `text`, packed into pieces of at most `max` characters. */
function piecesOf(text: string, max: number): string[] {
  const pieces: string[] = [];
  for (const paragraph of text.split('\n\n')) {
    const last = pieces.at(-1);
    if (last !== undefined && last.length + 2 + paragraph.length <= max)
      pieces[pieces.length - 1] = `${last}\n\n${paragraph}`;
    else pieces.push(paragraph);
  }
  return pieces;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

let h: Harness;
let articles: ArticleServer;

before(async () => {
  articles = await startArticleServer({
    '/news/hostile': { body: readFixture('html', 'hostile-metadata.html') },
  });
  h = await startHarness(null, { articles, fake: { rateLimits: WIDE_BUCKETS } });
});
after(async () => {
  await h.close();
  await articles.close();
});

async function summaryAndThread(handle: InteractionHandle): Promise<{ embeds: APIEmbed[]; thread: string }> {
  const summary = await finalReply(handle, 30_000);
  const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
  return { embeds: embedsOf(summary), thread: thread.name ?? '' };
}

describe('titles and thread names on Discord', () => {
  it('GIVEN the sample pasted with /summarize text THEN the thread and the summary are named from its headline, not its breadcrumb', async () => {
    const [first = ''] = piecesOf(sample, 6000);
    const { embeds, thread } = await summaryAndThread(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: first } }),
    );
    assert.equal(thread, THREAD);
    assert.equal(embeds[0]?.title, HEADLINE);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the sample with its line breaks lost, as a slash command’s text option receives it THEN the thread is named from its first sentence that is not furniture', async () => {
    const flat = (piecesOf(sample, 5900)[0] ?? '').replace(/\s+/gu, ' ');
    const { embeds, thread } = await summaryAndThread(
      h.fake.sendSlashCommand({ name: 'summarize', options: { text: flat } }),
    );
    assert.match(thread, /^From Beijing’s point of view, Russia is a constantly weakening neighbor/u);
    assert.ok(thread.length <= 100);
    assert.doesNotMatch(embeds[0]?.title ?? '', /»/u);
  });

  it('GIVEN the whole sample pasted into the paste form without a title THEN the thread and the summary are named from its headline', async () => {
    const command = h.fake.sendSlashCommand({ name: 'summarize', options: {} });
    await command.waitFor('modal');
    const modal = command.modal as { custom_id: string };
    const boxes = piecesOf(sample, 4000);
    assert.equal(boxes.length, 2);
    const { embeds, thread } = await summaryAndThread(
      h.fake.sendModalSubmit({
        customId: modal.custom_id,
        fields: { 'part-1': boxes[0] ?? '', 'part-2': boxes[1] ?? '' },
      }),
    );
    assert.equal(thread, THREAD);
    assert.equal(embeds[0]?.title, HEADLINE);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a page whose title, byline and site name carry escape sequences, C1 controls and bidi overrides THEN neither the summary, its thread name nor the stored article carries any', async () => {
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/news/hostile') },
    });
    const { embeds, thread } = await summaryAndThread(handle);
    const [head] = embeds;
    assert.equal(head?.title, 'Harbor Town]0;pwned Opens [2JIts 31mTidal Barrier evil');
    assert.equal(head?.author?.name, 'The Coastal Courier[5m');
    assert.match(head?.description ?? '', /^By Ines\\?\[31m Calloway · 2024-05-02 · /u);
    assert.doesNotMatch(
      JSON.stringify(embeds),
      /\\u00[01][0-9a-f]|\\u007f|[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/u,
    );
    assert.doesNotMatch(thread, UNSAFE);
    assert.match(thread, /^Harbor Town\]0;pwned Opens \[2JIts 31mTidal Barrier evil$/u);
    const stored = await h.bot.system.store.getArticleByUrl(articles.url('/news/hostile'), 3600);
    for (const value of Object.values(stored?.article ?? {})) {
      if (typeof value === 'string' && value !== stored?.article.text) assert.doesNotMatch(value, UNSAFE);
    }
    assert.ok(stored);
    assert.deepEqual(problems(h), []);
  });
});
