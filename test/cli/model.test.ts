import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../src/core/paths.js';
import { CheckLineSchema, contractProblems, SummarizeLineSchema } from '../../src/core/schema.js';
import { realisticReply } from '../fakes/openai/realistic.js';
import { type FakeOpenAI, reply, startFakeOpenAI } from '../fakes/openai/server.js';
import { runVerbatim } from '../helpers/cli-process.js';

const sample = join(repoRoot(), 'examples', 'lavrov-china.txt');
let server: FakeOpenAI;
let failNext = false;
let dbDir = '';

before(async () => {
  server = await startFakeOpenAI({
    handler: (request) => (failNext ? reply.unauthorized() : realisticReply(request)),
  });
  dbDir = await mkdtemp(join(tmpdir(), 'verbatim-model-'));
});
after(() => server.close());

async function cli(args: string[]) {
  const { code, stdout, stderr } = await runVerbatim(args, {
    env: {
      LOG_LEVEL: 'silent',
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: 'test-key',
      OPENAI_MODEL: 'fake-model',
      OPENAI_MAX_RETRIES: '0',
      DATABASE_PATH: join(dbDir, 'verbatim.db'),
    },
  });
  return { code, stderr, lines: stdout.split('\n').filter(Boolean) };
}

describe('verbatim with a model server', () => {
  it('GIVEN a configured server THEN summarize --engine openai meets the contract with every quote located', async () => {
    const { code, lines } = await cli(['summarize', sample, '--engine', 'openai', '--json']);
    assert.equal(code, 0);
    const line = SummarizeLineSchema.parse(JSON.parse(lines[0] ?? ''));
    assert.equal(line.engine, 'openai');
    assert.equal(line.model, 'fake-model');
    assert.equal(line.fallback, null);
    assert.ok(line.usage.inputTokens > 0);
    const claims = [...line.summary, ...line.keyPoints];
    assert.ok(claims.length > 0);
    assert.deepEqual(contractProblems(line.article.text, { grounding: line.grounding, claims }), []);
  });

  it('GIVEN the same request again THEN it is answered from the store without a model call', async () => {
    const before = server.requests.length;
    const { code, lines } = await cli(['summarize', sample, '--engine', 'openai', '--json']);
    assert.equal(code, 0);
    assert.equal(server.requests.length, before);
    assert.equal(SummarizeLineSchema.parse(JSON.parse(lines[0] ?? '')).engine, 'openai');
  });

  it('GIVEN the server refuses the key THEN the offline engine answers and says it fell back', async () => {
    failNext = true;
    try {
      const { code, lines } = await cli([
        'summarize',
        sample,
        '--engine',
        'openai',
        '--json',
        '--length',
        'short',
      ]);
      assert.equal(code, 0);
      const line = SummarizeLineSchema.parse(JSON.parse(lines[0] ?? ''));
      assert.deepEqual(line.fallback, { from: 'openai', code: 'auth_failed' });
      assert.equal(line.engine, 'extractive');
    } finally {
      failNext = false;
    }
  });

  it('GIVEN claims THEN check prints one verdict line per claim', async () => {
    const { code, lines } = await cli([
      'check',
      sample,
      'Lavrov will visit China on Monday and Tuesday.',
      'Lavrov will visit Japan on Friday.',
      '--json',
    ]);
    assert.equal(code, 0);
    const [yes, no] = lines.map((l) => CheckLineSchema.parse(JSON.parse(l)));
    assert.equal(yes?.supported, true);
    assert.ok((yes?.quotes.length ?? 0) > 0);
    assert.equal(no?.supported, false);
    assert.ok(no?.reasons.some((r) => r.includes('Japan')));
  });
});
