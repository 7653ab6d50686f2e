/**
 * The documents Netra draws, as jobs that can travel to a worker thread (plain data in, bytes out).
 */
import { pdfkit } from './pdfDocument.ts';
import { renderCertificatePdf, type CertificateData, type CertificateOptions } from './certificatePdf.ts';
import { renderReportFormPdf, type ReportFormData, type ReportFormOptions } from './reportFormPdf.ts';

export type PdfJob =
  | { kind: 'reportForm'; data: ReportFormData; options: ReportFormOptions }
  | { kind: 'certificate'; data: CertificateData; options: CertificateOptions };

/** Draws one document in this thread. */
export function renderPdfJob(job: PdfJob): Promise<Buffer> {
  return job.kind === 'reportForm' ? renderReportFormPdf(job.data, job.options) : renderCertificatePdf(job.data, job.options);
}

/** Loads what drawing needs (pdfkit and its fonts), so that the first document does not wait for it. */
export function preparePdf(): void {
  pdfkit();
}
