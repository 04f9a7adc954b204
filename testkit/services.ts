import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests and benchmarks use: CI starts one (`.ci/run`); a missing server is a failure. */
export const PG_URL = process.env.VERBATIM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where cleanups go: a test's `t` (run after it) or a script's own list. */
export interface Defer {
  after(cleanup: () => Promise<unknown>): void;
}

/** A fresh PostgreSQL database named `<prefix>_<random>`, dropped (with its connections) when `defer` runs. */
export async function freshDatabase(defer: Defer, prefix = 'verbatim_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  defer.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
