/**
 * The entry of the thread that draws PDFs (see pdfThreads.ts). Plain JavaScript, so that a worker thread can load
 * it without the TypeScript loader of the main thread (Node 20 does not pass that loader on to worker threads); it
 * registers the loader for itself and then imports the TypeScript code.
 */
import { register } from 'tsx/esm/api';

register();
const { preparePdf, renderPdfJob } = await import('./pdfJobs.ts');

/** Draws one document (its bytes reach the main thread as a Uint8Array), or only gets ready to (`null`). */
export default async function render(job) {
  if (job === null) {
    preparePdf();
    return new Uint8Array(0);
  }
  return renderPdfJob(job);
}
