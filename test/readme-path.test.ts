import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commands } from '../commands/index.js';
import { repoRoot } from '../src/core/paths.js';
import { startBotProcess } from '../testkit/discord/bot-process.js';
import { pasted } from '../testkit/discord/pages.js';
import { startFakeDiscord } from '../testkit/fakes/discord/index.js';
import { assertQuotesFromArticle, embedsOf, finalReply } from './discord/views.js';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

/** The file `npm run <name>` runs (`node <file>`, relative to the repository, where npm runs it). */
function scriptFile(name: string): string {
  const file = /^node (\S+)$/u.exec(pkg.scripts[name] ?? '')?.[1];
  assert.ok(file, `package.json script ${name}: node <file>`);
  return join(root, file);
}

/** `.env.example` as shipped, with only the given variables' lines filled in. */
function filledIn(values: Readonly<Record<string, string>>): string {
  let text = readFileSync(join(root, '.env.example'), 'utf8');
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=.*$`, 'mu');
    assert.match(text, line, `.env.example has a line for ${name}`);
    text = text.replace(line, `${name}=${value}`);
  }
  return text;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node <file> ...args` in `cwd`, with exactly `env` for its environment. */
function run(file: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('the README’s path for a self-hoster', () => {
  it('GIVEN a folder holding only .env = .env.example with the token and application id filled in THEN deploy-commands registers every command, npm start answers /summarize, and the CLI runs', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-readme-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    // README step 4. DISCORD_API_URL points at the fake; the database stays at the shipped
    // relative default (.verbatim/verbatim.db), which lands in this folder.
    await writeFile(
      join(dir, '.env'),
      filledIn({
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      }),
    );
    assert.deepEqual(readdirSync(dir), ['.env']);
    // Only what every shell has: nothing a developer exported can stand in for a missing setting.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir };

    // Step 5: npm run deploy-commands, with the folder as the working directory (dotenv reads ./.env).
    const deployed = await run(scriptFile('deploy-commands'), [], dir, env);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /^Registered 8 commands for all servers/u);
    assert.deepEqual(
      fake.commands('global').map((c) => [c.type, c.name]),
      commands.map((c) => [c.data.type ?? 1, c.data.name]),
    );

    // Step 6: npm start; it connects to the gateway and answers a /summarize.
    const bot = await startBotProcess(env, { cwd: dir });
    t.after(() => void bot.process.kill('SIGKILL'));
    const handle = fake.sendSlashCommand({ name: 'summarize', options: { text: pasted } });
    const [embed] = embedsOf(await finalReply(handle, 30_000));
    assert.equal(embed?.title, 'Harbor Town Opens Its Tidal Barrier');
    assert.match(embed?.footer?.text ?? '', /^\d+\/\d+ quotes found in the article · extractive$/u);
    assertQuotesFromArticle([embed], pasted);
    assert.ok(existsSync(join(dir, '.verbatim', 'verbatim.db')), 'the database is in the folder');
    bot.process.kill('SIGTERM');
    const [code] = (await once(bot.process, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.deepEqual(
      bot.lines().filter((l) => Number(l.level) >= 50),
      [],
      'no error logged',
    );
    assert.deepEqual(fake.problems(), []);

    // The command line, as `npx verbatim` runs it, from the same folder.
    const bin = join(root, pkg.bin.verbatim ?? '');
    const article = join(root, 'examples', 'lavrov-china.txt');
    const extracted = await run(bin, ['extract', article], dir, env);
    assert.equal(extracted.code, 0, extracted.stderr);
    assert.ok(
      extracted.stdout.includes('It is more important for China to revive relations with the United States'),
    );
    const summarized = await run(bin, ['summarize', article, '--length', 'short'], dir, env);
    assert.equal(summarized.code, 0, summarized.stderr);
    assert.match(summarized.stdout, /^KEY POINTS$/mu);
    assert.match(summarized.stdout, /^\d+\/\d+ quotes found in the article · extractive$/mu);
  });
});
