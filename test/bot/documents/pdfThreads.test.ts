import { afterAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { renderPdfJob, type PdfJob } from '../../../bot/documents/pdfJobs.ts';
import { pdfThreadStats, renderPdf, startPdfThread, stopPdfThreads } from '../../../bot/documents/pdfThreads.ts';
import { certificate, formalReport, pdfText, tipReport } from './fixtures.ts';

const generatedAt = new Date('2026-11-20T03:15:00Z');

describe('PDF thread', () => {
  afterAll(async () => {
    await stopPdfThreads();
  });

  it('draws documents in a worker thread once it runs, byte for byte as they are drawn in this thread', async () => {
    await stopPdfThreads();
    expect(pdfThreadStats()).toEqual({ threads: 0, drawn: 0 });
    const jobs: PdfJob[] = [
      { kind: 'reportForm', data: formalReport, options: { locale: 'id', generatedAt } },
      { kind: 'reportForm', data: tipReport, options: { locale: 'en', generatedAt } },
      { kind: 'certificate', data: certificate, options: { generatedAt } },
    ];
    await startPdfThread();
    const threaded = await Promise.all(jobs.map((job) => renderPdf(job)));
    expect(pdfThreadStats()).toEqual({ threads: 1, drawn: 3 });
    const here = await Promise.all(jobs.map((job) => renderPdfJob(job)));
    threaded.forEach((bytes, i) => {
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect(bytes.equals(here[i]!)).toBe(true);
    });
    expect((await pdfText(threaded[0]!)).text).toContain(formalReport.code);
  });

  it('draws the first document at once while the thread starts, and the next ones in the thread', async () => {
    await stopPdfThreads();
    const job: PdfJob = { kind: 'certificate', data: certificate, options: { generatedAt } };
    const first = await renderPdf(job);
    expect(pdfThreadStats().drawn).toBe(0);
    await startPdfThread();
    const next = await renderPdf(job);
    expect(pdfThreadStats()).toEqual({ threads: 1, drawn: 1 });
    expect(next.equals(first)).toBe(true);
  });

  it('fails a document with invalid data as drawing it here would', async () => {
    await startPdfThread();
    const broken = { kind: 'reportForm', data: { ...tipReport, code: '' }, options: { locale: 'id', generatedAt } } as PdfJob;
    await expect(renderPdfJob(broken)).rejects.toBeInstanceOf(ZodError);
    await expect(renderPdf(broken)).rejects.toBeInstanceOf(ZodError);
  });

  it('stops its thread at shutdown', async () => {
    await startPdfThread();
    expect(pdfThreadStats().threads).toBe(1);
    await stopPdfThreads();
    expect(pdfThreadStats()).toEqual({ threads: 0, drawn: 0 });
  });
});
