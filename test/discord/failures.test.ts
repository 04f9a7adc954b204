import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ArticleServer,
  type Harness,
  modelEnv,
  problems,
  startArticleServer,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { page, pastedBody as pasted } from '../../testkit/discord/pages.js';
import type { InteractionHandle } from '../../testkit/fakes/discord/index.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import {
  type FakeOpenAI,
  type FakeReply,
  reply,
  startFakeOpenAI,
} from '../../testkit/fakes/openai/server.js';
import { assertQuotesFromArticle, embedsOf, finalReply, replyTo } from './views.js';

/** Waits for a failure told privately after a public deferral: the pending reply removed, an ephemeral follow-up. */
async function privateFailure(handle: InteractionHandle): Promise<string> {
  await handle.waitFor((x) => x.followups.some((f) => f.ephemeral), 10_000);
  assert.equal(handle.callbackType, 5, 'deferred first');
  assert.equal(handle.originalDeleted, true, 'the public "thinking…" reply is removed');
  const [notice] = handle.followups.filter((f) => f.ephemeral);
  assert.ok(notice);
  assert.ok(
    !/Error|at \S+ \(|node:|stack/u.test(notice.content),
    `no error text or stack: ${notice.content}`,
  );
  return notice.content;
}

/** Waits for a refusal that was the acknowledgement itself (no deferral, ephemeral). */
async function immediateRefusal(handle: InteractionHandle): Promise<string> {
  await handle.waitFor('responded');
  assert.equal(handle.callbackType, 4, 'refused at once, without deferring or downloading');
  assert.equal(handle.ephemeral, true);
  return handle.original?.content ?? '';
}

describe('links and files that cannot be summarized', () => {
  let h: Harness;
  let articles: ArticleServer;
  before(async () => {
    articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
    h = await startHarness(null, {
      articles,
      fake: { rateLimits: WIDE_BUCKETS },
      env: { DISCORD_MAX_ATTACHMENT_BYTES: '20000' },
    });
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN a bad link or a missing page THEN a short private message says what to do', async () => {
    const bad = h.fake.sendSlashCommand({ name: 'summarize', options: { url: 'not a link' } });
    assert.match(await privateFailure(bad), /does not look like a web link.*https:\/\//u);
    const missing = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: articles.url('/news/gone') },
    });
    assert.match(await privateFailure(missing), /not found \(the site answered 404\)/u);
    const none = h.fake.sendSlashCommand({ name: 'summarize', options: {} });
    await none.waitFor('modal');
    assert.equal(none.callbackType, 9, 'nothing given: the "Paste an article" modal opens instead');
    const two = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { url: 'https://a.example', text: 'b' },
    });
    assert.match(await immediateRefusal(two), /just one thing/u);
    const failedLogs = h.logs.filter((l) => l.msg === 'request failed');
    assert.deepEqual(
      failedLogs.map((l) => [l.interactionId, l.code]),
      [
        [bad.id, 'invalid_url'],
        [missing.id, 'fetch_failed'],
      ],
      'details go to the log with the interaction id',
    );
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a file over the size limit or of the wrong type THEN it is refused from its metadata, before any download', async () => {
    const big = h.fake.addAttachment('big.txt', 'text/plain', `${pasted}\n\n`.repeat(20));
    const tooBig = h.fake.sendSlashCommand({ name: 'summarize', attachments: { file: big } });
    assert.match(await immediateRefusal(tooBig), /^That file is \d+ KB; I read files up to 20 KB\./u);
    const image = h.fake.addAttachment('photo.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    const wrongType = h.fake.sendSlashCommand({ name: 'summarize', attachments: { file: image } });
    assert.match(await immediateRefusal(wrongType), /\.txt, \.md, \.html, \.pdf/u);
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a file whose stated size is false THEN the download stops at the cap', async () => {
    const real = h.fake.addAttachment('liar.txt', 'text/plain', `${pasted}\n\n`.repeat(20));
    const lying = { ...real, size: 1000 };
    const handle = h.fake.sendSlashCommand({ name: 'summarize', attachments: { file: lying } });
    assert.match(await privateFailure(handle), /too big for me \(the limit is 20 KB\)/u);
  });

  it('GIVEN a mention with a file THEN the file is summarized', async () => {
    const file = h.fake.addAttachment('notes.md', 'text/markdown', `# Barrier notes\n\n${pasted}`);
    const mention = h.fake.postUserMessage({ content: 'this one', mentionsBot: true, attachments: [file] });
    const summary = await replyTo(h.fake, h.fake.channelId, mention, 10_000);
    assert.equal(embedsOf(summary)[0]?.title, 'Barrier notes');
    assertQuotesFromArticle(embedsOf(summary), pasted);
  });
});

