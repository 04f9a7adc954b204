import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FormErrors } from '../../../../testkit/fakes/discord/errors.js';
import { charLength } from '../../../../testkit/fakes/discord/json.js';
import { LIMITS } from '../../../../testkit/fakes/discord/limits.js';
import {
  isValidChatInputName,
  validateCommandList,
} from '../../../../testkit/fakes/discord/validate-commands.js';
import {
  validateMessageBody,
  validateModal,
  validateThreadBody,
} from '../../../../testkit/fakes/discord/validate-message.js';

const errorsFor = (check: (errors: FormErrors) => void): FormErrors => {
  const errors = new FormErrors();
  check(errors);
  return errors;
};

describe('Discord limits the fake enforces', () => {
  it('GIVEN any content THEN it is accepted exactly when it has at most 2,000 code points', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(fc.integer({ min: 1900, max: 2100 }), fc.constantFrom('x', 'é', '😀', '👩‍👩‍👧'))
            .map(([n, c]) => c.repeat(n)),
          fc.string({ unit: 'binary', maxLength: 80 }),
        ),
        (content) => {
          const errors = errorsFor((e) => validateMessageBody({ content }, e, 0));
          assert.equal(errors.empty, charLength(content) <= LIMITS.messageContent);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GIVEN a content error THEN the error tree has Discord’s shape', () => {
    const error = errorsFor((e) => validateMessageBody({ content: 'x'.repeat(2001) }, e, 0)).toError();
    assert.ok(error);
    assert.equal(error.status, 400);
    assert.deepEqual(error.body(), {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
      },
    });
  });

  it('GIVEN embeds of any sizes THEN they are accepted exactly within 10 embeds, 4,096 per description and 6,000 in total', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 4200 }), { maxLength: 12 }), (sizes) => {
        const embeds = sizes.map((n) => ({ description: 'd'.repeat(n) }));
        const errors = errorsFor((e) => validateMessageBody({ embeds }, e, 0));
        const total = sizes.reduce((a, b) => a + b, 0);
        const ok =
          sizes.length <= LIMITS.embedsPerMessage &&
          sizes.every((n) => n <= LIMITS.embedDescription) &&
          total <= LIMITS.embedTotal;
        assert.equal(errors.empty, ok, `sizes ${sizes.join(',')}`);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN a field with an empty value THEN it is refused as required', () => {
    const errors = errorsFor((e) =>
      validateMessageBody({ embeds: [{ fields: [{ name: 'n', value: '' }] }] }, e, 0),
    );
    assert.deepEqual(errors.tree, {
      embeds: {
        '0': {
          fields: {
            '0': { value: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } },
          },
        },
      },
    });
  });

  it('GIVEN any thread name THEN it is accepted exactly when 1–100 code points after trimming', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        const errors = errorsFor((e) => validateThreadBody({ name }, e));
        const n = charLength(name.trim());
        assert.equal(errors.empty, n >= 1 && n <= 100);
      }),
    );
  });

  it('GIVEN an archive duration THEN only 60, 1440, 4320 and 10080 are accepted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), (minutes) => {
        const errors = errorsFor((e) => validateThreadBody({ name: 't', auto_archive_duration: minutes }, e));
        assert.equal(errors.empty, [60, 1440, 4320, 10080].includes(minutes));
      }),
    );
  });

  it('GIVEN command names THEN chat-input names must be 1–32 lower-case word characters', () => {
    assert.equal(isValidChatInputName('summarize'), true);
    assert.equal(isValidChatInputName('ask-about_it'), true);
    assert.equal(isValidChatInputName('résumé'), true);
    assert.equal(isValidChatInputName('Summarize'), false);
    assert.equal(isValidChatInputName('two words'), false);
    assert.equal(isValidChatInputName('x'.repeat(33)), false);
  });

  it('GIVEN a string option THEN max_length above 6,000 is refused with its path', () => {
    const errors = validateCommandList([
      {
        name: 'ask',
        description: 'd',
        options: [{ type: 3, name: 'q', description: 'd', max_length: 6001 }],
      },
    ]);
    assert.deepEqual(errors.tree, {
      '0': {
        options: {
          '0': {
            max_length: {
              _errors: [
                { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 6000.' },
              ],
            },
          },
        },
      },
    });
  });

  it('GIVEN modals THEN Discord’s limits hold: 1–5 components, one text input per row, labels 45, title 45, custom id 100, max_length 4,000', () => {
    const input = (n: number, extra: Record<string, unknown> = {}) => ({
      type: 4,
      custom_id: `part-${n}`,
      style: 2,
      ...extra,
    });
    const label = (n: number, text = `Part ${n}`, extra: Record<string, unknown> = {}) => ({
      type: 18,
      label: text,
      component: input(n, extra),
    });
    const modal = (components: unknown[], more: Record<string, unknown> = {}) => ({
      custom_id: 'paste',
      title: 'Paste an article',
      components,
      ...more,
    });
    const paths = (data: Record<string, unknown>) =>
      JSON.stringify(
        errorsFor((e) => validateModal(data, e))
          .toError()
          ?.body() ?? null,
      );
    const five = [1, 2, 3, 4, 5].map((n) => label(n, `Part ${n}`, { max_length: 4000 }));
    assert.equal(paths(modal(five)), 'null', 'five labelled 4,000-character inputs are fine');
    assert.match(paths(modal([...five, label(6)])), /BASE_TYPE_BAD_LENGTH/u);
    assert.match(paths(modal([])), /BASE_TYPE_BAD_LENGTH/u);
    assert.match(
      paths(modal([{ type: 1, components: [input(1, { label: 'A' }), input(2, { label: 'B' })] }])),
      /"components":\{"0":\{"components":\{"_errors"/u,
      'two text inputs in one row are refused',
    );
    assert.equal(paths(modal([{ type: 1, components: [input(1, { label: 'A' })] }])), 'null');
    assert.match(paths(modal([label(1, 'x'.repeat(46))])), /"label"/u);
    assert.match(paths(modal([label(1, 'Part', { placeholder: 'x'.repeat(101) })])), /"placeholder"/u);
    assert.match(paths(modal([label(1, 'Part', { max_length: 4001 })])), /NUMBER_TYPE_MAX/u);
    assert.match(paths(modal(five, { title: 'x'.repeat(46) })), /"title"/u);
    assert.match(paths(modal(five, { custom_id: 'x'.repeat(101) })), /"custom_id"/u);
  });

  it('GIVEN more than ten files THEN the message is refused', () => {
    assert.equal(errorsFor((e) => validateMessageBody({ content: 'x' }, e, 10)).empty, true);
    assert.equal(errorsFor((e) => validateMessageBody({ content: 'x' }, e, 11)).empty, false);
  });
});
