import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseDotenv } from 'dotenv';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../src/config.js';
import { repoRoot } from '../src/core/paths.js';

/** `.env.example` exactly as shipped: what `cp .env.example .env` gives a self-hoster. */
const example = readFileSync(join(repoRoot(), '.env.example'), 'utf8');

describe('config', () => {
  it('GIVEN an empty environment THEN every default applies and the result is frozen', () => {
    const config = parseConfig({});
    assert.equal(config.VERBATIM_ENGINE, 'auto');
    assert.equal(config.OPENAI_API_KEY, null);
    assert.equal(config.DISCORD_MESSAGE_CONTENT, false);
    assert.deepEqual(config.FETCH_ALLOW, []);
    assert.ok(Object.isFrozen(config));
  });

  it('GIVEN lists and numbers as strings THEN they are parsed', () => {
    const config = parseConfig({
      FETCH_ALLOW: '127.0.0.1/32, intranet.example',
      FETCH_ALLOWED_PORTS: '8080,8443',
      OPENAI_TIMEOUT_MS: '5000',
    });
    assert.deepEqual(config.FETCH_ALLOW, ['127.0.0.1/32', 'intranet.example']);
    assert.deepEqual(config.FETCH_ALLOWED_PORTS, [8080, 8443]);
    assert.equal(config.OPENAI_TIMEOUT_MS, 5000);
  });

  it('GIVEN an invalid variable THEN one error line names it and says where to fix it', () => {
    assert.throws(
      () => parseConfig({ OPENAI_TIMEOUT_MS: 'soon' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        /^OPENAI_TIMEOUT_MS is invalid/.test(err.message) &&
        !err.message.includes('\n'),
    );
    assert.throws(() => parseConfig({ VERBATIM_ENGINE: 'gpt' }), /VERBATIM_ENGINE is invalid .*\.env/);
  });

  it('GIVEN any variable empty or blank THEN it takes its default, one at a time and all at once', () => {
    const defaults = parseConfig({});
    for (const blank of ['', '   ', '\t']) {
      for (const name of CONFIG_VARIABLES) {
        assert.deepEqual(
          parseConfig({ [name]: blank })[name],
          defaults[name],
          `${name}=${JSON.stringify(blank)}`,
        );
      }
      assert.deepEqual(parseConfig(Object.fromEntries(CONFIG_VARIABLES.map((n) => [n, blank]))), defaults);
    }
  });

  it('GIVEN no role settings THEN the single process of before: role all, no shards, no Redis', () => {
    const config = parseConfig({});
    assert.equal(config.VERBATIM_ROLE, 'all');
    assert.deepEqual(config.DISCORD_SHARD_IDS, []);
    assert.equal(config.DISCORD_SHARD_COUNT, null);
    assert.equal(config.REDIS_URL, null);
  });

  it('GIVEN a gateway with PostgreSQL, Redis and shard ids THEN they are parsed', () => {
    const config = parseConfig({
      VERBATIM_ROLE: 'gateway',
      DATABASE_URL: 'postgres://verbatim@db/verbatim',
      REDIS_URL: 'redis://redis:6379',
      DISCORD_SHARD_IDS: '0, 2',
      DISCORD_SHARD_COUNT: '4',
    });
    assert.equal(config.VERBATIM_ROLE, 'gateway');
    assert.deepEqual(config.DISCORD_SHARD_IDS, [0, 2]);
    assert.equal(config.DISCORD_SHARD_COUNT, 4);
    assert.equal(config.REDIS_URL, 'redis://redis:6379');
  });

  it('GIVEN a missing or contradictory role setting THEN one error line names the variable', () => {
    const both = { DATABASE_URL: 'postgres://db/verbatim', REDIS_URL: 'redis://redis:6379' };
    const cases: [Record<string, string>, string][] = [
      [{ VERBATIM_ROLE: 'worker', REDIS_URL: both.REDIS_URL }, 'DATABASE_URL is missing'],
      [{ VERBATIM_ROLE: 'gateway', DATABASE_URL: both.DATABASE_URL }, 'REDIS_URL is missing'],
      [{ REDIS_URL: both.REDIS_URL }, 'REDIS_URL is set but VERBATIM_ROLE is all'],
      [{ VERBATIM_ROLE: 'worker', ...both, DISCORD_SHARD_IDS: '0' }, 'DISCORD_SHARD_IDS is set but'],
      [{ VERBATIM_ROLE: 'worker', ...both, DISCORD_SHARD_COUNT: '2' }, 'DISCORD_SHARD_COUNT is set but'],
      [
        { VERBATIM_ROLE: 'gateway', ...both, DISCORD_SHARD_IDS: '1,2', DISCORD_SHARD_COUNT: '2' },
        'DISCORD_SHARD_IDS has shard 2',
      ],
      [
        { VERBATIM_ROLE: 'gateway', ...both, DISCORD_SHARD_IDS: '1,1' },
        'DISCORD_SHARD_IDS names a shard twice',
      ],
      [{ VERBATIM_ROLE: 'shard' }, 'VERBATIM_ROLE is invalid'],
      [{ DISCORD_SHARD_IDS: 'first' }, 'DISCORD_SHARD_IDS is invalid'],
      [{ DISCORD_SHARD_COUNT: '0' }, 'DISCORD_SHARD_COUNT is invalid'],
    ];
    for (const [env, start] of cases) {
      assert.throws(
        () => parseConfig(env),
        (err: unknown) =>
          err instanceof ConfigError && err.message.startsWith(start) && !err.message.includes('\n'),
        JSON.stringify(env),
      );
    }
    assert.equal(parseConfig({ VERBATIM_ROLE: 'worker', ...both }).VERBATIM_ROLE, 'worker');
  });

  it('GIVEN a secret with spaces around it THEN the spaces are dropped', () => {
    assert.equal(parseConfig({ OPENAI_API_KEY: ' sk-test \n' }).OPENAI_API_KEY, 'sk-test');
  });
});

describe('.env.example', () => {
  const assignment = /^([A-Z][A-Z0-9_]*)=/u;
  const lines = example.split('\n');
  const names = lines.flatMap((l) => assignment.exec(l)?.[1] ?? []);

  it('GIVEN .env.example copied to .env as shipped THEN it parses (as loadConfig reads it) to the defaults', () => {
    const env = parseDotenv(example);
    assert.deepEqual(Object.keys(env), names, 'dotenv sees the same variables as this test');
    assert.deepEqual(parseConfig(env), parseConfig({}));
  });

  it('GIVEN .env.example THEN it sets every variable the config reads, once, and nothing else', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    assert.deepEqual(
      lines.filter((l) => l !== '' && !l.startsWith('#') && !assignment.test(l)),
      [],
      'every line is blank, a comment or NAME=value',
    );
    assert.deepEqual(
      names.filter((n) => !known.has(n)),
      [],
      'variables the config does not know',
    );
    assert.deepEqual(
      CONFIG_VARIABLES.filter((n) => !names.includes(n)),
      [],
      'config variables missing from .env.example',
    );
    assert.equal(new Set(names).size, names.length, 'each variable once');
  });

  it('GIVEN .env.example THEN a comment describes every variable, directly above it or above its group', () => {
    const undescribed = lines.flatMap((line, index) => {
      const name = assignment.exec(line)?.[1];
      if (name === undefined) return [];
      let above = index - 1;
      while (above >= 0 && assignment.test(lines[above] ?? '')) above -= 1;
      // A section heading (`# --- Storage ---`) is not a description.
      return /^# (?!---)\S/u.test(lines[above] ?? '') ? [] : [name];
    });
    assert.deepEqual(undescribed, []);
  });
});
