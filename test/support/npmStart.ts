/**
 * `netra start` as `npm start` runs it: Node with the start script's flags on Netra compiled to JavaScript. The
 * build is made once per test run (globalSetup.ts, the same `build()` as `npm run build`), so the tests that start
 * Netra as a process run what operators run, and each start skips the TypeScript loader.
 */
import { readFileSync } from 'node:fs';
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
  const build = inject('netraBuild');
  const compiled = path.join(build, path.relative('dist', words[entry]!));
  return [...words.slice(1, entry), ...preloads.flatMap((file) => ['--import', file]), compiled, ...args];
}
