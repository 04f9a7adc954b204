import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import {
  eventually,
  type Harness,
  problems,
  startHarness,
  WIDE_BUCKETS,
} from '../../testkit/discord/harness.js';
import { PASTE_TITLE, pasteBoxes } from '../../testkit/discord/pages.js';
import { assertQuotesFromArticle, assertWithinLimits, finalReply, quotesShown } from './views.js';

let h: Harness;

before(async () => {
  h = await startHarness(null, { fake: { rateLimits: WIDE_BUCKETS } });
});
after(() => h.close());

const embedsOf = (m: { embeds: unknown[] }) => m.embeds as APIEmbed[];

describe('the "Paste an article" modal, end to end', () => {
  it('GIVEN /summarize with no source THEN a modal opens, and 15,000 characters over its four boxes are summarized whole with the command’s options', async () => {
    const parts = pasteBoxes();
    assert.equal(parts.length, 4);
    const command = h.fake.sendSlashCommand({ name: 'summarize', options: { length: 'detailed' } });
    await command.waitFor('modal');
    assert.equal(command.callbackType, 9, 'the modal is the first response');
    assert.ok((command.ackLatencyMs ?? Infinity) < 3000);
    const modal = command.modal as { custom_id: string; title: string; components: unknown[] };
    assert.equal(modal.custom_id, 'verbatim:paste:detailed:en-US:-');
    assert.equal(modal.title, 'Paste an article');
    assert.equal(modal.components.length, 5);

    const submit = h.fake.sendModalSubmit({
      customId: modal.custom_id,
      fields: {
        title: PASTE_TITLE,
        'part-1': parts[0] ?? '',
        'part-2': parts[1] ?? '',
        'part-3': parts[2] ?? '',
        'part-4': parts[3] ?? '',
      },
    });
    const summary = await finalReply(submit, 30_000);
    assert.equal(submit.callbackType, 5, 'the submission is acknowledged at once, then worked on');
    assert.ok((submit.ackLatencyMs ?? Infinity) < 3000);
    assert.equal(submit.ephemeral, false);
    const text = parts.join('\n\n');
    assert.ok(text.length >= 14_500, `${text.length} characters`);
    const record = await eventually(() => h.bot.service.store.getThread(summary.id), 5000, 'conversation');
    const stored = await h.bot.service.store.getArticle(record?.articleHash ?? '');
    assert.equal(stored?.article.text, text, 'the boxes are joined with blank lines, nothing lost');
    assert.equal(stored?.article.title, PASTE_TITLE, 'the title box is the title, not a paragraph');
    const pastedParagraphs = text.split('\n\n');
    const numbered = [...(embedsOf(summary)[0]?.description ?? '').matchAll(/“([^”…]{20,}?)[^”]*” ¶(\d+)/gu)];
    assert.ok(numbered.length > 0, 'quotes carry their paragraph');
    for (const [, quote = '', n] of numbered) {
      assert.ok(
        pastedParagraphs[Number(n) - 1]?.includes(quote.slice(0, 20)),
        `¶${n} is the pasted paragraph the quote is in (numbered from the first box, not the title)`,
      );
    }

    assert.equal(embedsOf(summary)[0]?.title, PASTE_TITLE);
    assertQuotesFromArticle(embedsOf(summary), text);
    const offsets = quotesShown(embedsOf(summary)).map((q) => text.indexOf(q));
    assert.ok(
      offsets.some((at) => at > 4000),
      `quotes come from beyond the first box too (at ${offsets.join(', ')})`,
    );
    assertWithinLimits(summary);
    assert.doesNotMatch(
      JSON.stringify(summary.components),
      /verbatim:refresh/u,
      'a paste cannot be refreshed',
    );
    await eventually(() => h.fake.threads().find((t) => t.id === summary.id), 5000, 'thread');
    assert.deepEqual(problems(h), []);
  });

  it('GIVEN the modal submitted with only blanks THEN a clear private message; GIVEN private:true THEN the pasted summary is private', async () => {
    const command = h.fake.sendSlashCommand({
      name: 'summarize',
      options: { private: true, language: 'original' },
    });
    await command.waitFor('modal');
    const customId = (command.modal as { custom_id: string }).custom_id;
    assert.equal(customId, 'verbatim:paste:standard::p');
    const empty = h.fake.sendModalSubmit({
      customId,
      fields: { title: PASTE_TITLE, 'part-1': '   \n ', 'part-2': ' ' },
    });
    await empty.waitFor('responded');
    assert.equal(empty.ephemeral, true);
    assert.equal(
      empty.original?.content,
      'There was no text to summarize in the boxes. Paste the article’s text into **Text** and try again.',
    );

    const again = h.fake.sendSlashCommand({ name: 'summarize', options: { private: true } });
    await again.waitFor('modal');
    const submit = h.fake.sendModalSubmit({
      customId: (again.modal as { custom_id: string }).custom_id,
      fields: { 'part-1': pasteBoxes()[0] ?? '' },
    });
    const summary = await finalReply(submit);
    assert.equal(submit.ephemeral, true);
    assertQuotesFromArticle(embedsOf(summary), pasteBoxes()[0] ?? '');
    assert.deepEqual(problems(h), []);
  });
});
