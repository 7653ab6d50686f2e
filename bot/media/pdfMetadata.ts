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
 * open cannot be cleaned. So cannot attachments inside a PDF be checked: they are kept as they are. A PDF whose object
 * streams would inflate past a budget is refused before it is loaded (see pdfObjectStreams.ts).
 */
import { inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  ParseSpeeds,
  PDFStreamWriter,
  PDFWriter,
} from '@cantoo/pdf-lib';
import type { PDFContext, PDFObject } from '@cantoo/pdf-lib';
import { stripJpegMetadata } from './jpegMetadata.ts';
import { isPdf } from './pdfHeader.ts';
import { objectStreamsFit } from './pdfObjectStreams.ts';

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
const PREDICTOR = PDFName.of('Predictor');

/**
 * The PDF without its metadata, or `undefined` when it cannot be read or needs a password to open. `emptied` counts
 * what was removed (0: nothing was found, and the input is returned as it is).
 */
export async function cleanPdfMetadata(bytes: Uint8Array): Promise<{ bytes: Uint8Array; emptied: number } | undefined> {
  if (!isPdf(bytes) || !objectStreamsFit(bytes)) return undefined;
  let doc: PDFDocument;
  try {
    // An empty password opens a PDF protected only by an owner password; another one fails to decrypt below.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, password: '' });
  } catch {
    return undefined;
  }
  const context = doc.context;
  const { trailerInfo } = context;
  // A file with no readable catalog and pages is no document a reader could show (cut short, or not a PDF at all).
  if (doc.isEncrypted || !(context.lookup(trailerInfo.Root) instanceof PDFDict) || !hasPages(doc)) return undefined;
  let emptied = 0;
  if (trailerInfo.Info !== undefined) {
    trailerInfo.Info = undefined;
    emptied += 1;
  }
  if (trailerInfo.ID !== undefined) trailerInfo.ID = undefined;
  try {
    const cleaned = cleanReachable(context);
    if (cleaned === undefined) return undefined;
    emptied += cleaned;
  } catch {
    return undefined;
  }
  if (emptied === 0) return { bytes, emptied };
  try {
    // With object streams when the document had them (without, a PDF of many small objects doubles in size), up to
    // 20,000 objects: cantoo's writer of object streams takes time growing with their square (10 s for 100,000, which
    // an accessible export of a long report holds), the plain writer a fifth of a second.
    const compact = usesObjectStreams(bytes) && context.enumerateIndirectObjects().length <= MAX_OBJECTS_IN_STREAMS;
    const Writer = compact ? PDFStreamWriter : PDFWriter;
    const out = await Writer.forContext(context, Number.MAX_SAFE_INTEGER).serializeToBuffer();
    return { bytes: out, emptied };
  } catch {
    return undefined;
  }
}

/**
 * Walks everything reachable from the catalog, direct objects included (an annotation written inside a page's
 * array is no object of its own), removing metadata from each dictionary and from each JPEG picture on the way, then
 * deletes every object left unreached. Returns how many places were emptied, or `undefined` when a picture cannot be
 * read.
 */
function cleanReachable(context: PDFContext): number | undefined {
  let emptied = 0;
  const reached = new Set<PDFRef>();
  const pending: PDFObject[] = [];
  if (context.trailerInfo.Root) pending.push(context.trailerInfo.Root);
  while (pending.length > 0) {
    const object = pending.pop()!;
    if (object instanceof PDFRef) {
      if (reached.has(object)) continue;
      reached.add(object);
      let target = context.lookup(object);
      if (target instanceof PDFRawStream) {
        const picture = cleanPicture(context, target);
        if (picture === 'unreadable') return undefined;
        if (picture) {
          context.assign(object, picture);
          target = picture;
          emptied += 1;
        }
      }
      if (target) pending.push(target);
    } else if (object instanceof PDFDict) {
      emptied += cleanDictionary(object);
      for (const value of object.values()) pending.push(value);
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) pending.push(value);
    } else if (object instanceof PDFStream) {
      pending.push(object.dict);
    }
  }
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!reached.has(ref)) {
      context.delete(ref);
      emptied += 1;
    }
  }
  return emptied;
}

