/**
 * PDFs made here the way a user's software makes them: pdfkit (document information, PDF/A XMP, a camera photo
 * embedded as its own JPEG, a sticky note with its author, owner and user passwords) and pdf-lib (a form, an
 * incremental save, a deflated JPEG).
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument as PdfLibDocument, PDFName, PDFRawStream, PDFString } from '@cantoo/pdf-lib';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { cleanPdfMetadata } from '../../../bot/media/pdfMetadata.ts';

const MARKERS = ['AUTHORMARKER', 'TITLEMARKER', 'CREATORMARKER', 'ARTISTMARKER', 'MAKEMARKER', 'NOTEMARKER'];

/** A camera photo: textured pixels and EXIF naming its owner and camera. */
async function cameraPhoto(): Promise<Buffer> {
  const pixels = Buffer.alloc(40 * 30 * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 53) % 241;
  return sharp(pixels, { raw: { width: 40, height: 30, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Artist: 'ARTISTMARKER', Make: 'MAKEMARKER' } })
    .toBuffer();
}

/** A letter as a phone's office app or a scanning app writes it: its author, a photo, a sticky note. */
async function letter(options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const photo = await cameraPhoto();
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { Author: 'AUTHORMARKER', Title: 'TITLEMARKER', Creator: 'CREATORMARKER' }, ...options });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Surat edaran: seluruh staf wajib hadir di kampanye hari Sabtu.');
    doc.image(photo, 50, 120, { width: 120 });
    doc.note(50, 300, 100, 40, 'lihat paragraf dua', { T: new String('NOTEMARKER') } as never);
    doc.end();
  });
}

/** ASCII85 as PDF writes it (`~>` at the end). */
function ascii85(bytes: Uint8Array): Buffer {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const chunk = [0, 1, 2, 3].map((j) => bytes[i + j] ?? 0);
    let value = ((chunk[0]! << 24) | (chunk[1]! << 16) | (chunk[2]! << 8) | chunk[3]!) >>> 0;
    const digits: string[] = [];
    for (let k = 0; k < 5; k += 1) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    const kept = Math.min(4, bytes.length - i) + 1;
    out += digits.join('').slice(0, kept);
  }
  return Buffer.from(`${out}~>`, 'latin1');
}

/**
 * Everything a reader of the file could find/**
 * Everything a reader of the file could find: its bytes, and every object and stream (deflated ones inflated) as
 * pdf-lib reads them.
 */
async function everything(bytes: Uint8Array): Promise<string> {
  const parts = [Buffer.from(bytes).toString('latin1')];
  const doc = await PdfLibDocument.load(bytes, { updateMetadata: false, password: '' });
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream) {
      const filter = object.dict.get(PDFName.of('Filter'));
      const first = filter instanceof PDFArray ? filter.get(0) : filter;
      parts.push(object.dict.toString(), Buffer.from(first === PDFName.of('FlateDecode') ? inflateSync(object.getContents()) : object.getContents()).toString('latin1'));
    } else {
      parts.push(object.toString());
    }
  }
  return parts.join('\n');
}

const found = async (bytes: Uint8Array) => {
  const text = await everything(bytes);
  return MARKERS.filter((marker) => text.includes(marker));
};

async function textOf(bytes: Uint8Array): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text;
}

/** The first picture stream's coded bytes (a JPEG). */
async function firstPicture(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PdfLibDocument.load(bytes, { updateMetadata: false, password: '' });
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image')) return object.getContents();
  }
  throw new Error('no picture');
}

