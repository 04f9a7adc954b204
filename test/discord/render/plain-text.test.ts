import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { APIEmbed } from 'discord.js';
import fc from 'fast-check';
import { embedsAsText } from '../../../src/discord/render/plain-text.js';

const squash = (s: string): string => s.replace(/\s+/gu, '');

describe('embedsAsText', () => {
  it('GIVEN a summary embed THEN its title links to the page, and its description, fields and footer follow in order', () => {
    const [text, ...rest] = embedsAsText([
      {
        title: 'Harbor Town Opens Its Tidal Barrier',
        url: 'https://example.com/a',
        author: { name: 'The Coastal Courier' },
        description: '**Summary**\n“The gates close in eleven minutes.” ¶3',
        fields: [{ name: '[1] · ¶4', value: '“It cost 310 million euros.”' }],
        footer: { text: '2/2 quotes found in the article · extractive' },
      },
    ]);
    assert.deepEqual(rest, []);
    assert.equal(
      text,
      [
        '-# The Coastal Courier',
        '## [Harbor Town Opens Its Tidal Barrier](<https://example.com/a>)',
        '**Summary**',
        '“The gates close in eleven minutes.” ¶3',
        '**[1] · ¶4**',
        '“It cost 310 million euros.”',
        '-# 2/2 quotes found in the article · extractive',
      ].join('\n'),
    );
  });

  it('GIVEN any embeds THEN every message is within 2,000 characters and no text is lost', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 5000 });
    const embed = fc.record({
      title: fc.string({ minLength: 1, maxLength: 256 }),
      description: fc.array(line, { maxLength: 4 }).map((l) => l.join('\n')),
      fields: fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 256 }), value: line }), {
        maxLength: 5,
      }),
    });
    fc.assert(
      fc.property(fc.array(embed, { minLength: 1, maxLength: 3 }), (embeds: APIEmbed[]) => {
        const messages = embedsAsText(embeds);
        for (const m of messages) assert.ok(m.length <= 2000 && m.trim() !== '', `a message of ${m.length}`);
        const all = squash(messages.join(''));
        for (const e of embeds) {
          assert.ok(all.includes(squash(e.title ?? '')));
          for (const f of e.fields ?? [])
            assert.ok(all.includes(squash(f.value)), 'a field value survives whole');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('embedsAsText across messages', () => {
  it('GIVEN footnotes that do not all fit in one message THEN each footnote’s name starts the same message as its quote', () => {
    const quote = (n: number) => `“${`Quote number ${n} runs on for a while. `.repeat(12).trim()}”`;
    const messages = embedsAsText([
      {
        description: '**Summary**\nA claim. [1]',
        fields: Array.from({ length: 8 }, (_, i) => ({
          name: `[${i + 1}] · ¶${i + 1}`,
          value: quote(i + 1),
        })),
      },
    ]);
    assert.ok(messages.length > 1, `${messages.length} messages`);
    for (const m of messages) {
      assert.ok(m.length <= 2000);
      assert.doesNotMatch(m, /\*\*\[\d+\] · ¶\d+\*\*$/u, 'no message ends with a footnote’s name alone');
    }
    for (let n = 1; n <= 8; n++) {
      const holder = messages.find((m) => m.includes(`**[${n}] · ¶${n}**`));
      assert.ok(holder?.includes(quote(n)), `footnote ${n} is with its quote`);
    }
  });
});

describe('embedsAsText with a note after', () => {
  it('GIVEN room in the last message THEN the note ends it; GIVEN none THEN it comes as one more message', () => {
    const note = '-# Shown as plain text: I am missing the Embed Links permission in this channel.';
    const short = embedsAsText([{ title: 'A title', description: 'A claim.' }], note);
    assert.deepEqual(short, [`## A title\nA claim.\n${note}`]);
    const full = embedsAsText([{ description: 'x'.repeat(1990) }], note);
    assert.deepEqual(full, ['x'.repeat(1990), note]);
  });
});
