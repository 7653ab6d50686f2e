import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MigrationChecksumError, migrationsDir } from '../../../bot/store/migrate.ts';
import { openConfiguredStore, openStore, StoreLockedError } from '../../../bot/store/store.ts';
import { createTestDatabase, dropTestDatabase, migratedPglite, storeKinds } from '../../support/testDatabase.ts';

const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe.each(storeKinds)('the store on %s', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  async function open(options: { migrate?: boolean } = {}) {
    if (kind === 'pglite') return openStore({ memory: true, ...options });
    const url = await createTestDatabase();
    cleanups.push(() => dropTestDatabase(url));
    return openStore({ databaseUrl: url, ...options });
  }

  it('applies every migration on open and records them as Prisma does', async () => {
    const store = await open();
    try {
      const rows = await store.prisma.$queryRaw<Array<{ migration_name: string; checksum: string }>>`
        SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
      expect(await store.prisma.chat.count()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('applies nothing the second time', async () => {
    const store = await open();
    try {
      expect(await store.migrate()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const store = await open({ migrate: false });
    const dir = mkdtempSync(path.join(tmpdir(), 'netra-migrations-'));
    try {
      mkdirSync(path.join(dir, '001_a'));
      writeFileSync(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE "probe" (id int);');
      const runner = {
        withLock: <T>(fn: (s: never) => Promise<T>) => fn(sessionOf(store) as never),
      };
      expect(await migrate(runner, dir)).toEqual(['001_a']);
      writeFileSync(path.join(dir, '001_a', 'migration.sql'), 'CREATE TABLE "probe" (id bigint);');
      await expect(migrate(runner, dir)).rejects.toBeInstanceOf(MigrationChecksumError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await store.close();
    }
  });
});

function sessionOf(store: Awaited<ReturnType<typeof openStore>>) {
  return {
    exec: (sql: string) => store.exec(sql),
    query: async (sql: string, params: unknown[] = []) =>
      store.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, ...params),
  };
}

describe('the embedded database directory', () => {
  it('is locked against a second process and released on close', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-lock-'));
    try {
      // A lock held by a live process (our parent, which is alive) keeps others out.
      writeFileSync(path.join(dataDir, 'pglite.lock'), String(process.ppid));
      await expect(openStore({ dataDir })).rejects.toBeInstanceOf(StoreLockedError);
      // A lock left by a dead process is taken over.
      writeFileSync(path.join(dataDir, 'pglite.lock'), '999999');
      const store = await openStore({ dataDir });
      await store.close();
      const again = await openStore({ dataDir });
      expect(await again.prisma.chat.count()).toBe(0);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an in-memory store started from a copy', () => {
  it('has every migration without running one, and shares no row with another store started from the same copy', async () => {
    const from = await migratedPglite();
    const first = await openStore({ memory: true, from, migrate: false });
    const second = await openStore({ memory: true, from, migrate: false });
    try {
      const applied = await first.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name');
      expect(applied.map((r) => r.migration_name)).toEqual(migrationNames);
      expect(await first.migrate()).toEqual([]);
      await first.prisma.chat.create({ data: { key: 'copy-test', channel: 'terminal', addressEnc: 'sealed' } });
      expect(await first.prisma.chat.count()).toBe(1);
      expect(await second.prisma.chat.count()).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('the embedded database under load', () => {
  it('lets timers and I/O run between statements instead of running every chat\'s statements back to back', async () => {
    const store = await openStore({ memory: true });
    try {
      const chats = 20;
      const statementsEach = 10;
      let done = 0;
      let doneWhenTimerFired = -1;
      const work = Promise.all(
        Array.from({ length: chats }, async () => {
          for (let i = 0; i < statementsEach; i += 1) {
            await store.query('SELECT 1');
            done += 1;
          }
        }),
      );
      setTimeout(() => (doneWhenTimerFired = done), 0);
      await work;
      // Without a gap between statements the timer fires only once all 200 are done.
      expect(doneWhenTimerFired).toBeGreaterThanOrEqual(0);
      expect(doneWhenTimerFired).toBeLessThan(chats * statementsEach / 2);
    } finally {
      await store.close();
    }
  });
});

describe('raw statements on PostgreSQL', () => {
  it('run as statements prepared once per connection, in and outside transactions, and give the same rows', async () => {
    const url = await createTestDatabase();
    const store = await openStore({ databaseUrl: url, poolSize: 1 });
    try {
      const text = 'SELECT $1::int + 1 AS "next"';
      expect(await store.query(text, [1])).toEqual([{ next: 2 }]);
      expect(await store.query(text, [41])).toEqual([{ next: 42 }]);
      expect(await store.transaction((sql) => sql.query(text, [9]))).toEqual([{ next: 10 }]);
      // One connection in the pool: the statement is prepared there once, under Netra's name, and kept.
      const prepared = await store.query<{ name: string; statement: string }>(
        'SELECT "name", "statement" FROM pg_prepared_statements WHERE "statement" = $1',
        [text],
      );
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.name).toMatch(/^netra_\d+$/);
    } finally {
      await store.close();
      await dropTestDatabase(url);
    }
  });

  it('run unnamed when the deployment sets DATABASE_PREPARED_STATEMENTS=false for a pooler that cannot keep them', async () => {
    const url = await createTestDatabase();
    const config = { DATABASE_URL: url, NETRA_DATA_DIR: tmpdir(), CHAT_STATE_SYNC_COMMIT: false };
    const preparedOn = async (prepared: boolean) => {
      const store = await openConfiguredStore({ ...config, DATABASE_PREPARED_STATEMENTS: prepared });
      try {
        expect(await store.query('SELECT $1::int * 2 AS "double"', [21])).toEqual([{ double: 42 }]);
        // One connection for both: what the statement left prepared there.
        return await store.transaction(async (sql) => {
          expect(await sql.query('SELECT $1::int * 3 AS "triple"', [3])).toEqual([{ triple: 9 }]);
          return sql.query<{ prepared: number }>('SELECT count(*)::int AS "prepared" FROM pg_prepared_statements', []);
        });
      } finally {
        await store.close();
      }
    };
    try {
      expect(await preparedOn(false)).toEqual([{ prepared: 0 }]);
      expect((await preparedOn(true))[0]?.prepared).toBeGreaterThan(0);
    } finally {
      await dropTestDatabase(url);
    }
  });
});
