/** The entry of the thread that cleans documents (see documentCleaning.ts); threadModule.mjs says how it finds its code. */
import { importBeside } from '../threadModule.mjs';

const { cleanDocumentJob } = await importBeside(import.meta.url, 'documentJobs');

/** Cleans one document; `null` when it cannot be cleaned. */
export default function clean(job) {
  return cleanDocumentJob(job);
}
