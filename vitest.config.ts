import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const TESTS = 'test';
const EXCLUDE = ['test/bench/**', 'node_modules/**'];

/**
 * What a test file may do that another file in the same process would notice or be disturbed by: mock a module,
 * change the environment or a global, spy on a shared object, use fake timers, start processes, or measure the
 * process's memory. Such a file runs in a process of its own; the others share their worker process, which spares
 * each file the start of a process and the loading of Netra's modules (about 3–4 s a file on a 2-core VM).
 */
const NEEDS_ITS_OWN_PROCESS =
  /vi\.(?:mock|doMock|stubEnv|stubGlobal|spyOn|useFakeTimers)|process\.(?:env|chdir|on\(|exit)|globalThis|child_process|spawn|fork\(|execFile|memoryUsage|startNetra|npmStart/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return file === 'test/bench' ? [] : testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const isolated = testFiles(TESTS).filter((file) => NEEDS_ITS_OWN_PROCESS.test(readFileSync(file, 'utf8')));

export default defineConfig({
  test: {
    // Most files wait on PostgreSQL, HTTP or child processes rather than on the CPU, so even a 2-core machine runs
    // two at a time (vitest's default there is one: 9.8 → 7.4 minutes for the suite on a 2-core VM). Each file has
    // its own database, ports and data directories.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files running side by side slow each other down (the terminal and CLI tests spawn Netra processes): the
    // longest default-timeout test took 17 s with three files at a time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // The global setup (a build of Netra for the tests that start it as `npm start` does) runs once per project that
      // names it: only here, where those tests are, so no second build replaces the first while they run.
      {
        extends: true,
        test: { name: 'isolated', include: isolated, exclude: EXCLUDE, isolate: true, globalSetup: ['test/support/globalSetup.ts'] },
      },
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...isolated], isolate: false } },
    ],
  },
});
