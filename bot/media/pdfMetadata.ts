/**
 * Rewrites a PDF without what the software that made it wrote about its author: the document information (author,
 * title, creator and producer applications, dates), XMP metadata streams (the document's and its pictures'),
 * application data (`PieceInfo`), the authors of comments and highlights, the file identifier, the EXIF of pictures
 * stored as JPEG (a scanning app's photos carry GPS, make and model), and every object the document no longer uses
 * (earlier revisions kept by incremental saves hold the earlier metadata).
 *
 * The pages, their text and pictures are kept as they are (pictures bit for bit but for their JPEG metadata
 * segments). A PDF protected only against printing or copying (an owner password, openable by anyone) is decrypted
 * and written without the protection, since nobody could read the rest of it otherwise; one that needs a password to
 * open cannot be cleaned. So cannot attachments inside a PDF be checked: they are kept as they are.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFStream, PDFString, ParseSpeeds, PDFStreamWriter, PDFWriter } from '@cantoo/pdf-lib';
import type { PDFContext, PDFObject } from '@cantoo/pdf-lib';
import { stripJpegMetadata } from './jpegMetadata.ts';

/** Keys that hold metadata wherever they appear (the catalog, pages, pictures, forms). */
const METADATA_KEYS = ['Metadata', 'PieceInfo', 'LastModified'].map((key) => PDFName.of(key));

/** Annotations whose `T` entry names their author (a form field's `T` is its name, and stays). */
const MARKUP_ANNOTATIONS = new Set(
  ['Text', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight', 'Underline', 'Squiggly', 'StrikeOut', 'Stamp', 'Caret', 'Ink', 'FileAttachment', 'Sound', 'Redact'].map(
    (name) => PDFName.of(name),
  ),
);

const SUBTYPE = PDFName.of('Subtype');
const FILTER = PDFName.of('Filter');
const DECODE_PARMS = PDFName.of('DecodeParms');
const DCT = PDFName.of('DCTDecode');
const FLATE = PDFName.of('FlateDecode');
const AUTHOR = PDFName.of('T');

/** Whether bytes begin as a PDF does (a few bytes of junk before the header are tolerated, as by readers). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/**
 * The PDF without its metadata, or `undefined` when it cannot be read or needs a password to open. `emptied` counts
 * what was removed (0: nothing was found, and the input is returned as it is).
 */
export async function cleanPdfMetadata(bytes: Uint8Array): Promise<{ bytes: Uint8Array; emptied: number } | undefined> {
  if (!isPdf(bytes)) return undefined;
  let doc: PDFDocument;
  try {
    // An empty password opens a PDF protected only by an owner password; another one fails to decrypt below.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, password: '' });
  } catch {
    return undefined;
  }
  const context = doc.context;
  let emptied = 0;
  const { trailerInfo } = context;
  // A file with no readable catalog and pages is no document a reader could show (cut short, or not a PDF at all).
  if (doc.isEncrypted || !(context.lookup(trailerInfo.Root) instanceof PDFDict) || !hasPages(doc)) return undefined;
  if (trailerInfo.Info !== undefined) {
    trailerInfo.Info = undefined;
    emptied += 1;
  }
  if (trailerInfo.ID !== undefined) trailerInfo.ID = undefined;

  try {
    for (const [ref, object] of context.enumerateIndirectObjects()) {
      const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
      if (!dict) continue;
      for (const key of METADATA_KEYS) {
        if (dict.has(key)) {
          dict.delete(key);
          emptied += 1;
        }
      }
      if (MARKUP_ANNOTATIONS.has(dict.get(SUBTYPE) as PDFName) && namesSomeone(dict.get(AUTHOR))) {
        dict.set(AUTHOR, PDFString.of(''));
        emptied += 1;
      }
      if (object instanceof PDFRawStream) {
        const result = cleanPicture(object);
        if (result === 'unreadable') return undefined;
        if (result) {
          context.assign(ref, result);
          emptied += 1;
        }
      }
    }
    emptied += removeUnreachable(context);
  } catch {
    return undefined;
  }
  if (emptied === 0) return { bytes, emptied };
  try {
    const Writer = usesObjectStreams(doc) ? PDFStreamWriter : PDFWriter;
    const out = await Writer.forContext(context, Number.MAX_SAFE_INTEGER).serializeToBuffer();
    return { bytes: out, emptied };
  } catch {
    return undefined;
  }
}

/**
 * A picture stored as a JPEG (alone, or deflated) without its metadata segments; `undefined` when the stream is no
 * such picture or holds no metadata, `'unreadable'` when its JPEG cannot be read.
 */
function cleanPicture(stream: PDFRawStream): PDFRawStream | 'unreadable' | undefined {
  const filter = stream.dict.get(FILTER);
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.at(-1) !== DCT) return undefined;
  if (filters.length === 1) {
    const stripped = stripJpegMetadata(stream.getContents());
    if (!stripped) return 'unreadable';
    return stripped.emptied === 0 ? undefined : PDFRawStream.of(stream.dict, stripped.bytes);
  }
  // A deflated JPEG: [/FlateDecode /DCTDecode] without predictor parameters.
  const parms = stream.dict.get(DECODE_PARMS);
  const withoutPredictor = parms === undefined || (parms instanceof PDFArray && parms.asArray().every((p) => !(p instanceof PDFDict)));
  if (filters.length !== 2 || filters[0] !== FLATE || !withoutPredictor) return 'unreadable';
  let jpeg: Uint8Array;
  try {
    jpeg = inflateSync(stream.getContents());
  } catch {
    return 'unreadable';
  }
  const stripped = stripJpegMetadata(jpeg);
  if (!stripped) return 'unreadable';
  return stripped.emptied === 0 ? undefined : PDFRawStream.of(stream.dict, deflateSync(stripped.bytes));
}

/** Whether an annotation's author entry holds a name (an emptied one does not count again). */
function namesSomeone(author: PDFObject | undefined): boolean {
  if (author === undefined) return false;
  return !((author instanceof PDFString || author instanceof PDFHexString) && author.decodeText() === '');
}

/** Deletes the objects nothing reachable from the catalog refers to; returns how many. */
function removeUnreachable(context: PDFContext): number {
  const reached = new Set<PDFRef>();
  const pending: PDFObject[] = [];
  if (context.trailerInfo.Root) pending.push(context.trailerInfo.Root);
  while (pending.length > 0) {
    const object = pending.pop()!;
    if (object instanceof PDFRef) {
      if (reached.has(object)) continue;
      reached.add(object);
      const target = context.lookup(object);
      if (target) pending.push(target);
    } else if (object instanceof PDFDict) {
      for (const value of object.values()) pending.push(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) pending.push(value);
    } else if (object instanceof PDFStream) {
      pending.push(object.dict);
    }
  }
  let removed = 0;
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reached.has(ref)) {
      context.delete(ref);
      removed += 1;
    }
  }
  return removed;
}

/** Whether the document's page tree can be read and holds a page. */
function hasPages(doc: PDFDocument): boolean {
  try {
    return doc.getPageCount() > 0;
  } catch {
    return false;
  }
}

/** Whether the document was saved with object streams (PDF 1.5 and later), as it is then written again. */
function usesObjectStreams(doc: PDFDocument): boolean {
  const [major = 1, minor = 0] = doc.context.header.getVersionString().split('.').map(Number);
  return major > 1 || minor >= 5;
}
