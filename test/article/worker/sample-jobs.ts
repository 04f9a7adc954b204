import { fail, ok } from '../../../src/core/result.js';

/** Jobs for the pool's tests: an echo, a CPU spin, a thrown bug, a failure value, a crash, a memory hog. */
export const jobs = {
  echo: async (bytes: Uint8Array, label: string) =>
    ok({ label, length: bytes.byteLength, sum: bytes.reduce((a, b) => a + b, 0) }),
  spin: async (ms: number) => {
    const end = Date.now() + ms;
    let spins = 0;
    while (Date.now() < end) spins++;
    return ok(spins);
  },
  explode: async (message: string) => {
    throw new RangeError(message);
  },
  refuse: async () => fail('unreadable', 'refused on purpose', { reason: 'test' }),
  crash: async () => {
    process.exit(3);
  },
  bytesBack: async (size: number) => ok({ bytes: new Uint8Array(size).fill(9) }),
  /** Keeps allocating small objects until the worker's heap limit kills it. */
  hog: async () => {
    const kept: unknown[] = [];
    for (;;) kept.push({ at: kept.length, text: `item ${kept.length}` });
  },
};
