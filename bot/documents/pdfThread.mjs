/**
 * The entry of the thread that draws PDFs (see pdfThreads.ts). Plain JavaScript, so that a worker thread can load
 * it without the TypeScript loader of the main thread (Node 20 does not pass that loader on to worker threads).
 * In the compiled build (`npm run build`, which `npm start` runs) the code beside it is JavaScript and is imported
 * as it is; from the sources, the thread registers the loader for itself and then imports the TypeScript.
 */
import { existsSync } from 'node:fs';

const compiled = new URL('./pdfJobs.js', import.meta.url);
let jobs;
if (existsSync(compiled)) {
  jobs = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  jobs = await import('./pdfJobs.ts');
}
const { preparePdf, renderPdfJob } = jobs;

/** Draws one document (its bytes reach the main thread as a Uint8Array), or only gets ready to (`null`). */
export default async function render(job) {
  if (job === null) {
    preparePdf();
    return new Uint8Array(0);
  }
  return renderPdfJob(job);
}
