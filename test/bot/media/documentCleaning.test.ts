import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFString } from '@cantoo/pdf-lib';
import { strToU8, zipSync } from 'fflate';
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
    const result = await cleanDocument('pdf', input);
    if (!result.ok) throw new Error(`not cleaned: ${result.reason}`);
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
    expect(await cleanDocument('pdf', crafted)).toEqual({ ok: false, reason: 'unreadable' });
    // The main thread did not parse it.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
    const next = await cleanDocument('pdf', await letter('Budi PENULIS'));
    expect(next.ok && Buffer.from(next.bytes).includes('PENULIS')).toBe(false);
    expect(next.ok).toBe(true);
  });

  it('stops a PDF whose object stream inflates to hundreds of megabytes, which the heap limit does not see', async () => {
    // Half a megabyte that pdf-lib would inflate, while loading, into 512 MB outside the JavaScript heap: measured
    // before it is loaded, and refused then.
    const bomb = deflateSync(Buffer.alloc(512 * 1024 * 1024), { level: 9 });
    const head = '%PDF-1.5\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>\nendobj\n';
    const crafted = Buffer.concat([
      Buffer.from(`${head}4 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${bomb.length}>>\nstream\n`),
      bomb,
      Buffer.from('\nendstream\nendobj\ntrailer<</Root 1 0 R/Info<</Author(Rina PENULIS)>>>>\n%%EOF'),
    ]);
    const before = process.memoryUsage.rss();
    let peak = before;
    const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    const result = await cleanDocument('pdf', crafted);
    clearInterval(watch);
    expect(result).toEqual({ ok: false, reason: 'unreadable' });
    // Stopped at the object streams' budget (96 MB), far below the process's (448 MB) and the whole stream.
    expect(peak - before).toBeLessThan(250 * 1024 * 1024);
  });

  it('cleans a small document whose tags never close, rather than spending its time limit on it', async () => {
    // 100,000 attributes holding "<" in one unclosed tag: a pattern that backtracks takes minutes over them.
    const body = `<w:document w:author="Rina"><w:t${' x="<"'.repeat(100_000)}</w:document>`;
    const docx = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8(body) }, { level: 9 });
    expect(docx.length).toBeLessThan(4096);
    expect((await cleanDocument('office', docx)).ok).toBe(true);
  });

  it('refuses what it cannot read', async () => {
    expect(await cleanDocument('pdf', Buffer.from('%PDF-1.4 nothing else'))).toEqual({ ok: false, reason: 'unreadable' });
    expect(await cleanDocument('office', Buffer.from('PK\u0003\u0004 not really a zip'))).toEqual({ ok: false, reason: 'unreadable' });
  });
});
