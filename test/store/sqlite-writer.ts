/**
 * A second process for the SQLite concurrency test: `sqlite-writer <path> <name> <writes> <startAtMs>`
 * opens the store (racing the other writer to migrate a new file), waits until `startAtMs`, then
 * writes usage, turns and cache entries as fast as it can. Exits 1 with the error on stderr if any
 * call fails. Without arguments (e.g. when a test runner picks the file up) it does nothing.
 */
import { openStore } from '../../src/store/store.js';

async function main(args: string[]): Promise<void> {
  const [path, name, writesArg, startAtArg] = args;
  if (!path || !name || !writesArg || !startAtArg) return;
  const writes = Number(writesArg);
  const store = await openStore({ path });
  try {
    await store.putThread({
      threadId: 'shared-thread',
      guildId: 'g',
      channelId: 'c',
      requesterId: 'u',
      articleHash: 'sha256:none',
      summaryMessageId: null,
      requestKey: null,
      createdAt: 0,
    });
    const wait = Number(startAtArg) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let i = 0; i < writes; i++) {
      await store.addUsage({
        guildId: 'g',
        userId: name,
        day: '2025-01-15',
        inputTokens: 1,
        outputTokens: 2,
      });
      await store.appendTurn('shared-thread', {
        question: `${name}-${i}`,
        answer: [],
        askedBy: name,
        createdAt: i,
      });
      await store.cache.put(name, String(i), i);
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
