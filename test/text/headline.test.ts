import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findHeadline, isClutter, openingLine } from '../../src/text/index.js';
import { readFixture } from '../helpers/fixtures.js';

/** examples/lavrov-china.txt: a breadcrumb line, then the headline (ending in a date-time), then prose. */
const sample = readFixture('extractive', 'lavrov-china.txt');
const HEADLINE =
  '“Russia’s emergency cry” – According to the expert, Sergei Lavrov’s visit to China is a sign of what is happening in the Kremlin';

describe('the line a text opens with', () => {
  it('GIVEN the sample, whose first line is a breadcrumb THEN its headline is the second line, without the date-time that closes it', () => {
    assert.match(sample, /^Home » today » World » /u);
    assert.equal(findHeadline(sample), HEADLINE);
    assert.equal(openingLine(sample), HEADLINE);
  });

  it('GIVEN the sample with its line breaks lost (a slash command’s text option) THEN the opening line is its first sentence that is not furniture, and no headline', () => {
    const flat = sample.replace(/\s+/gu, ' ');
    const line = openingLine(flat) ?? '';
    assert.match(line, /^From Beijing’s point of view, Russia is a constantly weakening neighbor/u);
    assert.equal(isClutter(line), false);
    assert.equal(findHeadline(flat), null);
  });

  it('GIVEN texts that open with a headline, with prose, or with furniture only THEN the headline, none, or none', () => {
    assert.equal(
      findHeadline('Harbor Town Opens Its Tidal Barrier\n\nHarbor Town opened it.'),
      'Harbor Town Opens Its Tidal Barrier',
    );
    assert.equal(
      findHeadline(
        'Photo: Jane Doe / REUTERS\nHarbor Town Opens Its Tidal Barrier – 2024-05-02 09:00\nText.',
      ),
      'Harbor Town Opens Its Tidal Barrier',
    );
    const prose = 'Harbor Town opened its new tidal barrier on Wednesday, ending six years of work.\n\nMore.';
    assert.equal(findHeadline(prose), null);
    assert.equal(
      openingLine(prose),
      'Harbor Town opened its new tidal barrier on Wednesday, ending six years of work.',
    );
    assert.equal(openingLine('Home » News » Local\n\nLeave a Comment\n\n#news #local #town'), null);
    assert.equal(openingLine(''), null);
  });
});
