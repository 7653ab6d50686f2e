/**
 * Measures, before a PDF is loaded, what its object streams and cross-reference streams inflate to. pdf-lib inflates
 * them while it loads the file, whole and in memory outside the JavaScript heap, so a crafted file of half a megabyte
 * could ask for gigabytes there before any other check runs. Here each such stream is read the way pdf-lib reads it
 * (its dictionary and its bytes, by `Length` or up to `endstream`) and inflated only up to what is left of the budget.
 *
 * A stream that cannot be decoded here (encrypted, damaged, or with a filter pdf-lib does not know) is left to pdf-lib,
 * which refuses or reads it as it would have; the cleaning thread's watch on the process's memory stays behind both.
 */
import { constants, inflateSync } from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFContext, PDFName, PDFObjectParser, PDFRawStream, PDFRef } from '@cantoo/pdf-lib';

/**
 * The most all of a document's object and cross-reference streams may inflate to. 180,000 small objects (what a word
 * processor's accessible export of a long report holds, parsed within the thread's heap) inflate to about 17 MB.
 */
export const MAX_OBJECT_STREAM_BYTES = 96 * 1024 * 1024;

const TYPE = PDFName.of('Type');
const FILTER = PDFName.of('Filter');
const FLATE = PDFName.of('FlateDecode');
const PARSED_TYPES = new Set([PDFName.of('ObjStm'), PDFName.of('XRef')]);
/** How far before a stream's type its object's header (`12 0 obj`) may be: a dictionary is a few hundred bytes. */
const HEADER_WINDOW = 4096;
/** How much of a stream pdf-lib's own decoder (for filters other than deflate) is asked for at a time. */
const CHUNK = 1024 * 1024;

/** Whether the streams pdf-lib inflates while loading this PDF stay within `budget` bytes together. */
export function objectStreamsFit(bytes: Uint8Array, budget = MAX_OBJECT_STREAM_BYTES): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const context = PDFContext.create();
  const seen = new Set<number>();
  let left = budget;
  for (const name of ['/ObjStm', '/XRef']) {
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
      const start = objectBodyBefore(text, at);
      if (start === undefined || seen.has(start)) continue;
      seen.add(start);
      const stream = streamAt(bytes, start, context);
      if (!stream) continue;
      const size = inflatedSize(stream, left);
      if (size === 'past') return false;
      if (size !== undefined) left -= size;
    }
  }
  return true;
}

/** Where the body of the object whose dictionary holds `at` starts (just after its `obj` keyword). */
function objectBodyBefore(text: string, at: number): number | undefined {
  const from = Math.max(0, at - HEADER_WINDOW);
  const window = text.slice(from, at);
  let last: RegExpExecArray | undefined;
  for (const match of window.matchAll(/\d+\s+\d+\s+obj\b/g)) last = match;
  return last === undefined ? undefined : from + last.index + last[0].length;
}

/** The stream object starting at `start` when its type is one pdf-lib parses while loading. */
function streamAt(bytes: Uint8Array, start: number, context: PDFContext): PDFRawStream | undefined {
  try {
    const object = PDFObjectParser.forBytes(bytes.subarray(start), context).parseObject();
    return object instanceof PDFRawStream && PARSED_TYPES.has(object.dict.lookup(TYPE) as PDFName) ? object : undefined;
  } catch {
    return undefined;
  }
}

/** What the stream inflates to; `'past'` beyond `left` bytes; `undefined` when it cannot be decoded here. */
function inflatedSize(stream: PDFRawStream, left: number): number | 'past' | undefined {
  const given = stream.dict.get(FILTER);
  // A filter given by reference cannot be looked up before the file is loaded: it is tried as deflate, which object
  // streams use, rather than counted as the stream's raw size (pdf-lib, which can look it up, would inflate it).
  const byReference = given instanceof PDFRef || (given instanceof PDFArray && given.asArray().some((each) => each instanceof PDFRef));
  const filter = byReference ? FLATE : stream.dict.lookup(FILTER);
  if (filter === undefined) return stream.getContents().length;
  const filters = filter instanceof PDFArray ? filter.asArray().map((_, i) => filter.lookup(i)) : [filter];
  try {
    if (filters.every((each) => each === FLATE)) {
      let data: Uint8Array = stream.getContents();
      // A stream cut short is inflated as far as it goes, as pdf-lib does.
      for (const _ of filters) data = inflateSync(data, { maxOutputLength: Math.max(left, 1), finishFlush: constants.Z_SYNC_FLUSH });
      return data.length;
    }
    const decoded = decodePDFRawStream(stream);
    let size = 0;
    for (let chunk = decoded.getBytes(CHUNK); chunk.length > 0; chunk = decoded.getBytes(CHUNK)) {
      size += chunk.length;
      if (size > left) return 'past';
    }
    return size;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'past' : undefined;
  }
}
