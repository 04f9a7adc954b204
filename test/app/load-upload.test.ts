import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadUpload } from '../../src/app/load-upload.js';
import { createAppWorkerPool } from '../../src/app/pooled-engine.js';
import { DEFAULT_INGEST_LIMITS } from '../../src/article/ingest.js';
import { WorkerPool } from '../../src/article/worker/index.js';
import { failureMessage } from '../../src/discord/texts.js';
import { expectFailure } from '../article/fetch/local-server.js';
import { craftedPdf, nestedHtml } from '../helpers/crafted.js';

const upload = (bytes: Uint8Array, filename: string, contentType: string | null = null) => ({
  bytes,
  filename,
  contentType,
  meta: { source: `discord:attachment/${filename}` },
});

describe('loadUpload through the real worker pool', () => {
  const pool = createAppWorkerPool(1);
  after(() => pool.close());

  it('GIVEN an uploaded 20,000-page PDF THEN too_large with reason pages, without reading its pages', {
    timeout: 120_000,
  }, async () => {
    const error = expectFailure(await loadUpload(upload(craftedPdf(20_000), 'book.pdf'), pool));
    assert.equal(error.code, 'too_large');
    assert.equal(error.details.reason, 'pages');
    assert.equal(error.details.limit, DEFAULT_INGEST_LIMITS.maxPdfPages);
    assert.match(failureMessage(error), /too many pages/);
    assert.doesNotMatch(failureMessage(error), /KB|MB/);
  });

  it('GIVEN an uploaded page nested 200,000 deep THEN it is read within the pool’s time limit', {
    timeout: 120_000,
  }, async () => {
    const error = expectFailure(
      await loadUpload(upload(new TextEncoder().encode(nestedHtml(200_000)), 'deep.html'), pool),
    );
    assert.equal(error.code, 'not_an_article');
  });
});

describe('a slow upload is not blamed on a site', () => {
  const hurried = new WorkerPool({ size: 1, timeoutMs: 1 });
  after(() => hurried.close());

  it('GIVEN an uploaded HTML file whose parsing outlasts the pool’s limit THEN timeout at step parse, and the message speaks of the document', async () => {
    const html = `<html><body><article>${'<p>The council met again and voted on the clinic.</p>'.repeat(2000)}</article></body></html>`;
    const error = expectFailure(
      await loadUpload(upload(new TextEncoder().encode(html), 'page.html'), hurried),
    );
    assert.equal(error.code, 'timeout');
    assert.equal(error.details.step, 'parse');
    const message = failureMessage(error);
    assert.doesNotMatch(message, /site/i);
    assert.match(message, /document/);
  });
});
