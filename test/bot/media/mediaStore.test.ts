import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFString } from '@cantoo/pdf-lib';
import { unzipSync } from 'fflate';
import PDFKit from 'pdfkit';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { stopCleaningThreads } from '../../../bot/media/documentCleaning.ts';
import { mustBeCleaned } from '../../../flows/shared/mediaFormat.ts';
import { kindFromFileName, storeMedia } from '../../../bot/media/mediaStore.ts';
import { cleanVideoMetadata } from '../../../bot/media/videoMetadata.ts';

/** A one-page PDF, with document information if given. */
async function letter(info?: Record<string, PDFString>): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]).drawText('Kronologi', { x: 20, y: 100 });
  if (info) doc.context.trailerInfo.Info = doc.context.register(doc.context.obj(info));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const video = (name: string) => readFileSync(path.join(import.meta.dirname, '../../fixtures/video', name));

describe('the evidence store', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-media-'));
  afterAll(async () => {
    await stopCleaningThreads();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a photo once under its SHA-256, with a copy stripped of its metadata, even when it arrives three times at once', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a03020' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Pelapor', Copyright: 'Desa Sukamaju' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const stored = await Promise.all([1, 2, 3].map(() => storeMedia(dataDir, photo, { kind: 'photo', mime: 'image/jpeg' })));

    expect(new Set(stored.map((s) => s.path)).size).toBe(1);
    const [first] = stored;
    expect(readFileSync(path.join(dataDir, first!.path))).toEqual(photo);
    expect((await sharp(readFileSync(path.join(dataDir, first!.strippedPath!))).metadata()).exif).toBeUndefined();
    // The original and its stripped copy, and no temporary file left behind.
    expect(readdirSync(path.join(dataDir, path.dirname(first!.path))).sort()).toEqual(
      [path.basename(first!.path), path.basename(first!.strippedPath!)].sort(),
    );
  });

  it("keeps a phone's video as it came, with a copy emptied of its location, make and model", async () => {
    const bytes = video('phone.mov');
    const stored = await storeMedia(dataDir, bytes, { kind: 'video', mime: 'video/quicktime' });
    expect(stored.path).toMatch(/\.mov$/);
    expect(stored.strippedPath).toMatch(/\.clean\.mov$/);
    expect(readFileSync(path.join(dataDir, stored.path))).toEqual(bytes);
    const clean = readFileSync(path.join(dataDir, stored.strippedPath!));
    expect(clean.includes('CANARY7Q')).toBe(false);
    expect(clean.length).toBe(bytes.length);
  });

  it('cleans a video sent as a file, known by its name alone; one with no metadata is its own clean copy, one it cannot read has none', async () => {
    const asFile = await storeMedia(dataDir, video('phone.mp4'), { kind: 'document', fileName: 'VID_20261204_101500.MP4' });
    expect(readFileSync(path.join(dataDir, asFile.strippedPath!)).includes('CANARY7Q')).toBe(false);

    const alreadyClean = cleanVideoMetadata(video('phone.mp4'))!.bytes;
    const stored = await storeMedia(dataDir, alreadyClean, { kind: 'video', mime: 'video/mp4' });
    expect(stored.strippedPath).toBe(stored.path);

    // Not sent without a clean copy (the dossier keeps it back): see the forwarding tests.
    const damaged = await storeMedia(dataDir, video('phone.mov').subarray(0, 600), { kind: 'video', mime: 'video/quicktime' });
    expect(damaged.strippedPath).toBeUndefined();
  });

  it("keeps a PDF as it came, with a copy without its author; one with nothing to remove is its own copy, one locked or in Word 97's format has none", async () => {
    const pdf = await letter({ Author: PDFString.of('Rina PENULIS') });
    const stored = await storeMedia(dataDir, pdf, { kind: 'document', mime: 'application/pdf', fileName: 'kronologi.pdf' });
    expect(stored.strippedPath).toMatch(/\.clean\.pdf$/);
    expect(readFileSync(path.join(dataDir, stored.path))).toEqual(pdf);
    expect(readFileSync(path.join(dataDir, stored.strippedPath!)).includes('PENULIS')).toBe(false);

    const plain = await letter();
    const alreadyClean = await storeMedia(dataDir, plain, { kind: 'document', mime: 'application/pdf', fileName: 'bersih.pdf' });
    expect(alreadyClean.strippedPath).toBe(alreadyClean.path);

    // Known by its name alone, as a WhatsApp file may come.
    const locked = await new Promise<Buffer>((resolve) => {
      const doc = new PDFKit({ userPassword: 'rahasia', pdfVersion: '1.7' });
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.text('Terkunci');
      doc.end();
    });
    expect((await storeMedia(dataDir, locked, { kind: 'document', fileName: 'terkunci.PDF' })).strippedPath).toBeUndefined();
    const word97 = readFileSync(path.join(import.meta.dirname, '../../fixtures/office/report.doc'));
    const legacy = await storeMedia(dataDir, word97, { kind: 'document', mime: 'application/msword', fileName: 'surat.doc' });
    expect(legacy.path).toMatch(/\.doc$/);
    expect(legacy.strippedPath).toBeUndefined();
  });

  it("gives a file attached in the terminal the kind and MIME type its extension says", () => {
    expect(kindFromFileName('/tmp/bukti.JPG')).toEqual({ kind: 'photo', mime: 'image/jpeg' });
    expect(kindFromFileName('pesan.opus')).toEqual({ kind: 'voice', mime: 'audio/ogg' });
    expect(kindFromFileName('rekaman.m4a')).toEqual({ kind: 'audio', mime: 'audio/mp4' });
    expect(kindFromFileName('rekap.xlsx')).toEqual({ kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(kindFromFileName('catatan.txt')).toEqual({ kind: 'document' });
  });

  it('knows a document by its content, whatever its name or MIME type claim', async () => {
    const letterBytes = await letter({ Author: PDFString.of('Rina PENULIS') });
    // A PDF with no name and no type, as some WhatsApp clients send one: cleaned as the PDF it is.
    const unnamed = await storeMedia(dataDir, letterBytes, { kind: 'document', mime: 'application/octet-stream' });
    expect(unnamed.path).toMatch(/\.pdf$/);
    expect(readFileSync(path.join(dataDir, unnamed.strippedPath!)).includes('PENULIS')).toBe(false);
    expect(mustBeCleaned(unnamed)).toBe(true);
    // A name too long to keep whole keeps its extension.
    const long = await storeMedia(dataDir, letterBytes, { kind: 'document', fileName: `${'Surat_Edaran_'.repeat(12)}.pdf` });
    expect(long.fileName).toMatch(/^Surat_Edaran_.*\.pdf$/);
    expect(long.fileName!.length).toBeLessThanOrEqual(120);
    // A workbook labelled as Excel 97, as some Android pickers label one: cleaned as the workbook it is.
    const xlsx = readFileSync(path.join(import.meta.dirname, '../../fixtures/office/report.xlsx'));
    const workbook = await storeMedia(dataDir, xlsx, { kind: 'document', mime: 'application/vnd.ms-excel', fileName: 'rekap.xls' });
    expect(workbook.path).toMatch(/\.xlsx$/);
    expect(workbook.strippedPath).toMatch(/\.clean\.xlsx$/);
    // A CSV file labelled as Excel 97, as browsers on Windows label one: no Excel sheet, so nothing to clean or withhold.
    const csv = await storeMedia(dataDir, Buffer.from('nama,jabatan\nBudi,Camat\n'), { kind: 'document', mime: 'application/vnd.ms-excel', fileName: 'daftar.csv' });
    expect(csv.path).toMatch(/\.csv$/);
    expect(csv.strippedPath).toBeUndefined();
    expect(mustBeCleaned(csv)).toBe(false);
    // What claims a format that is cleaned and is none that can be told apart stays what it claims, and is kept back:
    // an Excel 2003 XML sheet saved as .xls, a Word web page saved as .doc, a PDF after more junk than readers skip.
    const claimed: Array<[string, string, Buffer]> = [
      ['rekap.xls', 'application/vnd.ms-excel', Buffer.from('<?xml version="1.0"?><Workbook><DocumentProperties><Author>Rina</Author></DocumentProperties></Workbook>')],
      ['surat.doc', 'application/msword', Buffer.from('MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<html><o:Author>Rina</o:Author></html>')],
      ['surat.pdf', 'application/pdf', Buffer.concat([Buffer.alloc(2048, 0x20), letterBytes])],
    ];
    for (const [fileName, mime, bytes] of claimed) {
      const kept = await storeMedia(dataDir, bytes, { kind: 'document', mime, fileName });
      expect(kept.path.endsWith(path.extname(fileName)), fileName).toBe(true);
      expect(kept.strippedPath, fileName).toBeUndefined();
      expect(mustBeCleaned(kept), fileName).toBe(true);
    }
    // A photo with no name or type: stripped as the photo it is.
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).jpeg().withExif({ IFD0: { Artist: 'Pelapor PENULIS' } }).toBuffer();
    const anonymousPhoto = await storeMedia(dataDir, photo, { kind: 'document' });
    expect(anonymousPhoto.path).toMatch(/\.jpg$/);
    expect(readFileSync(path.join(dataDir, anonymousPhoto.strippedPath!)).includes('PENULIS')).toBe(false);
  });

  it('keeps a Word document as it came, with a copy without its author, company and photo EXIF', async () => {
    const docx = readFileSync(path.join(import.meta.dirname, '../../fixtures/office/report.docx'));
    const stored = await storeMedia(dataDir, docx, { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', fileName: 'laporan.docx' });
    expect(stored.path).toMatch(/\.docx$/);
    expect(stored.strippedPath).toMatch(/\.clean\.docx$/);
    const entries = unzipSync(readFileSync(path.join(dataDir, stored.strippedPath!)));
    expect(Object.keys(entries)).toContain('word/document.xml');
    expect(Object.values(entries).some((bytes) => Buffer.from(bytes).includes('CANARY7Q'))).toBe(false);
    expect(Object.values(unzipSync(docx)).some((bytes) => Buffer.from(bytes).includes('CANARY7Q'))).toBe(true);
  });
});
