/**
 * Test stores: every test file gets a fresh database, on embedded PGlite (in memory) and on the local
 * PostgreSQL, so the same suite proves both.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../bot/store/migrate.ts';
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
  if (kind === 'pglite') return openStore({ memory: true, from: await migratedPglite() });
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

let template: Promise<Blob> | undefined;

/**
 * An embedded database with every migration applied, made once per process: an in-memory store started from it
 * skips PGlite's initdb (about a second and a half of CPU, the most of a test store's cost; hundreds are opened).
 * It is migrated as Netra migrates any store, and each store opened from it still runs the migration check.
 */
export function migratedPglite(): Promise<Blob> {
  template ??= (async () => {
    // Loaded only when used, as the store does: files that test PostgreSQL alone need not carry it.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    try {
      await migrate({
        withLock: (fn) =>
          fn({
            exec: async (sql) => void (await db.exec(sql)),
            query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
          }),
      });
      return await db.dumpDataDir('none');
    } finally {
      await db.close();
    }
  })();
  return template;
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