describe('cleanPdfMetadata', () => {
  it('removes the author, the applications, the XMP, the photo’s EXIF and the note’s author, and keeps the text and the photo', async () => {
    const input = await letter({ subset: 'PDF/A-1b', pdfVersion: '1.4' } as PDFKit.PDFDocumentOptions);
    expect(await found(input)).toEqual(MARKERS);
    expect(await everything(input)).toContain('/Metadata');

    const result = (await cleanPdfMetadata(input))!;
    expect(await found(result.bytes)).toEqual([]);
    const cleaned = await PdfLibDocument.load(result.bytes, { updateMetadata: false });
    expect(cleaned.context.trailerInfo.Info).toBeUndefined();
    expect(cleaned.context.trailerInfo.ID).toBeUndefined();
    expect(cleaned.catalog.has(PDFName.of('Metadata'))).toBe(false);
    expect(await everything(input)).toContain('/Type /Metadata');
    expect(await everything(result.bytes)).not.toContain('/Type /Metadata');
    expect(result.emptied).toBeGreaterThan(0);
    expect(await textOf(result.bytes)).toContain('seluruh staf wajib hadir di kampanye');
    const pixels = async (jpeg: Uint8Array) => sharp(jpeg).raw().toBuffer();
    expect(await pixels(await firstPicture(result.bytes))).toEqual(await pixels(await firstPicture(input)));
    // The note itself stays; only its author goes.
    expect(await everything(result.bytes)).toContain('lihat paragraf dua');
  });

  it('removes the metadata of an earlier revision kept by an incremental save', async () => {
    const first = await letter();
    const doc = await PdfLibDocument.load(first, { updateMetadata: false, forIncrementalUpdate: true });
    // The later revision points to information of its own; the first revision's is left in the file, unused.
    doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of('Orang lain') }));
    const input = await doc.save({ useObjectStreams: false });
    expect(Buffer.from(input).includes('AUTHORMARKER')).toBe(true);
    expect(Buffer.from(input).includes('Orang lain')).toBe(true);

    const result = (await cleanPdfMetadata(input))!;
    expect(await found(result.bytes)).toEqual([]);
    expect(await everything(result.bytes)).not.toContain('Orang lain');
    expect(await textOf(result.bytes)).toContain('seluruh staf wajib hadir');
  });

  it('cleans a PDF protected only against printing or copying, and refuses one that needs a password to open', async () => {
    const ownerOnly = await letter({ ownerPassword: 'pemilik', permissions: { printing: 'lowResolution' }, pdfVersion: '1.7' });
    expect(Buffer.from(ownerOnly).toString('latin1')).toContain('/Encrypt');
    const result = (await cleanPdfMetadata(ownerOnly))!;
    expect(await found(result.bytes)).toEqual([]);
    expect(Buffer.from(result.bytes).toString('latin1')).not.toContain('/Encrypt');
    expect(await textOf(result.bytes)).toContain('seluruh staf wajib hadir');

    const locked = await letter({ userPassword: 'rahasia', ownerPassword: 'pemilik', pdfVersion: '1.7' });
    expect(await cleanPdfMetadata(locked)).toBeUndefined();
  });

  it('cleans a photo stored deflated, and keeps the names of a form’s fields', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of('AUTHORMARKER') }));
    const page = doc.addPage([300, 300]);
    const picture = await doc.embedJpg(await cameraPhoto());
    page.drawImage(picture, { x: 10, y: 10, width: 80, height: 60 });
    doc.getForm().createTextField('nama_saksi').addToPage(page, { x: 100, y: 200, width: 150, height: 20 });
    await doc.flush();
    const stream = doc.context.lookup(picture.ref) as PDFRawStream;
    doc.context.assign(
      picture.ref,
      PDFRawStream.of(stream.dict, deflateSync(stream.getContents())),
    );
    stream.dict.set(PDFName.of('Filter'), doc.context.obj(['FlateDecode', 'DCTDecode']));
    const input = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
    expect(await found(input)).toEqual(['AUTHORMARKER', 'ARTISTMARKER', 'MAKEMARKER']);

    const result = (await cleanPdfMetadata(input))!;
    expect(await found(result.bytes)).toEqual([]);
    const cleaned = await PdfLibDocument.load(result.bytes);
    expect(cleaned.getForm().getTextField('nama_saksi').getName()).toBe('nama_saksi');
    // Written back as the JPEG alone.
    const jpeg = await firstPicture(result.bytes);
    expect(await sharp(jpeg).raw().toBuffer()).toEqual(await sharp(await cameraPhoto()).raw().toBuffer());
  });

  it('cleans a tagged PDF exported by LibreOffice, keeping its pages and text', async () => {
    const input = readFileSync(path.join(import.meta.dirname, '../../fixtures/pdf/libreoffice-tagged.pdf'));
    const before = await PdfLibDocument.load(input, { updateMetadata: false });
    expect(before.getAuthor()).toContain('CANARY7Q');
    const result = (await cleanPdfMetadata(input))!;
    const after = await PdfLibDocument.load(result.bytes, { updateMetadata: false });
    expect(after.getAuthor()).toBeUndefined();
    expect(after.getProducer()).toBeUndefined();
    expect(after.getPageCount()).toBe(before.getPageCount());
    expect(await textOf(result.bytes)).toBe(await textOf(input));
    const utf16 = Buffer.from('CANARY7Q', 'utf16le').swap16();
    expect(Buffer.from(await everything(result.bytes), 'latin1').includes(utf16)).toBe(false);
  });

  it('cleans a PDF saved with object and cross-reference streams, with all its objects', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    const page = doc.addPage([300, 300]);
    page.drawImage(await doc.embedJpg(await cameraPhoto()), { x: 10, y: 10, width: 80, height: 60 });
    doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of('AUTHORMARKER') }));
    // Like an accessible export's structure tree: 20,000 small objects the catalog reaches.
    const parts = Array.from({ length: 20_000 }, (_, i) => doc.context.register(doc.context.obj({ Type: 'StructElem', S: 'P', K: i })));
    doc.catalog.set(PDFName.of('Parts'), doc.context.obj(parts));
    const input = await doc.save({ useObjectStreams: true });
    expect(Buffer.from(input).toString('latin1')).toContain('/ObjStm');
    expect(await found(input)).toEqual(['AUTHORMARKER', 'ARTISTMARKER', 'MAKEMARKER']);
    const result = (await cleanPdfMetadata(input))!;
    expect(result).toBeDefined();
    expect(await found(result.bytes)).toEqual([]);
    const after = await PdfLibDocument.load(result.bytes, { updateMetadata: false });
    expect((after.catalog.lookup(PDFName.of('Parts')) as PDFArray).size()).toBe(20_000);
  });

  it('keeps a small document that had object streams in object streams, so that it does not grow', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    for (let i = 0; i < 30; i += 1) doc.addPage([200, 200]).drawText(`Halaman ${i + 1}`, { x: 20, y: 100 });
    doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of('AUTHORMARKER') }));
    const input = await doc.save({ useObjectStreams: true });
    const result = (await cleanPdfMetadata(input))!;
    expect(await found(result.bytes)).toEqual([]);
    expect(Buffer.from(result.bytes).toString('latin1')).toContain('/ObjStm');
    expect(result.bytes.length).toBeLessThan(input.length * 1.2);
  });

  it('cleans pictures behind other filters, with their own parameters, a filter given by reference, and notes written inside the page', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    const page = doc.addPage([300, 300]);
    const photos = await Promise.all([1, 2, 3].map(async () => doc.embedJpg(await cameraPhoto())));
    photos.forEach((photo, i) => page.drawImage(photo, { x: 10 + i * 90, y: 10, width: 80, height: 60 }));
    await doc.flush();
    const raw = (ref: (typeof photos)[number]['ref']) => doc.context.lookup(ref) as PDFRawStream;
    // Deflated, with parameters of the JPEG's own (ColorTransform) beside a null for the deflate.
    const first = raw(photos[0]!.ref);
    doc.context.assign(photos[0]!.ref, PDFRawStream.of(first.dict, deflateSync(first.getContents())));
    first.dict.set(PDFName.of('Filter'), doc.context.obj(['FlateDecode', 'DCTDecode']));
    first.dict.set(PDFName.of('DecodeParms'), doc.context.obj([null, { ColorTransform: 1 }]));
    // ASCII85 over the JPEG.
    const second = raw(photos[1]!.ref);
    doc.context.assign(photos[1]!.ref, PDFRawStream.of(second.dict, ascii85(second.getContents())));
    second.dict.set(PDFName.of('Filter'), doc.context.obj(['ASCII85Decode', 'DCTDecode']));
    // Its filter given by reference.
    raw(photos[2]!.ref).dict.set(PDFName.of('Filter'), doc.context.register(PDFName.of('DCTDecode')));
    // A sticky note written directly in the page's array of annotations, not as an object of its own.
    page.node.set(PDFName.of('Annots'), doc.context.obj([{ Type: 'Annot', Subtype: 'Text', Rect: [0, 0, 10, 10], T: PDFString.of('NOTEMARKER'), Contents: PDFString.of('cek') }]));
    const input = await doc.save({ useObjectStreams: false });
    expect(await found(input)).toEqual(['ARTISTMARKER', 'MAKEMARKER', 'NOTEMARKER']);
    expect(Buffer.from(inflateSync(raw(photos[0]!.ref).getContents())).includes('ARTISTMARKER')).toBe(true);

    const result = (await cleanPdfMetadata(input))!;
    expect(result).toBeDefined();
    const after = await PdfLibDocument.load(result.bytes, { updateMetadata: false });
    const pictures = after.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter((object): object is PDFRawStream => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    expect(pictures).toHaveLength(3);
    for (const picture of pictures) {
      expect(picture.dict.lookup(PDFName.of('Filter'))).toBe(PDFName.of('DCTDecode'));
      expect(Buffer.from(picture.getContents()).includes('ARTISTMARKER')).toBe(false);
      expect(await sharp(picture.getContents()).raw().toBuffer()).toEqual(await sharp(await cameraPhoto()).raw().toBuffer());
    }
    expect(pictures.some((picture) => (picture.dict.lookup(PDFName.of('DecodeParms')) as PDFDict | undefined)?.has(PDFName.of('ColorTransform')))).toBe(true);
    expect(await found(result.bytes)).toEqual([]);
    expect(await everything(result.bytes)).toContain('(cek)');
  });

  it('refuses a deflated picture that would inflate past any real one', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    const page = doc.addPage([100, 100]);
    const photo = await doc.embedJpg(await cameraPhoto());
    page.drawImage(photo, { x: 0, y: 0, width: 10, height: 10 });
    await doc.flush();
    const stream = doc.context.lookup(photo.ref) as PDFRawStream;
    // A JPEG's start followed by 64 MB of zeros, deflated to some 64 KB.
    const bomb = deflateSync(Buffer.concat([stream.getContents().subarray(0, 20), Buffer.alloc(64 * 1024 * 1024)]), { level: 9 });
    doc.context.assign(photo.ref, PDFRawStream.of(stream.dict, bomb));
    stream.dict.set(PDFName.of('Filter'), doc.context.obj(['FlateDecode', 'DCTDecode']));
    expect(await cleanPdfMetadata(await doc.save({ useObjectStreams: false }))).toBeUndefined();
  });

  it('returns a PDF with nothing to remove as it is', async () => {
    const doc = await PdfLibDocument.create({ updateMetadata: false });
    doc.addPage([200, 200]).drawText('Tanpa metadata');
    const input = await doc.save({ useObjectStreams: false });
    const result = (await cleanPdfMetadata(input))!;
    expect(result.emptied).toBe(0);
    expect(result.bytes).toBe(input);
    // What it wrote once is clean too.
    const cleaned = (await cleanPdfMetadata(await letter()))!;
    expect((await cleanPdfMetadata(cleaned.bytes))!.emptied).toBe(0);
  });

  it('refuses what is not a PDF, or a PDF cut short', async () => {
    expect(await cleanPdfMetadata(Buffer.from('PK\u0003\u0004 a zip, not a PDF'))).toBeUndefined();
    expect(await cleanPdfMetadata(Buffer.from('%PDF-1.7\n%garbage with no objects'))).toBeUndefined();
    const input = await letter();
    expect(await cleanPdfMetadata(input.subarray(0, 200))).toBeUndefined();
  });
});
