import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CUSTOM_IDS,
  decodeSummaryOptions,
  encodeSummaryOptions,
  pasteModal,
  summaryButtons,
} from '../../src/discord/payloads.js';
import { DISCORD_LIMITS } from '../../src/discord/render/limits.js';
import { SUMMARY_LENGTHS } from '../../src/engines/engine.js';
import { FormErrors } from '../../testkit/fakes/discord/errors.js';
import { validateModal } from '../../testkit/fakes/discord/validate-message.js';

const optionsArb = fc.record({
  length: fc.constantFrom(...SUMMARY_LENGTHS),
  lang: fc.option(fc.stringMatching(/^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8}){0,4}$/u), { nil: null }),
  private: fc.boolean(),
});

describe('component payloads', () => {
  it('GIVEN any summary options THEN they survive a custom id within 100 characters, for Refresh and the paste modal', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        for (const prefix of [CUSTOM_IDS.refresh, CUSTOM_IDS.pasteModal]) {
          const id = `${prefix}:${encodeSummaryOptions(options)}`;
          assert.ok(id.length <= DISCORD_LIMITS.customId, id);
          const back = decodeSummaryOptions(id, prefix);
          assert.equal(back?.length, options.length);
          assert.equal(back?.private, options.private);
          if (options.lang === null || options.lang.length <= 35) assert.equal(back?.lang, options.lang);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN a custom id that is not ours or is malformed THEN no options are read from it', () => {
    for (const id of [
      'verbatim:refresh',
      'verbatim:refresh:long:en:-',
      'verbatim:refresh:short:en',
      'verbatim:refresh:short:en:x',
      'verbatim:paste:short:en:-',
    ]) {
      assert.equal(decodeSummaryOptions(id, CUSTOM_IDS.refresh), null, id);
    }
  });

  it('GIVEN summary buttons THEN Refresh is there only when asked for (links), between Ask and Delete', () => {
    const ids = (rows: ReturnType<typeof summaryButtons>) =>
      rows.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    assert.deepEqual(ids(summaryButtons()), ['verbatim:ask', 'verbatim:delete']);
    assert.deepEqual(ids(summaryButtons({ length: 'short', lang: 'pt-BR', private: false })), [
      'verbatim:ask',
      'verbatim:refresh:short:pt-BR:-',
      'verbatim:delete',
    ]);
  });

  it('GIVEN the paste modal THEN Discord would accept it: five labelled inputs of at most 4,000 characters, the first text box required', () => {
    const modal = pasteModal({ length: 'detailed', lang: 'zh-TW', private: true });
    const errors = new FormErrors();
    validateModal(modal as unknown as Record<string, unknown>, errors);
    assert.equal(errors.empty, true, JSON.stringify(errors.toError()?.body()));
    assert.equal(modal.components.length, 5);
    const inputs = modal.components.map((c) => ('component' in c ? c.component : null));
    assert.deepEqual(
      inputs.map((i) => [i?.custom_id, i && 'required' in i ? i.required : undefined]),
      [
        ['title', false],
        ['part-1', true],
        ['part-2', false],
        ['part-3', false],
        ['part-4', false],
      ],
    );
  });
});
