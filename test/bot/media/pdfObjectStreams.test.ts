import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { cleanPdfMetadata } from '../../../bot/media/pdfMetadata.ts';
import { MAX_OBJECT_STREAM_BYTES, objectStreamsFit } from '../../../bot/media/pdfObjectStreams.ts';

const MB = 1024 * 1024;
const HEAD = '%PDF-1.5\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>\nendobj\n';
const TAIL = 'trailer<</Root 1 0 R/Info<</Author(Rina PENULIS)>>>>\n%%EOF';

/** A one-page PDF with one object stream: its dictionary's entries after the type, and its encoded bytes. */
function withObjectStream(entries: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${HEAD}4 0 obj\n<</Type /ObjStm /N 1 /First 4 ${entries}>>\nstream\n`), data, Buffer.from(`\nendstream\nendobj\n${TAIL}`)]);
}

/** A document of many small objects saved as pdf-lib saves it: in object streams, with a cross-reference stream. */
async function manyObjects(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]).drawText('Kronologi', { x: 20, y: 100 });
  const parts = Array.from({ length: 5_000 }, (_, i) => doc.context.register(doc.context.obj({ Type: 'StructElem', S: 'P', K: i })));
  doc.catalog.set(PDFName.of('Parts'), doc.context.obj(parts));
  return doc.save({ useObjectStreams: true });
}

describe('the object streams of a PDF, measured before it is loaded', () => {
  it('refuses a PDF whose object stream inflates past the budget, without loading it', async () => {
    const bomb = deflateSync(Buffer.alloc(MAX_OBJECT_STREAM_BYTES + MB), { level: 9 });
    const crafted = withObjectStream(`/Filter /FlateDecode /Length ${bomb.length}`, bomb);
    expect(crafted.length).toBeLessThan(MB);
    expect(objectStreamsFit(crafted)).toBe(false);
    expect(await cleanPdfMetadata(crafted)).toBeUndefined();
  });

  it('lets a real document with object and cross-reference streams through, having measured them', async () => {
    const input = await manyObjects();
    const text = Buffer.from(input).toString('latin1');
    expect(text).toContain('/ObjStm');
    expect(text).toContain('/XRef');
    expect(objectStreamsFit(input)).toBe(true);
    // Its streams were read: a budget smaller than what they inflate to refuses it.
    expect(objectStreamsFit(input, 10_000)).toBe(false);
    expect(await cleanPdfMetadata(input)).toBeDefined();
  });

  it('adds up the streams of a document, so that many streams under the budget each do not pass it together', () => {
    const stream = (n: number) => {
      const data = deflateSync(Buffer.alloc(600_000));
      return `${n} 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ${data.length}>>\nstream\n${data.toString('latin1')}\nendstream\nendobj\n`;
    };
    const crafted = Buffer.from(`${HEAD}${stream(4)}${stream(5)}${TAIL}`, 'latin1');
    expect(objectStreamsFit(crafted, MB)).toBe(false);
    expect(objectStreamsFit(crafted, 2 * MB)).toBe(true);
  });

  it('measures streams deflated twice, behind another filter, or whose filter or length is given by reference', () => {
    const twice = deflateSync(deflateSync(Buffer.alloc(2 * MB)));
    expect(objectStreamsFit(withObjectStream(`/Filter [/FlateDecode /FlateDecode] /Length ${twice.length}`, twice), MB)).toBe(false);
    const hex = Buffer.from(`${deflateSync(Buffer.alloc(2 * MB)).toString('hex')}>`);
    expect(objectStreamsFit(withObjectStream(`/Filter [/ASCIIHexDecode /FlateDecode] /Length ${hex.length}`, hex), MB)).toBe(false);
    // A filter given by reference, which only the loaded file could look up, is tried as deflate.
    const referenced = deflateSync(Buffer.alloc(2 * MB));
    expect(objectStreamsFit(withObjectStream(`/Filter 9 0 R /Length ${referenced.length}`, referenced), MB)).toBe(false);
    const plain = deflateSync(Buffer.alloc(2 * MB));
    expect(objectStreamsFit(withObjectStream('/Filter /FlateDecode /Length 9 0 R', plain), MB)).toBe(false);
    expect(objectStreamsFit(withObjectStream('/Filter /FlateDecode /Length 9 0 R', plain), 3 * MB)).toBe(true);
  });

  it('leaves to the loader a stream it cannot decode, and a document that has no object streams', () => {
    expect(objectStreamsFit(withObjectStream('/Filter /FlateDecode /Length 20', Buffer.from('not deflated at all!')), 10)).toBe(true);
    expect(objectStreamsFit(Buffer.from(`${HEAD}${TAIL}`), 10)).toBe(true);
  });
});
