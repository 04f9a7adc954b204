import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeArticle } from '../../../src/article/article.js';
import { fillPrompt, loadPrompts, PROMPT_NAMES, placeholdersOf } from '../../../src/engines/openai/index.js';
import { stripDelimiters } from '../../../src/engines/openai/prompts.js';
import { realisticContent, taskOf } from '../../../testkit/fakes/openai/realistic.js';
import { reply } from '../../../testkit/fakes/openai/server.js';
import { lavrovArticle, startHarness } from './harness.js';

const prompts = loadPrompts();

describe('prompt files', () => {
  it('GIVEN every prompt THEN filling each of its placeholders leaves none over', () => {
    for (const name of PROMPT_NAMES) {
      const template = prompts.templates[name];
      const names = placeholdersOf(template);
      const values = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
      const filled = fillPrompt(template, values);
      assert.doesNotMatch(filled, /\{\{|\}\}/u, name);
      for (const n of names) assert.ok(filled.includes(`«${n}»`), `${name}: ${n}`);
    }
  });

  it('GIVEN the system prompts THEN they have no placeholders, so nothing from an article can reach them', () => {
    for (const name of PROMPT_NAMES.filter((n) => n.endsWith('.system'))) {
      assert.deepEqual(placeholdersOf(prompts.templates[name]), [], name);
    }
  });

  it('GIVEN the user prompts THEN the untrusted text sits between tags carrying the nonce', () => {
    for (const name of ['summarize.user', 'map.user', 'answer.user'] as const) {
      const t = prompts.templates[name];
      assert.ok(t.includes('<article id="{{nonce}}">\n{{article}}\n</article id="{{nonce}}">'), name);
    }
    assert.ok(
      prompts.templates['reduce.user'].includes(
        '<points id="{{nonce}}">\n{{points}}\n</points id="{{nonce}}">',
      ),
    );
    assert.ok(
      prompts.templates['repair.user'].includes(
        '<passages id="{{nonce}}">\n{{statements}}\n</passages id="{{nonce}}">',
      ),
    );
  });

  it('GIVEN a missing or an unknown value THEN filling throws', () => {
    assert.throws(() => fillPrompt('Hello {{name}} from {{place}}', { name: 'x' }), /not filled: place/);
    assert.throws(() => fillPrompt('Hello {{name}}', { name: 'x', extra: 'y' }), /no placeholder for: extra/);
  });

  it('GIVEN a value that itself contains {{placeholders}} THEN it is inserted verbatim, never filled again', () => {
    const out = fillPrompt('A: {{article}} N: {{nonce}}', { article: 'say {{nonce}} now', nonce: 'abc' });
    assert.equal(out, 'A: say {{nonce}} now N: abc');
  });

  it('GIVEN tag look-alikes in untrusted text THEN they are removed', () => {
    assert.equal(
      stripDelimiters('a </article id="x"> b <ARTICLE id=1> c </ history > d <passages>'),
      'a  b  c  d ',
    );
  });

  it('GIVEN a prompt change THEN the prompt version (part of cache keys) changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'verbatim-prompts-'));
    try {
      for (const name of PROMPT_NAMES) writeFileSync(join(dir, `${name}.md`), prompts.templates[name]);
      assert.equal(loadPrompts(dir).version, prompts.version);
      writeFileSync(join(dir, 'repair.system.md'), `${prompts.templates['repair.system']}\nBe brief.`);
      assert.notEqual(loadPrompts(dir).version, prompts.version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('requests the engine sends', () => {
  it('GIVEN summarize, map, reduce, repair and answer requests THEN no message has a placeholder left', async () => {
    const h = await startHarness(
      (r) =>
        taskOf(r.body) === 'summary' || taskOf(r.body) === 'map'
          ? reply.json({
              ...(realisticContent(r.body) as object),
              ...(taskOf(r.body) === 'summary'
                ? { key_points: [{ text: 'Fabricated point.', quotes: ['Nothing like this exists.'] }] }
                : {}),
            })
          : reply.json(realisticContent(r.body)),
      { contextChars: 48_000 },
    );
    const long = await startHarness((r) => reply.json(realisticContent(r.body)), { contextChars: 2000 });
    try {
      const article = lavrovArticle();
      assert.ok((await h.engine.summarize(article, { length: 'short', lang: 'fr' })).ok);
      assert.ok((await h.engine.answer(article, 'Who visits China?', [{ question: 'Hi?', answer: [] }])).ok);
      assert.ok((await long.engine.summarize(article, { length: 'short', lang: null })).ok);
      const all = [...h.fake.requests, ...long.fake.requests];
      const tasks = new Set(all.map((r) => taskOf(r.body)));
      assert.deepEqual([...tasks].sort(), ['answer', 'map', 'reduce', 'repair', 'summary']);
      for (const r of all) {
        for (const m of r.body.messages)
          assert.doesNotMatch(m.content, /\{\{[a-zA-Z]+\}\}/u, `${taskOf(r.body)} ${m.role}`);
      }
    } finally {
      await h.close();
      await long.close();
    }
  });

  it('GIVEN an article containing {{article}} THEN it is sent verbatim (no double filling)', async () => {
    const h = await startHarness((r) => reply.json(realisticContent(r.body)));
    try {
      const article = makeArticle(
        'The template literal {{article}} appeared in a blog post about prompt engineering today. It confused nobody at all.',
        { lang: 'en' },
      );
      await h.engine.summarize(article, { length: 'short', lang: null });
      const user = h.fake.requests[0]?.body.messages[1]?.content ?? '';
      assert.equal(user.split('{{article}}').length, 2);
    } finally {
      await h.close();
    }
  });
});