describe('addresses the article fetcher refuses', () => {
  let h: Harness;
  let articles: ArticleServer;
  before(async () => {
    articles = await startArticleServer({ '/news/tidal-barrier': { body: page } });
    // FETCH_ALLOW is empty: loopback is private, so it is refused before any connection.
    h = await startHarness(null, { env: { FETCH_ALLOWED_PORTS: String(articles.port) } });
  });
  after(async () => {
    await h.close();
    await articles.close();
  });

  it('GIVEN a link to a local or private address THEN it is refused without connecting', async () => {
    for (const url of [
      articles.url('/news/tidal-barrier'),
      'http://localhost/admin',
      'http://127.0.0.1:1/',
    ]) {
      const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { url } });
      assert.match(await privateFailure(handle), /private or local network/u, url);
    }
    assert.equal(articles.hits.size, 0, 'the local server was never contacted');
    assert.deepEqual(problems(h), []);
  });
});

describe('the model failing', () => {
  let h: Harness;
  let openai: FakeOpenAI;
  let failure: FakeReply | null = null;
  before(async () => {
    openai = await startFakeOpenAI({ handler: (request) => failure ?? realisticReply(request) });
    h = await startHarness(null, {
      fake: { rateLimits: WIDE_BUCKETS },
      env: modelEnv(openai),
    });
  });
  after(async () => {
    await h.close();
    await openai.close();
  });

  it('GIVEN the model answering THEN the footer names the engine and model', async () => {
    failure = null;
    const handle = h.fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const summary = await finalReply(handle);
    assert.match(
      embedsOf(summary).at(-1)?.footer?.text ?? '',
      /quotes found in the article · openai · fake-model$/u,
    );
    assertQuotesFromArticle(embedsOf(summary), pasted);
  });

  it('GIVEN the model answering 500 or 401, or its reply cut off mid-body, THEN the offline engine answers and the footer says it fell back', async () => {
    for (const [fake, code, name] of [
      [reply.serverError(500), 'engine_failed', '500'],
      [reply.unauthorized(), 'auth_failed', '401'],
      [reply.cutOff(), 'engine_failed', 'cut off'],
    ] as const) {
      failure = fake;
      const handle = h.fake.sendSlashCommand({
        name: 'summarize',
        options: { text: `${pasted}\n\n${name}` },
      });
      const summary = await finalReply(handle);
      assert.match(
        embedsOf(summary).at(-1)?.footer?.text ?? '',
        new RegExp(`· extractive · fell back to offline engine: ${code}$`, 'u'),
      );
      assertQuotesFromArticle(embedsOf(summary), pasted);
    }
    failure = null;
  });

  it('GIVEN the model failing for a French reader THEN the offline engine still answers, in the article’s language, and says both', async () => {
    failure = reply.rateLimited(1);
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: `${pasted}\n\nfr` },
      locale: 'fr',
    });
    const summary = await finalReply(handle);
    assert.match(
      embedsOf(summary).at(-1)?.footer?.text ?? '',
      /fell back to offline engine: rate_limited · in English: the offline engine can’t translate to French$/u,
    );
    failure = null;
    assert.deepEqual(problems(h), []);
  });
});
