import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  type Harness,
  problems,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import type { RecordedPayload } from '../../testkit/fakes/discord/index.js';
import { readFixture } from '../helpers/fixtures.js';
import { assertQuotesFromArticle, assertWithinLimits, embedsOf, finalReply, replyTo } from './views.js';

/** The message body inside a recorded request (callbacks wrap it in `data`). */
function messageBody(p: RecordedPayload): Record<string, unknown> | null {
  const body = p.body as Record<string, unknown>;
  const data = p.kind === 'callback' ? (body.data as Record<string, unknown> | undefined) : body;
  if (!data || !('content' in data || 'embeds' in data)) return null;
  return data;
}

/** A long article of long, distinct sentences (~390 characters), so a detailed summary needs several messages. */
function longArticle(): string {
  const words = [
    'measurements',
    'environmental',
    'infrastructure',
    'sedimentation',
    'administrators',
    'neighbourhoods',
    'consultations',
    'hydrographic',
    'transformation',
    'investigators',
    'maintenance',
    'precipitation',
  ];
  const paragraphs: string[] = ['The Long Report on the Estuary'];
  for (let p = 0; p < 30; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 3; s++) {
      const picked = Array.from(
        { length: 28 },
        (_, i) => words[(p * 7 + s * 5 + i * ((p % 5) + 1)) % words.length],
      );
      sentences.push(`Section ${p + 1} part ${s + 1} describes ${picked.join(' ')}.`);
    }
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs.join('\n\n');
}

describe('safety and Discord limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(null, { fake: { rateLimits: WIDE_BUCKETS } });
  });
  after(() => h.close());

  it('GIVEN an article with @everyone, role and user mentions and a masked link THEN nobody is pinged and nothing renders as a mention or a link', async () => {
    const bob = h.fake.userByName('bob');
    const article = `${readFixture('discord', 'unsafe-article.txt')}\n\nThe clerk also thanked <@${bob.id}> @here for the flyers and the @everyone notice on the board.`;
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { text: article, length: 'detailed' },
    });
    const summary = await finalReply(handle);
    const thread = await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    const invite = await h.fake.waitForMessage(thread.id);
    const question = h.fake.postUserMessage({
      channelId: thread.id,
      content: 'What did the council propose spending on road repairs?',
      replyToMessageId: invite.id,
    });
    const answer = await replyTo(h.fake, thread.id, question, 10_000);

    const shown = JSON.stringify([...embedsOf(summary), ...embedsOf(answer)]);
    assert.ok(
      shown.includes('@\\u200beveryone') || shown.includes('@\u200beveryone'),
      'the text is kept, made inert',
    );
    assert.ok(!/@everyone|@here|<@&123>|<@456>|<@\d{17,20}>/u.test(shown), 'no raw mention survives');
    assert.ok(!/(?<!\\)\[click here\]\(/u.test(shown), 'the masked link is broken');

    const bodies = h.fake
      .recordedPayloads()
      .map((r) => messageBody(r.payload))
      .filter((b) => b !== null);
    assert.ok(bodies.length >= 3, 'the summary, the invitation and the answer');
    for (const body of bodies) {
      assert.deepEqual(
        body.allowed_mentions,
        { parse: [], replied_user: false },
        JSON.stringify(body).slice(0, 200),
      );
    }
    for (const message of h.fake.messages(null).filter((m) => m.authorId === h.fake.botUser.id)) {
      assert.deepEqual(message.api.mentions, [], 'the bot’s message mentions nobody');
      assert.equal(message.api.mention_everyone, false);
    }
    assert.ok(assertQuotesFromArticle(embedsOf(answer), article).some((q) => q.includes('**four million**')));
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN a long article and a detailed summary THEN it is split across messages at claim boundaries, each within every limit, with no quote cut', async () => {
    const article = longArticle();
    const file = h.fake.addAttachment('report.txt', 'text/plain', article);
    const handle = h.fake.sendSlashCommand({
      name: 'summarize',
      attachments: { file },
      options: { length: 'detailed' },
    });
    const first = await finalReply(handle, 30_000);
    await handle.waitFor((x) => x.followups.length >= 1, 10_000);
    const messages = [first, ...handle.followups];
    assert.ok(messages.length >= 2, `split over ${messages.length} messages`);
    for (const message of messages) {
      assertWithinLimits(message);
      assertQuotesFromArticle(embedsOf(message), article);
      assert.equal(message.ephemeral, false);
    }
    assert.equal(embedsOf(first)[0]?.title, 'The Long Report on the Estuary');
    assert.ok(
      embedsOf(messages.at(-1) as (typeof messages)[number])[0]?.footer?.text.includes('quotes found'),
    );
    assert.ok(JSON.stringify(first.components).includes('verbatim:ask'), 'buttons on the first message');
    await eventually(() => h.fake.threads().find((t) => t.id === first.id), 5000, 'thread under the first');
    assert.deepEqual(problems(h), []);
  });
});
