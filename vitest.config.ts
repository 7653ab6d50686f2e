import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // Most files wait on PostgreSQL, HTTP or child processes rather than on the CPU, so even a 2-core machine runs
    // two at a time (vitest's default there is one: 9.8 → 7.4 minutes for the suite on a 2-core VM). Each file has
    // its own database, ports and data directories.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files running side by side slow each other down (the terminal and CLI tests spawn Netra processes): the
    // longest default-timeout test took 17 s with three files at a time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