/** Removes a dictionary's metadata entries and, from a comment or highlight, its author; returns how many. */
function cleanDictionary(dict: PDFDict): number {
  let emptied = 0;
  for (const key of METADATA_KEYS) {
    if (dict.has(key)) {
      dict.delete(key);
      emptied += 1;
    }
  }
  if (MARKUP_ANNOTATIONS.has(dict.lookup(SUBTYPE) as PDFName) && namesSomeone(dict.get(AUTHOR))) {
    dict.set(AUTHOR, PDFString.of(''));
    emptied += 1;
  }
  return emptied;
}

/** Whether an annotation's author entry holds a name (an emptied one does not count again). */
function namesSomeone(author: PDFObject | undefined): boolean {
  if (author === undefined) return false;
  return !((author instanceof PDFString || author instanceof PDFHexString) && author.decodeText() === '');
}

/** More than any JPEG inside a 20 MB document inflates to: past it, a deflated picture is a bomb. */
const MAX_PICTURE_BYTES = 32 * 1024 * 1024;

/** The entries of a name-or-array entry (`Filter`, `DecodeParms`), references resolved. */
function entriesOf(dict: PDFDict, key: PDFName): Array<PDFObject | undefined> {
  const value = dict.lookup(key);
  if (value instanceof PDFArray) return Array.from({ length: value.size() }, (_, i) => value.lookup(i));
  return value === undefined ? [] : [value];
}

/**
 * A picture stored as a JPEG (alone, or under other filters) without its metadata segments, written back as the
 * JPEG alone; `undefined` when the stream is no such picture or holds no metadata, `'unreadable'` when its JPEG
 * cannot be reached or read.
 */
function cleanPicture(context: PDFContext, stream: PDFRawStream): PDFRawStream | 'unreadable' | undefined {
  const filters = entriesOf(stream.dict, FILTER);
  if (filters.at(-1) !== DCT) return undefined;
  const parms = entriesOf(stream.dict, DECODE_PARMS);
  let jpeg: Uint8Array | undefined = stream.getContents();
  if (filters.length > 1) jpeg = decodeBefore(context, stream, filters.slice(0, -1), parms);
  const stripped = jpeg && stripJpegMetadata(jpeg);
  if (!stripped) return 'unreadable';
  if (stripped.emptied === 0) return undefined;
  const dict = stream.dict.clone(context);
  dict.set(FILTER, DCT);
  const own = parms[filters.length - 1];
  if (own instanceof PDFDict) dict.set(DECODE_PARMS, own);
  else dict.delete(DECODE_PARMS);
  return PDFRawStream.of(dict, stripped.bytes);
}

/** The picture's JPEG, decoded from the filters before its own (deflate, ASCII85...); `undefined` when it cannot be. */
function decodeBefore(context: PDFContext, stream: PDFRawStream, filters: Array<PDFObject | undefined>, parms: Array<PDFObject | undefined>): Uint8Array | undefined {
  // A predictor belongs to pictures of raw samples: on a JPEG it means the stream is not what it says.
  const predicted = filters.some((_, i) => {
    const own = parms[i];
    const predictor = own instanceof PDFDict ? own.lookup(PREDICTOR) : undefined;
    return predictor instanceof PDFNumber && predictor.asNumber() > 1;
  });
  if (predicted) return undefined;
  try {
    if (filters.every((filter) => filter === FLATE)) {
      let data: Uint8Array = stream.getContents();
      for (let i = 0; i < filters.length; i += 1) data = inflateSync(data, { maxOutputLength: MAX_PICTURE_BYTES });
      return data;
    }
    const outer = PDFDict.withContext(context);
    outer.set(FILTER, context.obj(filters as PDFObject[]));
    const decoded = decodePDFRawStream(PDFRawStream.of(outer, stream.getContents())).decode();
    return decoded.length <= MAX_PICTURE_BYTES ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** The most objects written in object streams (see cleanPdfMetadata). */
const MAX_OBJECTS_IN_STREAMS = 20_000;

/** Whether the file holds object streams (a cross-reference stream's document may hold some). */
function usesObjectStreams(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('/ObjStm');
}

/** Whether the document's page tree can be read and holds a page. */
function hasPages(doc: PDFDocument): boolean {
  try {
    return doc.getPageCount() > 0;
  } catch {
    return false;
  }
}
