/**
 * `netra start` as `npm start` runs it: Node with the start script's flags on Netra compiled to JavaScript. The
 * build is made once per test run (globalSetup.ts, the same script as `npm run build`), so the tests that start
 * Netra as a process run what operators run, and each start skips the TypeScript loader.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's build of Netra (globalSetup.ts). */
    netraBuild: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');

/** Node's arguments for `npm start` (the start script's flags, its entry in the test run's build), then `args`. */
export function npmStartArgs(args: string[] = ['start'], preloads: string[] = []): string[] {
  const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // "node <flags…> dist/bot/cli/netra.js start"
  const words = script.split(/\s+/);
  const entry = words.findIndex((word) => word.endsWith('netra.js'));
  if (words[0] !== 'node' || entry < 0) throw new Error(`unexpected start script: ${script}`);
  const compiled = path.join(netraBuild(), path.relative('dist', words[entry]!));
  return [...words.slice(1, entry), ...preloads.flatMap((file) => ['--import', file]), compiled, ...args];
}

const BUILD_WAIT_MS = 180_000;

/**
 * The test run's build of Netra, once it is complete. globalSetup starts it beside the first test files; a test
 * that needs it waits here (blocking its worker, which has nothing else to do meanwhile), and fails with the
 * build's output if it failed.
 */
export function netraBuild(): string {
  const dir = inject('netraBuild');
  const until = Date.now() + BUILD_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(dir)) {
    if (existsSync(`${dir}.failed`)) throw new Error(`building Netra failed:\n${readFileSync(`${dir}.failed`, 'utf8')}`);
    if (Date.now() > until) throw new Error(`Netra's build did not appear in ${dir} within ${BUILD_WAIT_MS / 1000} s`);
    Atomics.wait(pause, 0, 0, 50);
  }
  return dir;
}
