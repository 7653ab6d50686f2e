import { PDFDocument, PDFString } from '@cantoo/pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanDocument, cleaningThreadCount, stopCleaningThreads } from '../../../bot/media/documentCleaning.ts';

/** A one-page PDF whose document information names its author. */
async function letter(author: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]).drawText('Kronologi', { x: 20, y: 100 });
  doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of(author) }));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

describe('the document-cleaning thread', () => {
  afterAll(() => stopCleaningThreads());

  it('cleans a PDF off the main thread, and stops when told to', async () => {
    const input = await letter('Rina PENULIS');
    const result = (await cleanDocument('pdf', input))!;
    expect(Buffer.from(result.bytes).includes('PENULIS')).toBe(false);
    expect(result.emptied).toBeGreaterThan(0);
    expect(cleaningThreadCount()).toBe(1);
    await stopCleaningThreads();
    expect(cleaningThreadCount()).toBe(0);
  });

  it('refuses a crafted PDF that would take more memory than the thread may have, and goes on cleaning the next', async () => {
    // A valid one-page PDF whose catalog holds sixteen megabytes of one array of eight million numbers: each becomes
    // an object once parsed.
    const crafted = Buffer.from(
      `%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R/Junk [${'0 '.repeat(8_000_000)}]>>\nendobj\n` +
        '2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>\nendobj\n' +
        'trailer<</Root 1 0 R/Info<</Author(Rina PENULIS)>>>>\n%%EOF',
    );
    const before = process.memoryUsage().heapUsed;
    expect(await cleanDocument('pdf', crafted)).toBeUndefined();
    // The main thread did not parse it.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
    const next = (await cleanDocument('pdf', await letter('Budi PENULIS')))!;
    expect(Buffer.from(next.bytes).includes('PENULIS')).toBe(false);
  });

  it('refuses what it cannot read', async () => {
    expect(await cleanDocument('pdf', Buffer.from('%PDF-1.4 nothing else'))).toBeUndefined();
    expect(await cleanDocument('office', Buffer.from('PK\u0003\u0004 not really a zip'))).toBeUndefined();
  });
});
