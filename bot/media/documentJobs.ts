/**
 * The work of the document-cleaning thread (see documentCleaning.ts): a PDF or an Office document rewritten without
 * its author's metadata.
 */
import { cleanOfficeMetadata } from './officeMetadata.ts';
import { cleanPdfMetadata } from './pdfMetadata.ts';

/** Documents Netra can clean: PDF, and Office documents (Word, Excel, PowerPoint and OpenDocument). */
export type DocumentFormat = 'pdf' | 'office';

export interface CleanJob {
  format: DocumentFormat;
  bytes: Uint8Array;
}

/** The clean document, and how many places were emptied (0: the input had nothing to remove). */
export interface CleanResult {
  bytes: Uint8Array;
  emptied: number;
}

/** Cleans one document; `null` when it cannot be (damaged, password-protected, not what it claims to be). */
export async function cleanDocumentJob(job: CleanJob): Promise<CleanResult | null> {
  const result = job.format === 'pdf' ? await cleanPdfMetadata(job.bytes) : cleanOfficeMetadata(job.bytes);
  return result ?? null;
}
