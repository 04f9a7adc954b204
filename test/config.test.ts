import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../src/config.js';

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

  it('GIVEN a blank secret THEN it counts as unset', () => {
    assert.equal(parseConfig({ OPENAI_API_KEY: '   ' }).OPENAI_API_KEY, null);
  });
});
