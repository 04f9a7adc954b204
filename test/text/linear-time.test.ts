import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureGrowth, TEXT_CASES } from '../../testkit/drivers/adversarial-text.js';

// Every function that runs on article text, on every adversarial shape it is listed with, at 50,000
// and 200,000 characters: linear growth is a ratio of 4, quadratic 16. The limit is 10, with a
// floor for times too small to measure on a loaded machine (testkit/drivers/adversarial-text.ts).
describe('linear time on crafted text', () => {
  for (const textCase of TEXT_CASES) {
    it(`GIVEN adversarial shapes THEN ${textCase.name} grows linearly`, async () => {
      for (const shape of textCase.shapes) {
        const g = await measureGrowth(textCase.run, shape);
        const took =
          g.largeMs === null
            ? `${g.smallMs.toFixed(0)} ms on ${g.smallChars} characters alone`
            : `${g.smallMs.toFixed(1)} ms → ${g.largeMs.toFixed(1)} ms (×${(g.largeMs / g.smallMs).toFixed(1)})`;
        assert.ok(g.linear, `${textCase.name} on ${shape.name}: ${took}`);
      }
    });
  }
});
