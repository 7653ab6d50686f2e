/**
 * Test stores: every test file gets a fresh database, on embedded PGlite (in memory) and on the local
 * PostgreSQL, so the same suite proves both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../bot/store/store.ts';

export const TEST_DB_PREFIX = 'netra_t_';

/** The server used to create test databases. */
export function adminUrl(): string {
  return process.env.NETRA_TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
}

/** The store kinds every database test runs on. */
export const storeKinds = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

/** A fresh, migrated, empty store of the given kind. `close()` also drops a PostgreSQL database. */
export async function createTestStore(kind: StoreKind): Promise<Store & { databaseUrl?: string }> {
  if (kind === 'pglite') return openStore({ memory: true });
  const databaseUrl = await createTestDatabase();
  const store = await openStore({ databaseUrl, poolSize: 5 });
  return {
    ...store,
    databaseUrl,
    async close() {
      await store.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** Creates an empty PostgreSQL database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `${TEST_DB_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createTestDatabase (closing its leftover connections). */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!name.startsWith(TEST_DB_PREFIX)) throw new Error(`Refusing to drop ${name}`);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
