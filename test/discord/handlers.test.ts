import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComponentHandler, prefixOf } from '../../src/discord/handler.js';
import { handlers } from '../../src/discord/handlers/index.js';
import { DISCORD_LIMITS } from '../../src/discord/render/limits.js';

/** One example of each handler's data. */
const SAMPLES: Readonly<Record<string, unknown>> = {
  'verbatim:ask': {},
  'verbatim:ask-modal': { conversationId: '1234567890123456789' },
  'verbatim:delete': {},
  'verbatim:refresh': { length: 'detailed', lang: 'pt-BR', private: true },
  'verbatim:retry': { jobId: '1234567890123456789' },
  'verbatim:forget': { action: 'confirm', ownerId: '1234567890123456789' },
  'verbatim:paste': { length: 'short', lang: null, private: false },
  'verbatim:context': { conversationId: '1234567890123456789', articleTag: '0123456789ab', part: 3 },
};

describe('registered buttons and modals', () => {
  it('GIVEN every handler THEN it owns a distinct verbatim: prefix, and the ids it makes are within 100 characters, under its prefix, and parse back to the same data', () => {
    const keys = handlers.map((h) => `${h.type}:${h.prefix}`);
    assert.equal(new Set(keys).size, keys.length, 'one handler per prefix and type');
    for (const handler of handlers as readonly ComponentHandler[]) {
      assert.match(handler.prefix, /^verbatim:[a-z-]+$/u);
      const sample = SAMPLES[handler.prefix];
      assert.ok(sample, `a sample for ${handler.prefix}`);
      const id = handler.customId(sample);
      assert.ok(id.length <= DISCORD_LIMITS.customId, id);
      assert.equal(prefixOf(id), handler.prefix, id);
      assert.deepEqual(handler.parse(id), sample, id);
    }
  });

  it('GIVEN custom ids another handler made, or malformed ones THEN a handler parses none of them', () => {
    const ids = handlers.map((h) => h.customId(SAMPLES[h.prefix]));
    for (const handler of handlers) {
      for (const id of ids.filter((i) => prefixOf(i) !== handler.prefix)) {
        assert.equal(handler.parse(id), null, `${handler.prefix} parsed ${id}`);
      }
    }
    const byPrefix = new Map(handlers.map((h) => [h.prefix, h]));
    for (const [prefix, id] of [
      ['verbatim:forget', 'verbatim:forget:delete:1'],
      ['verbatim:forget', 'verbatim:forget:confirm'],
      ['verbatim:retry', 'verbatim:retry'],
      ['verbatim:ask-modal', 'verbatim:ask-modal:'],
      ['verbatim:ask', 'verbatim:ask:extra'],
      ['verbatim:paste', 'verbatim:paste:long:en:-'],
      ['verbatim:context', 'verbatim:context:-:XYZ:0'],
      ['verbatim:context', 'verbatim:context:123:abc'],
    ] as const) {
      assert.equal(byPrefix.get(prefix)?.parse(id), null, id);
    }
  });
});
