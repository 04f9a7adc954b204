/**
 * A process that takes something shared and holds it until it is killed, for the tests of shared
 * state across worker processes (test/app/shared-*.test.ts):
 *
 *   node shared-holder.js <database url> lock <key>                       holds the key's lock
 *   node shared-holder.js <database url> reserve <guild> <user> <tokens>  holds a budget reservation
 *
 * Prints `holding` once it holds it, then waits.
 */
import { BudgetLedger } from '../../src/app/budget.js';
import { PgKeyLock } from '../../src/store/pg-key-lock.js';
import { openStore } from '../../src/store/store.js';

const [url, mode, ...args] = process.argv.slice(2);
if (!url)
  throw new Error('usage: shared-holder.js <database url> lock <key> | reserve <guild> <user> <tokens>');

if (mode === 'lock') {
  const lock = new PgKeyLock(url);
  void lock.exclusive(args[0] ?? '', () => {
    process.stdout.write('holding\n');
    return new Promise<never>(() => setInterval(() => undefined, 60_000));
  });
} else if (mode === 'reserve') {
  const [guildId = 'g', userId = 'u', tokens = '0'] = args;
  const store = await openStore({ url });
  const ledger = new BudgetLedger(
    store,
    { BUDGET_GUILD_DAILY_TOKENS: 0, BUDGET_USER_DAILY_TOKENS: 0 },
    Date.now,
  );
  const admission = await ledger.admit({ guildId, userId }, Number(tokens));
  if (!admission.ok) throw new Error(`not admitted: ${JSON.stringify(admission.note)}`);
  process.stdout.write('holding\n');
  setInterval(() => undefined, 60_000);
} else {
  throw new Error(`unknown mode ${mode}`);
}
