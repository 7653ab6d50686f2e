/**
 * Removes where and on what device a video was recorded from an MP4, QuickTime or 3GP file (the ISO base media file
 * format) without re-encoding it. A phone writes this into metadata boxes: the user data (`udta`, where the location
 * sits as `©xyz` or `loci`), the metadata box (`meta`, where Apple keeps its location, make and model) and XMP (a
 * `uuid` box). Each such box is turned in place into a `free` box of the same size with its contents zeroed. Every
 * other byte stays where it was, so the sample offsets the file holds stay right, and players skip `free` boxes, as
 * ISO/IEC 14496-12 tells them to. The movie's and tracks' own headers are kept, with their creation times.
 *
 * Location recorded along the video as a track of its own (action cameras, drones) is media data: it is not touched.
 */

/** The boxes descended into, each only inside the one before it: moov > trak > mdia > minf. */
const DESCEND: Readonly<Record<string, string>> = { '': 'moov', moov: 'trak', trak: 'mdia', mdia: 'minf' };
/** Boxes that hold metadata, at the top level or inside the boxes above. */
const METADATA = new Set(['udta', 'meta']);
/** The XMP box's extended type (a `uuid` box holding an XMP packet). */
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
/** Image formats built on the same boxes, where `meta` holds the picture itself: never touched here. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'avci']);
/** More boxes than any real file has (a fragmented hour-long video has a few thousand): a crafted file. */
const MAX_BOXES = 100_000;

export interface CleanedVideo {
  /** A copy of the file with its metadata boxes emptied (the same bytes when there were none). */
  bytes: Buffer;
  /** How many boxes were emptied (0: the file held none). */
  emptied: number;
}

/** A box to empty: where its type is written, and where its contents start and end. */
interface Span {
  at: number;
  contents: number;
  end: number;
}

/**
 * Returns a copy of the video with its metadata boxes emptied, or undefined when the bytes cannot be read as a file
 * of this format (another container, a HEIF image, a file damaged where the metadata sits, a crafted file): the
 * caller must then not pass the file on as if it were clean.
 */
export function cleanVideoMetadata(bytes: Buffer): CleanedVideo | undefined {
  if (bytes.length < 8) return undefined;
  const firstType = bytes.toString('latin1', 4, 8);
  if (!['ftyp', 'moov', 'wide', 'free', 'skip', 'mdat'].includes(firstType)) return undefined;
  if (firstType === 'ftyp' && bytes.length >= 12 && IMAGE_BRANDS.has(bytes.toString('latin1', 8, 12))) return undefined;

  const spans: Span[] = [];
  const scan = { boxes: 0, movie: false };
  if (!walk(bytes, 0, bytes.length, '', spans, scan) || !scan.movie) return undefined;
  if (spans.length === 0) return { bytes, emptied: 0 };
  const copy = Buffer.from(bytes);
  for (const span of spans) {
    copy.write('free', span.at + 4, 'latin1');
    copy.fill(0, span.contents, span.end);
  }
  return { bytes: copy, emptied: spans.length };
}

/**
 * Reads the boxes laid end to end in [from, to) inside `parent` ('' for the top level), noting the metadata boxes
 * to empty; false when they cannot be read. At the top level, a few stray bytes at the end and a media data box cut
 * short (a download that stopped) are tolerated: what comes before them was read whole.
 */
function walk(bytes: Buffer, from: number, to: number, parent: string, spans: Span[], scan: { boxes: number; movie: boolean }): boolean {
  let at = from;
  while (at < to) {
    if (to - at < 8) return parent === '' || bytes.subarray(at, to).every((byte) => byte === 0);
    scan.boxes += 1;
    if (scan.boxes > MAX_BOXES) return false;
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (to - at < 16) return false;
      const large = bytes.readBigUInt64BE(at + 8);
      size = large > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(large);
      header = 16;
    } else if (size === 0) {
      size = to - at; // the last box, running to the end of its parent
    }
    if (size < header) return false;
    if (at + size > to) return parent === '' && (type === 'mdat' || type === 'free' || type === 'skip');
    const end = at + size;
    if (type === 'moov' || type === 'moof') scan.movie = true;
    if (METADATA.has(type)) {
      spans.push({ at, contents: at + header, end });
    } else if (type === 'uuid' && size >= header + 16 && bytes.toString('hex', at + header, at + header + 16) === XMP_UUID) {
      // The extended type becomes contents of the `free` box: zeroed with the rest.
      spans.push({ at, contents: at + header, end });
    } else if (DESCEND[parent] === type && !walk(bytes, at + header, end, type, spans, scan)) {
      return false;
    }
    at = end;
  }
  return true;
}
