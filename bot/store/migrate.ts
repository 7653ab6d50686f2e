/**
 * Applies `prisma/migrations/*\/migration.sql` in order, each in its own transaction, and records them in
 * Prisma's `_prisma_migrations` table (same columns and checksum), so `prisma migrate status` agrees. Netra does
 * this itself because the Prisma CLI cannot reach an in-memory PGlite and should not need a child process at
 * startup; PostgreSQL takes an advisory lock so several processes can start at once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The minimal SQL access a migration needs. */
export interface SqlSession {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** Runs a function with exclusive migration rights. */
export interface SqlRunner {
  withLock<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

export const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** Raised when an applied migration's file has changed since it was applied. */
export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(`Migration ${migration} was changed after it was applied; add a new migration instead.`);
    this.name = 'MigrationChecksumError';
  }
}

/** Applies pending migrations; returns the names applied now. */
export async function migrate(runner: SqlRunner, dir: string = migrationsDir): Promise<string[]> {
  const migrations = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
  return runner.withLock(async (db) => {
    await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const rows = await db.query(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((r) => [String(r.migration_name), String(r.checksum)]));
    const done: string[] = [];
    for (const name of migrations) {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new MigrationChecksumError(name);
        continue;
      }
      await db.exec('BEGIN');
      try {
        await db.exec(sql);
        await db.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await db.exec('COMMIT');
      } catch (error) {
        await db.exec('ROLLBACK');
        throw error;
      }
      done.push(name);
    }
    return done;
  });
}
