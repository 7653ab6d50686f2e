/**
 * The entry of the thread that cleans documents (see documentCleaning.ts). Plain JavaScript, so that a worker thread
 * can load it without the TypeScript loader of the main thread (as pdfThread.mjs, whose comment says why).
 */
import { existsSync } from 'node:fs';

const compiled = new URL('./documentJobs.js', import.meta.url);
let jobs;
if (existsSync(compiled)) {
  jobs = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  jobs = await import('./documentJobs.ts');
}
const { cleanDocumentJob } = jobs;

/** Cleans one document; `null` when it cannot be cleaned. */
export default function clean(job) {
  return cleanDocumentJob(job);
}
