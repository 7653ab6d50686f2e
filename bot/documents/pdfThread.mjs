/** The entry of the thread that draws PDFs (see pdfThreads.ts); threadModule.mjs says how it finds its code. */
import { importBeside } from '../threadModule.mjs';

const { preparePdf, renderPdfJob } = await importBeside(import.meta.url, 'pdfJobs');

/** Draws one document (its bytes reach the main thread as a Uint8Array), or only gets ready to (`null`). */
export default async function render(job) {
  if (job === null) {
    preparePdf();
    return new Uint8Array(0);
  }
  return renderPdfJob(job);
}
