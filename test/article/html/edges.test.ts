import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trimEdges } from '../../../src/article/html/edges.js';

describe('page edges in other scripts', () => {
  it('GIVEN a Korean, Japanese or Chinese rights line, a ⓒ line or a caption with a full-width colon at the edges THEN trimEdges drops it and keeps the prose', () => {
    const prose =
      'The city council voted on Thursday night to fund a new reading wing at the branch library, ending a long debate.';
    for (const edge of [
      '무단전재 및 재배포 금지',
      '無断転載を禁じます',
      '版权所有 2024',
      'ⓒ 2024 Example News',
      'Photo：Reuters',
    ]) {
      assert.equal(trimEdges(`${prose}\n\n${edge}`, null), `${prose}\n`, edge);
    }
  });
});
