/**
 * Runs once before the test files: removes databases left by an earlier interrupted run, so the local
 * PostgreSQL does not fill up with them (each test file then creates its own fresh database), and builds Netra as
 * `npm run build` does, for the tests that start it as `npm start` runs it (npmStart.ts) and for the benchmark's
 * smoke run (its bots are built along). The build is removed when the run ends.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { appRoots, build, repoRoot } from '../../scripts/build.ts';
import { isAlive } from '../../bot/store/store.ts';
import { adminUrl, TEST_DB_PREFIX } from './testDatabase.ts';

const BUILD_PREFIX = 'netra-test-build-';

export default async function setup(project: TestProject): Promise<() => void> {
  await dropLeftoverDatabases();
  const cache = path.join(repoRoot, 'node_modules', '.cache');
  removeLeftoverBuilds(cache);
  const dir = path.join(cache, `${BUILD_PREFIX}${process.pid}`);
  // With the benchmark's bots, so its smoke run needs no build of its own.
  build(dir, [...appRoots, 'test/bench']);
  project.provide('netraBuild', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

/** Builds of runs whose process is gone (interrupted); a run still going keeps its own. */
function removeLeftoverBuilds(cache: string): void {
  let names: string[];
  try {
    names = readdirSync(cache).filter((name) => name.startsWith(BUILD_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(BUILD_PREFIX.length).replace(/\.partial$/, ''));
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) rmSync(path.join(cache, name), { recursive: true, force: true });
  }
}

async function dropLeftoverDatabases(): Promise<void> {
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
