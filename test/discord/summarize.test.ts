import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ArticleServer,
  eventually,
  type Harness,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pasted } from '../../testkit/discord/pages.js';
import { assertQuotesFromArticle, assertWithinLimits, embedsOf, finalReply, replyTo } from './views.js';

/** The article's text as a reader sees it: what every quote must come from. */
const pageText = page.replace(/<[^>]+>/gu, ' ').replace(/&amp;/gu, '&');

let h: Harness;
let articles: ArticleServer;

before(async () => {
  articles = await startArticleServer({
    '/news/tidal-barrier': { body: page },
    '/news/slow': { body: page.replace('Wednesday', 'Thursday'), delayMs: 700 },
  });
  h = await startHarness(null, {
    articles,
    env: { DISCORD_PROGRESS_DELAY_MS: '200' },
    // Many summaries in one channel within seconds: wider buckets than Discord's (the bot waits
    // for Discord's own buckets correctly; test/discord/failures.test.ts covers 429s).
    fake: { rateLimits: WIDE_BUCKETS },
  });
});
after(async () => {
  await h.close();
  await articles.close();
});

describe('summaries on Discord, end to end', () => {
  it('GIVEN /summarize text THEN the deferred reply becomes the summary, a thread opens with an ordinary invitation, and a reply there is answered from the article', async () => {
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    assert.equal(handle.callbackType, 5, 'acknowledged with a deferred reply first');
    assert.ok((handle.ackLatencyMs ?? Infinity) < 3000);
    const [embed] = embedsOf(summary);
    assert.equal(embed?.title, 'Harbor Town Opens Its Tidal Barrier');
    assert.match(embed?.footer?.text ?? '', /^\d+\/\d+ quotes found in the article · extractive$/u);
    assert.match(embed?.description ?? '', /\*\*Summary\*\*/u);
    assertQuotesFromArticle(embedsOf(summary), pasted);
    assertWithinLimits(summary);
    const buttons = JSON.stringify(summary.components);
    assert.ok(buttons.includes('verbatim:ask') && buttons.includes('verbatim:delete'));

    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    assert.equal(thread.name, 'Harbor Town Opens Its Tidal Barrier');
    const invite = await h.fake.waitForMessage(thread.id);
    assert.equal(invite.content, 'Reply to this message or mention me with a question about the article.');
    assert.equal(invite.origin, 'bot', 'an ordinary message, so replies to it carry their text');

    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'How much did the barrier cost?',
      replyToMessageId: invite.id,
    });
    const answer = await replyTo(h.fake, thread.id, question, 10_000);
    const [answerEmbed] = embedsOf(answer);
    assert.match(answerEmbed?.description ?? '', /^\*\*Q:\*\* How much did the barrier cost\?/u);
    const quotes = assertQuotesFromArticle(embedsOf(answer), pasted);
    assert.ok(
      quotes.some((q) => q.includes('310 million euros')),
      'the answer quotes the cost',
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN /summarize url THEN the title links to the page, with its site, byline and quote links; the same link again costs no fetch and no summarizing', async () => {
    const url = articles.url('/news/tidal-barrier');
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url } });
    const summary = await finalReply(handle);
    const [embed] = embedsOf(summary);
    assert.equal(embed?.url, url);
    assert.equal(embed?.title, 'Harbor Town Opens Its Tidal Barrier After Six Years of Work');
    assert.equal(embed?.author?.name, 'The Coastal Courier');
    assert.match(embed?.description ?? '', /^By Ines Calloway · 2024-05-02 · \d+ min read/u);
    assert.match(
      embed?.description ?? '',
      /\[↗\]\(http:\/\/127\.0\.0\.1:\d+\/news\/tidal-barrier#:~:text=[^)\s]+\)/u,
    );
    assertQuotesFromArticle(embedsOf(summary), pageText);
    assert.equal(articles.hits.get('/news/tidal-barrier'), 1);

    const again = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url },
      user: h.fake.userByName('bob').id,
    });
    const second = await finalReply(again);
    assert.deepEqual(embedsOf(second), embedsOf(summary));
    assert.equal(articles.hits.get('/news/tidal-barrier'), 1, 'the stored article was used');
    const posted = await eventually(
      () => h.logs.find((l) => l.msg === 'summary posted' && l.requestId === again.id),
      5000,
      'the summary log line',
    );
    assert.deepEqual(posted.fromCache, { article: true, summary: true });
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a page that takes long to load THEN the reply shows "Fetching the page…" before the summary', async () => {
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/news/slow') },
    });
    await finalReply(handle);
    const contents = handle.edits.map((e) => (e.body as { content?: string }).content ?? '');
    assert.equal(contents[0], 'Fetching the page…');
    assert.ok((handle.original?.embeds.length ?? 0) > 0);
    assert.equal(handle.original?.content, '');
  });

  it('GIVEN /summarize file with a .txt, Discord’s message.txt and an .html file THEN each is read and summarized', async () => {
    const files = [
      h.fake.addAttachment('barrier.txt', 'text/plain', pasted),
      h.fake.addAttachment('message.txt', 'text/plain; charset=utf-8', pasted),
      h.fake.addAttachment('saved-page.html', 'text/html', page),
    ];
    for (const file of files) {
      const handle = h.fake.sendSlashCommand({ name: 'summarize', attachments: { file } });
      const summary = await finalReply(handle);
      assertQuotesFromArticle(embedsOf(summary), pasted.includes('Ines') ? pageText : pageText);
      assert.ok(
        embedsOf(summary)[0]?.title?.startsWith('Harbor Town Opens Its Tidal Barrier'),
        file.filename,
      );
    }
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the "Summarize" message command THEN it summarizes the message’s link, else its text', async () => {
    const withLink = h.fake.postUserMessage({
      content: `worth a read: <${articles.url('/news/tidal-barrier')}> (via a friend)`,
    });
    const first = h.fake.sendMessageContextMenu({ name: 'Summarize', targetMessageId: withLink.id });
    const summary = await finalReply(first);
    assert.equal(embedsOf(summary)[0]?.url, articles.url('/news/tidal-barrier'));

    const withText = h.fake.postUserMessage({ content: pasted.slice(0, 1900) });
    const second = h.fake.sendMessageContextMenu({ name: 'Summarize', targetMessageId: withText.id });
    const textSummary = await finalReply(second);
    assertQuotesFromArticle(embedsOf(textSummary), pasted);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a mention with a link (no Message Content intent) THEN the bot replies with the summary and opens a thread', async () => {
    const mention = h.fake.postUserMessage({
      content: `summarize this please ${articles.url('/news/tidal-barrier')}`,
      mentionsBot: true,
    });
    const reply = await replyTo(h.fake, h.fake.channelId, mention, 10_000);
    assert.equal(reply.origin, 'bot');
    assert.equal(embedsOf(reply)[0]?.url, articles.url('/news/tidal-barrier'));
    assert.deepEqual(reply.api.mentions, [], 'the reply pings nobody, not even the requester');
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === reply.id), 5000, 'thread');
    assert.equal(thread.name, 'Harbor Town Opens Its Tidal Barrier After Six Years of Work');

    const help = h.fake.postUserMessage({ content: 'hello there', mentionsBot: true });
    const helpReply = await replyTo(h.fake, h.fake.channelId, help);
    assert.match(helpReply.content, /Mention me with a link/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN private:true THEN the summary is ephemeral, opens no thread, and the button’s modal answers privately', async () => {
    const threadsBefore = h.fake.threads().length;
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted, private: true } });
    const summary = await finalReply(handle);
    assert.equal(handle.ephemeral, true);
    assert.equal(h.fake.threads().length, threadsBefore, 'no thread for a private summary');

    const click = h.fake.sendButton({ customId: 'verbatim:ask', messageId: summary.id });
    await click.waitFor('modal');
    const submit = h.fake.sendModalSubmit({
      customId: `verbatim:ask-modal:${summary.id}`,
      fields: { question: 'How much does each gate weigh?' },
    });
    const answer = await finalReply(submit);
    assert.equal(submit.ephemeral, true);
    const quotes = assertQuotesFromArticle(embedsOf(answer), pasted);
    assert.ok(quotes.some((q) => q.includes('480 tonnes')));
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a public summary WHEN someone asks through the button THEN the answer goes into the thread and the asker gets a private note', async () => {
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    const bob = h.fake.userByName('bob');
    const click = h.fake.sendButton({ customId: 'verbatim:ask', messageId: summary.id, user: bob.id });
    await click.waitFor('modal');
    const submit = h.fake.sendModalSubmit({
      customId: `verbatim:ask-modal:${summary.id}`,
      fields: { question: 'When is the closure drill held?' },
      user: bob.id,
    });
    await submit.waitFor((x) => x.original?.content.startsWith('Answered in') ?? false, 10_000);
    assert.equal(submit.original?.content, `Answered in <#${thread.id}>.`);
    assert.equal(submit.ephemeral, true);
    const posted = await h.fake.waitForMessage(thread.id, (m) => m.content.startsWith(`<@${bob.id}> asked:`));
    assert.deepEqual(posted.api.mentions, [], 'naming the asker pings nobody');
    assert.ok(assertQuotesFromArticle(embedsOf(posted), pasted).some((q) => q.includes('October')));
  });

  it('GIVEN Delete THEN only the requester may use it, and it removes the summary’s messages and what the store kept', async () => {
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    await h.fake.waitForMessage(thread.id);
    assert.ok(await h.bot.service.store.getThread(summary.id));

    const bob = h.fake.userByName('bob');
    const refused = h.fake.sendButton({ customId: 'verbatim:delete', messageId: summary.id, user: bob.id });
    await refused.waitFor('responded');
    assert.equal(refused.ephemeral, true);
    assert.match(refused.original?.content ?? '', /Only the person who asked/u);
    assert.equal(h.fake.message(summary.id)?.deleted, false);

    const click = h.fake.sendButton({ customId: 'verbatim:delete', messageId: summary.id });
    await click.waitFor((x) => x.followups.some((f) => f.content.startsWith('Deleted')), 10_000);
    assert.equal(h.fake.message(summary.id)?.deleted, true);
    assert.equal(await h.bot.service.store.getThread(summary.id), undefined);
    assert.deepEqual(
      h.fake.messages(thread.id).filter((m) => m.authorId === h.fake.botUser.id),
      [],
    );
    assert.equal(h.fake.channel(thread.id).thread_metadata?.archived, true);
    assert.equal(h.fake.channel(thread.id).name, 'Deleted summary');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a French-speaking user and the offline engine THEN the summary is in the article’s language and says so briefly', async () => {
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted }, locale: 'fr' });
    const summary = await finalReply(handle);
    assert.match(
      embedsOf(summary).at(-1)?.footer?.text ?? '',
      /in English: the offline engine can’t translate to French$/u,
    );
    const chosen = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: pasted, language: 'original' },
      locale: 'fr',
    });
    const original = await finalReply(chosen);
    assert.doesNotMatch(embedsOf(original).at(-1)?.footer?.text ?? '', /translate/u);
  });
});
