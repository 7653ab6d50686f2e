/**
 * A pdfkit document whose bytes are collected into one Buffer, shared by Netra's generated documents.
 */
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';

let loaded: typeof PDFDocumentClass | undefined;

/** pdfkit and its fonts, loaded with the first document: a process that never writes one saves about 14 MB. */
export function pdfkit(): typeof PDFDocumentClass {
  loaded ??= createRequire(import.meta.url)('pdfkit') as typeof PDFDocumentClass;
  return loaded;
}

/** What `createPdf` needs to know; `createdAt` fixes the creation date (and so the file ID) for reproducible output. */
export interface PdfOptions {
  size: 'A4';
  layout: 'portrait' | 'landscape';
  margins: { top: number; bottom: number; left: number; right: number };
  title: string;
  subject: string;
  createdAt: Date;
  /** Keep pages in memory so a final pass can write "page x of y" on each. */
  bufferPages: boolean;
}

/** An open document and the promise of its bytes, which resolves once `doc.end()` is called. */
export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  bytes: Promise<Buffer>;
}

/** Opens a document. Dates are fixed by the caller; pdfkit derives the trailer ID from them, so equal input gives equal bytes. */
export function createPdf(options: PdfOptions): OpenPdf {
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: options.size,
    layout: options.layout,
    margins: options.margins,
    bufferPages: options.bufferPages,
    autoFirstPage: true,
    lang: 'id-ID',
    info: {
      Title: options.title,
      Subject: options.subject,
      Author: 'Netra',
      Creator: 'Netra',
      Producer: 'Netra (pdfkit)',
      CreationDate: options.createdAt,
      ModDate: options.createdAt,
    },
  });
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
