import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { extname } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { startFakeDiscord } from '../../testkit/fakes/discord/index.js';

/** Runs `npm run deploy-commands` (the compiled script, or the TypeScript one under tsx) with `env`. */
async function runDeployScript(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const script = fileURLToPath(
    new URL(`../../scripts/deploy-commands${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
  );
  const args = script.endsWith('.ts') ? ['--import', import.meta.resolve('tsx'), script] : [script];
  const child = spawn(process.execPath, args, {
    // Not the repository: a developer's .env must not leak into the child's configuration.
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out };
}

describe('registering commands', () => {
  it('GIVEN the command definitions THEN the fake (which validates them as Discord does) accepts them, with guild- and user-install contexts', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const registered = await deployCommands(commands, {
      token: fake.token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      apiUrl: fake.apiUrl,
    });
    assert.deepEqual(
      registered.map((c) => [c.type, c.name]),
      [
        [1, 'summarize'],
        [1, 'ask'],
        [3, 'Summarize'],
        [1, 'usage'],
        [1, 'budget'],
        [1, 'settings'],
        [1, 'forget'],
        [1, 'autosummarize'],
      ],
    );
    const byName = new Map(fake.commands(fake.guildId).map((c) => [c.name, c]));
    assert.deepEqual(byName.get('summarize')?.integration_types, [0, 1], 'installed to servers or users');
    assert.deepEqual(byName.get('summarize')?.contexts, [0, 1, 2], 'guilds, DMs with the bot, other DMs');
    assert.deepEqual(byName.get('Summarize')?.integration_types, [0, 1]);
    assert.deepEqual(
      byName.get('ask')?.integration_types,
      [0],
      'summary threads exist only where the bot is',
    );
    assert.deepEqual(byName.get('ask')?.contexts, [0], 'threads exist only in guilds');
    assert.deepEqual(byName.get('forget')?.contexts, [0, 1], 'anyone can ask what is kept, also in DMs');
    assert.deepEqual(byName.get('usage')?.contexts, [0, 1]);
    assert.equal(byName.get('budget')?.default_member_permissions, '32', 'Manage Server');
    assert.deepEqual(byName.get('budget')?.contexts, [0], 'a server’s budget, set in the server');
    assert.equal(
      byName.get('autosummarize')?.default_member_permissions,
      '16',
      'Manage Channels (Discord requires every bit listed, so one permission, which admins have)',
    );
    assert.deepEqual(byName.get('autosummarize')?.contexts, [0], 'channels of a server');
    assert.deepEqual(byName.get('autosummarize')?.integration_types, [0]);
    assert.deepEqual(
      (byName.get('autosummarize')?.options ?? []).map((o) => o.name),
      ['state', 'channel', 'include', 'exclude', 'length'],
    );
    assert.equal(byName.get('settings')?.default_member_permissions, '32', 'Manage Server');
    assert.deepEqual(byName.get('settings')?.contexts, [0], 'a server’s defaults, set in the server');
    assert.deepEqual(byName.get('settings')?.integration_types, [0]);
    assert.deepEqual(
      (byName.get('settings')?.options ?? []).map((o) => o.name),
      ['length', 'language', 'private', 'reaction_emoji', 'reset'],
    );
    assert.deepEqual(
      (byName.get('summarize')?.options ?? []).map((o) => o.name),
      ['url', 'text', 'file', 'length', 'language', 'private'],
    );
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN npm run deploy-commands THEN it registers globally, or to DISCORD_GUILD_ID, and a missing token is one clear line', async (t) => {
    const fake = await startFakeDiscord();
    t.after(() => fake.close());
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    };
    const global = await runDeployScript(env);
    assert.equal(global.code, 0, global.out);
    assert.match(
      global.out,
      /^Registered 8 commands for all servers \(global; allow up to an hour\): summarize, ask, Summarize, usage, budget, settings, forget, autosummarize\n$/u,
    );
    assert.equal(fake.commands('global').length, 8);

    const guild = await runDeployScript({ ...env, DISCORD_GUILD_ID: fake.guildId });
    assert.equal(guild.code, 0, guild.out);
    assert.equal(fake.commands(fake.guildId).length, 8);

    const missing = await runDeployScript({ DISCORD_API_URL: fake.apiUrl });
    assert.equal(missing.code, 2);
    assert.equal(missing.out, 'deploy-commands: DISCORD_TOKEN is missing: set it in .env.\n');
  });
});
