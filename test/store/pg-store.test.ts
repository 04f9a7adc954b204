import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { openStore, type Store, StoreError } from '../../src/store/store.js';
import { runStoreConformance, type StoreHarness } from './conformance.js';

/** CI starts PostgreSQL; a missing server is a failure, never a skip. */
const PG_URL = process.env.VERBATIM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Every schema this run creates, dropped at the end even if a test failed. */
const schemas = new Set<string>();
let admin: pg.Client | undefined;

function newSchemaName(): string {
  const name = `verbatim_test_${randomBytes(6).toString('hex')}`;
  schemas.add(name);
  return name;
}

before(async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is unreachable at ${PG_URL} (${(err as Error).message}). ` +
        'Start it (CI does) or point VERBATIM_TEST_PG_URL at a server with a database you may create schemas in.',
    );
  }
  admin = client;
});

after(async () => {
  if (!admin) return;
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

async function pgHarness(): Promise<StoreHarness> {
  const schema = newSchemaName();
  const opened: Store[] = [];
  let raw: pg.Client | undefined;
  const rawClient = async () => {
    if (!raw) {
      raw = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
      await raw.connect();
      await raw.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    return raw;
  };
  return {
    dialect: 'postgres',
    async open(options = {}) {
      const store = await openStore({ url: PG_URL, pgSchema: schema, ...options });
      opened.push(store);
      return store;
    },
    async scalar(sql) {
      const result = await (await rawClient()).query({ text: sql, rowMode: 'array' });
      return (result.rows[0] as unknown[] | undefined)?.[0];
    },
    async exec(sql) {
      await (await rawClient()).query(sql);
    },
    async dispose() {
      for (const store of opened) await store.close();
      await raw?.end();
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      schemas.delete(schema);
    },
  };
}

runStoreConformance('PostgreSQL', pgHarness);

describe('PostgreSQL store specifics', () => {
  test('GIVEN five stores opening a new schema at once THEN it is migrated exactly once', async () => {
    const pgSchema = newSchemaName();
    const stores = await Promise.all(Array.from({ length: 5 }, () => openStore({ url: PG_URL, pgSchema })));
    try {
      for (const store of stores) {
        assert.equal(store.backend, 'postgres');
        assert.equal(await store.schemaVersion(), LATEST_SCHEMA_VERSION);
      }
      const { rows } = await (admin as pg.Client).query(
        `SELECT count(*)::int AS n FROM ${pgSchema}.schema_migrations`,
      );
      assert.equal(rows[0]?.n, MIGRATIONS.length);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('GIVEN an unreachable server THEN openStore fails with a StoreError that hides the password', async () => {
    await assert.rejects(
      openStore({ url: 'postgres://verbatim:s3cret@127.0.0.1:1/verbatim' }),
      (err: unknown) =>
        err instanceof StoreError &&
        err.message.includes('127.0.0.1:1/verbatim') &&
        !err.message.includes('s3cret'),
    );
  });

  test('GIVEN a schema name that is not a plain identifier THEN openStore refuses it', async () => {
    await assert.rejects(openStore({ url: PG_URL, pgSchema: 'x; DROP TABLE y' }), RangeError);
  });
});
