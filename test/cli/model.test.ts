import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config.js';
import { repoRoot } from '../../src/core/paths.js';
import { CheckLineSchema, contractProblems, SummarizeLineSchema } from '../../src/core/schema.js';
import { loadPrompts, PROMPT_NAMES, type Prompts } from '../../src/engines/openai/index.js';
import { realisticReply } from '../../testkit/fakes/openai/realistic.js';
import { type FakeOpenAI, reply, startFakeOpenAI } from '../../testkit/fakes/openai/server.js';
import { runVerbatim } from '../helpers/cli-process.js';

const sample = join(repoRoot(), 'examples', 'lavrov-china.txt');

/** The repository's prompts with one sentence added to a system prompt: a new prompt version. */
function changedPrompts(): Prompts {
  const current = loadPrompts();
  const dir = mkdtempSync(join(tmpdir(), 'verbatim-prompts-'));
  try {
    for (const name of PROMPT_NAMES) writeFileSync(join(dir, `${name}.md`), current.templates[name]);
    writeFileSync(join(dir, 'summarize.system.md'), `${current.templates['summarize.system']}\nBe brief.`);
    return loadPrompts(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let server: FakeOpenAI;
let failNext = false;
let cutNext = false;
let dbDir = '';

before(async () => {
  server = await startFakeOpenAI({
    handler: (request) =>
      failNext ? reply.unauthorized() : cutNext ? reply.cutOff() : realisticReply(request),
  });
  dbDir = await mkdtemp(join(tmpdir(), 'verbatim-model-'));
});
after(() => server.close());

function modelEnv(): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'fake-model',
    OPENAI_MAX_RETRIES: '0',
    DATABASE_PATH: join(dbDir, 'verbatim.db'),
  };
}

/** The command as it ships (the bundled bin, its own process), against the fake model server. */
async function cli(args: string[]) {
  const { code, stdout, stderr } = await runVerbatim(args, { env: modelEnv() });
  return { code, stderr, lines: stdout.split('\n').filter(Boolean) };
}

/** The same command run in this process, where a test can hand it other prompts (a new prompt version). */
async function cliWithPrompts(args: string[], prompts: Prompts) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {})(),
    prompts,
    config: () => parseConfig(modelEnv()),
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

  it('GIVEN a summary cached under the current prompts WHEN the prompts change THEN it is not served: the model is asked again', async () => {
    const before = server.requests.length;
    const cached = await cli(['summarize', sample, '--engine', 'openai', '--json']);
    assert.equal(cached.code, 0);
    assert.equal(server.requests.length, before, 'the same prompts: from the store');
    const changed = await cliWithPrompts(
      ['summarize', sample, '--engine', 'openai', '--json'],
      changedPrompts(),
    );
    assert.equal(changed.code, 0);
    assert.ok(server.requests.length > before, 'new prompts: the model was asked again');
    assert.equal(SummarizeLineSchema.parse(JSON.parse(changed.lines[0] ?? '')).engine, 'openai');
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

  it('GIVEN the model’s reply cut off mid-body THEN the offline engine answers, says why it fell back, and the exit code is 0', async () => {
    cutNext = true;
    try {
      const json = await cli(['summarize', sample, '--engine', 'openai', '--json', '--length', 'detailed']);
      assert.equal(json.code, 0, json.stderr);
      const line = SummarizeLineSchema.parse(JSON.parse(json.lines[0] ?? ''));
      assert.deepEqual(line.fallback, { from: 'openai', code: 'engine_failed' });
      assert.equal(line.engine, 'extractive');
      assert.ok(line.keyPoints.length > 0);

      const human = await cli(['summarize', sample, '--engine', 'openai', '--length', 'detailed']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.lines.at(-1) ?? '', /fell back from openai: engine_failed$/u);
    } finally {
      cutNext = false;
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
