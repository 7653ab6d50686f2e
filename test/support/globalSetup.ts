/**
 * Runs once before the test files: removes databases left by an earlier interrupted run, so the local
 * PostgreSQL does not fill up with them (each test file then creates its own fresh database), and starts building
 * Netra as `npm run build` does, for the tests that start it as `npm start` runs it (npmStart.ts) and for the
 * benchmark's smoke run (its bots are built along). The build runs beside the first test files, and only the tests
 * that need it wait for it (a run of files that start no process does not wait at all). It is removed when the run
 * ends.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../../scripts/build.ts';
import { isAlive } from '../../bot/store/store.ts';
import { adminUrl, TEST_DB_PREFIX } from './testDatabase.ts';

const BUILD_PREFIX = 'netra-test-build-';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await dropLeftoverDatabases();
  const cache = path.join(repoRoot, 'node_modules', '.cache');
  removeLeftoverBuilds(cache);
  const dir = path.join(cache, `${BUILD_PREFIX}${process.pid}`);
  // `npm run build`'s script, with the benchmark's bots, so its smoke run needs no build of its own. It makes `dir`
  // only once the build is complete; a failure leaves its output in `dir.failed` for the tests that wait (npmStart.ts).
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, path.join(repoRoot, 'scripts', 'build.ts'), dir, 'test/bench'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it early also stops the compiler it runs.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const finished = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      writeFileSync(`${dir}.failed`, `${String(error)}\n${output}`);
      resolve();
    });
    child.on('exit', (code, signal) => {
      if (code !== 0 && !signal) writeFileSync(`${dir}.failed`, `exit code ${code}\n${output}`);
      resolve();
    });
  });
  project.provide('netraBuild', dir);
  return async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Gone meanwhile.
      }
    }
    await finished;
    for (const leftover of [dir, `${dir}.partial`, `${dir}.failed`]) rmSync(leftover, { recursive: true, force: true });
  };
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
    const pid = Number(name.slice(BUILD_PREFIX.length).replace(/\.(partial|failed)$/, ''));
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
