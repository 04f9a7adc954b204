import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { createLogger, runWithRequestId } from '../src/log.js';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger('info', { write: (line: string) => void lines.push(line) }) };
}

/** True once pino's main file is in this process's CommonJS module cache. */
function pinoLoaded(): boolean {
  return Object.keys(createRequire(import.meta.url).cache).some((file) =>
    /[\\/]node_modules[\\/]pino[\\/]pino\.js$/u.test(file),
  );
}

describe('log', () => {
  // First in this file: no logger has written a line yet, so pino is not loaded.
  it('GIVEN a logger at info THEN pino loads only when a line at info or above is written, and children made before keep their bindings', () => {
    const { lines, log } = capture();
    const child = log.child({ component: 'cache' });
    log.debug('dropped');
    child.trace('dropped too');
    assert.equal(pinoLoaded(), false);
    child.info('kept');
    assert.equal(pinoLoaded(), true);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).map((l) => [l.msg, l.component, l.level]),
      [['kept', 'cache', 30]],
    );
  });

  it('GIVEN a process-wide logger used inside a request THEN its lines carry the request id, also after awaits and timers', async () => {
    const { lines, log } = capture();
    const component = log.child({ component: 'store' });
    await runWithRequestId('r1', async () => {
      log.info('first');
      await new Promise((resolve) => setTimeout(resolve, 5));
      component.warn('second');
    });
    log.info('outside');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      parsed.map((l) => [l.msg, l.requestId]),
      [
        ['first', 'r1'],
        ['second', 'r1'],
        ['outside', undefined],
      ],
    );
    assert.equal(parsed[1]?.component, 'store');
  });

  it('GIVEN a request’s own child logger (which binds requestId) THEN the id appears once in the raw line', () => {
    const { lines, log } = capture();
    runWithRequestId('r2', () => log.child({ requestId: 'r2' }).info('handled'));
    assert.equal(lines[0]?.match(/"requestId"/gu)?.length, 1);
  });

  it('GIVEN concurrent requests THEN each line carries its own request’s id', async () => {
    const { lines, log } = capture();
    await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        runWithRequestId(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, 10 - i * 3));
          log.info(id);
        }),
      ),
    );
    for (const line of lines.map((l) => JSON.parse(l) as Record<string, unknown>)) {
      assert.equal(line.requestId, line.msg);
    }
    assert.equal(lines.length, 3);
  });
});
