import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULTS_REUSE_MS,
  isConfiguredReaction,
  isReactionEmoji,
  resolveSummaryOptions,
  type ServerDefaults,
} from '../../src/app/server-settings.js';
import { createSystem } from '../../src/app/system.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { freshDatabase, PG_URL } from '../../testkit/services.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const none: ServerDefaults = {
  length: null,
  language: null,
  privateSummaries: false,
  reactionEmoji: null,
  updatedBy: null,
  updatedAt: null,
};

describe('server defaults for one request', () => {
  it('GIVEN nothing asked and nothing set THEN standard, the reader’s language, public (today’s behaviour)', () => {
    assert.deepEqual(resolveSummaryOptions({ length: null, language: null, private: null }, none, 'pt-BR'), {
      length: 'standard',
      lang: 'pt-BR',
      private: false,
    });
  });

  it('GIVEN server defaults THEN they apply where the request says nothing, and the request wins where it does', () => {
    const server: ServerDefaults = { ...none, length: 'short', language: 'fr', privateSummaries: true };
    assert.deepEqual(resolveSummaryOptions({ length: null, language: null, private: null }, server, 'de'), {
      length: 'short',
      lang: 'fr',
      private: true,
    });
    assert.deepEqual(
      resolveSummaryOptions({ length: 'detailed', language: 'original', private: false }, server, 'de'),
      { length: 'detailed', lang: null, private: false },
    );
  });

  it('GIVEN the server chose the article’s own language THEN the reader’s language does not apply', () => {
    const server: ServerDefaults = { ...none, language: 'original' };
    assert.equal(
      resolveSummaryOptions({ length: null, language: null, private: null }, server, 'de').lang,
      null,
    );
    assert.equal(
      resolveSummaryOptions({ length: null, language: 'es', private: null }, server, 'de').lang,
      'es',
    );
  });
});

describe('which emoji a reaction can be', () => {
  it('GIVEN Unicode emoji, with modifiers, joiners, keycaps and flags THEN each is one emoji', () => {
    for (const emoji of ['📰', '🗞️', '👍🏽', '👩‍💻', '#️⃣', '🇫🇷', '❤️', '🏳️‍🌈']) {
      assert.equal(isReactionEmoji(emoji), true, emoji);
    }
  });

  it('GIVEN a custom emoji as Discord writes it THEN it is accepted; a malformed one is not', () => {
    assert.equal(isReactionEmoji('<:readit:123456789012345678>'), true);
    assert.equal(isReactionEmoji('<a:spin_news:1234567890123456789>'), true);
    assert.equal(isReactionEmoji('<:r:123456789012345678>'), false, 'names are 2–32 characters');
    assert.equal(isReactionEmoji('<:readit:12>'), false, 'ids are snowflakes');
    assert.equal(isReactionEmoji(':newspaper:'), false, 'a shortcode is not the emoji');
  });

  it('GIVEN text, an emoji with text, digits or nothing THEN they are refused, fast even when long', () => {
    for (const text of ['', 'news', '📰 news', '1', '#', '📰'.repeat(40), ' ']) {
      assert.equal(isReactionEmoji(text), false, JSON.stringify(text));
    }
    const started = performance.now();
    assert.equal(isReactionEmoji(`<:${'a'.repeat(50_000)}`), false);
    assert.ok(performance.now() - started < 50, 'no backtracking on long input');
  });

  it('GIVEN a reaction THEN it matches the configured emoji by id (custom) or by name without variation selectors', () => {
    assert.equal(isConfiguredReaction(null, { id: null, name: '📰' }), true, 'the default');
    assert.equal(isConfiguredReaction(null, { id: null, name: '👍' }), false);
    assert.equal(isConfiguredReaction('🗞️', { id: null, name: '🗞' }), true, 'Discord may drop U+FE0F');
    const custom = '<:readit:123456789012345678>';
    assert.equal(isConfiguredReaction(custom, { id: '123456789012345678', name: 'renamed' }), true);
    assert.equal(isConfiguredReaction(custom, { id: null, name: '📰' }), false, '📰 no longer asks');
    assert.equal(isConfiguredReaction('📰', { id: '1', name: '📰' }), false, 'a custom emoji named like one');
  });
});

describe('server defaults before an acknowledgement', () => {
  it('GIVEN defaults read a moment ago THEN they are used again without the store; GIVEN PostgreSQL unreachable after that THEN a busy failure within the deadline, not a wait', async (t) => {
    const pgUrl = new URL(PG_URL);
    const proxy = await startTcpProxy(t, pgUrl.hostname, Number(pgUrl.port || 5432));
    const config = parseConfig({
      DATABASE_URL: proxy.through(await freshDatabase(t, 'verbatim_settings')),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '1000',
      VERBATIM_ENGINE: 'extractive',
    });
    const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
    const system = await createSystem(config, createLogger('silent'), {
      run: 'in-process',
      now: () => clock.t,
    });
    t.after(() => system.close());
    const { settings } = system.app;
    await settings.change('1', { privateSummaries: true }, 'admin');
    const read = await settings.defaultsInTime('1');
    assert.ok(read.ok && read.value.privateSummaries, 'the change applies at once');

    proxy.blackhole();
    clock.t += DEFAULTS_REUSE_MS - 1;
    const reused = await settings.defaultsInTime('1');
    assert.ok(reused.ok && reused.value.privateSummaries, 'read a moment ago: used again');

    clock.t += 2;
    const started = performance.now();
    const unread = await settings.defaultsInTime('1', 300);
    const waited = performance.now() - started;
    assert.equal(unread.ok, false);
    assert.equal(unread.ok ? null : unread.error.code, 'busy');
    assert.ok(waited < 1000, `told within the deadline (${Math.round(waited)} ms)`);
  });
});
