/**
 * Runs once before the test files: removes databases left by an earlier interrupted run, so the local
 * PostgreSQL does not fill up with them. Each test file then creates its own fresh database.
 */
import pg from 'pg';
import { adminUrl, TEST_DB_PREFIX } from './testDatabase.ts';

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need the local PostgreSQL at ${adminUrl()} (set NETRA_TEST_DATABASE_URL to another server). ` +
        `Start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start\n${String(error)}`,
    );
  }
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 AND NOT EXISTS
         (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`,
      [`${TEST_DB_PREFIX}%`],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}"`);
  } finally {
    await client.end();
  }
}
