/**
 * What a worker thread's entry imports (the PDF thread's, the cleaning thread's). Plain JavaScript, so that a worker
 * thread can load it without the TypeScript loader of the main thread (Node 20 does not pass that loader on to
 * worker threads). In the compiled build (`npm run build`, which `npm start` runs) the code beside the entry is
 * JavaScript and is imported as it is; from the sources, the thread registers the loader for itself and then imports
 * the TypeScript.
 */
import { existsSync } from 'node:fs';

/** Imports `name` (without extension) from beside `entryUrl`: its compiled `.js`, else its `.ts` sources. */
export async function importBeside(entryUrl, name) {
  const compiled = new URL(`./${name}.js`, entryUrl);
  if (existsSync(compiled)) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`./${name}.ts`, entryUrl).href);
}
