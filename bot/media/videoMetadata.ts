/**
 * Removes where, when and on what device a video was recorded from an MP4, QuickTime or 3GP file (the ISO base media
 * file format) without re-encoding it. A phone writes this into metadata boxes: the user data (`udta`, where the
 * location sits as `©xyz` or `loci`), the metadata box (`meta`, where Apple keeps its location, make and model) and
 * XMP (a `uuid` box). Each such box is turned in place into a `free` box of the same size with its contents zeroed.
 * Every other byte stays where it was, so the sample offsets the file holds stay right, and players skip `free`
 * boxes, as ISO/IEC 14496-12 tells them to. The track headers' creation times are kept: they say when, not where.
 */

/** Boxes whose children can hold metadata boxes. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf']);
/** Boxes that hold metadata, wherever they sit among the boxes above or at the top level. */
const METADATA = new Set(['udta', 'meta']);
/** The XMP box's extended type (ISO/IEC 14496-12 `uuid` box holding XMP packets). */
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
/** Image formats built on the same boxes, where `meta` holds the picture itself: never touched here. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'avci']);

export interface CleanedVideo {
  /** A copy of the file with its metadata boxes emptied. */
  bytes: Buffer;
  /** How many boxes were emptied (0: the file held none). */
  emptied: number;
}

interface Box {
  type: string;
  start: number;
  headerSize: number;
  end: number;
}

/**
 * Returns a copy of the video with its metadata boxes emptied, or undefined when the bytes are not a well-formed
 * file of this format (another container, a HEIF image, a truncated download): the caller then keeps the original.
 */
export function cleanVideoMetadata(bytes: Buffer): CleanedVideo | undefined {
  const top = readBoxes(bytes, 0, bytes.length);
  if (!top || top.length === 0) return undefined;
  const first = top[0]!;
  if (!['ftyp', 'moov', 'wide', 'free', 'skip', 'mdat'].includes(first.type)) return undefined;
  if (first.type === 'ftyp' && first.end - first.start >= 12) {
    const majorBrand = bytes.toString('latin1', first.start + 8, first.start + 12);
    if (IMAGE_BRANDS.has(majorBrand)) return undefined;
  }
  if (!top.some((box) => box.type === 'moov' || box.type === 'moof')) return undefined;

  const found: Box[] = [];
  if (!collect(bytes, top, found)) return undefined;
  const copy = Buffer.from(bytes);
  for (const box of found) {
    copy.write('free', box.start + 4, 'latin1');
    // A `uuid` box's extended type becomes contents of the `free` box: zeroed with the rest.
    copy.fill(0, box.start + box.headerSize - (box.type === 'uuid' ? 16 : 0), box.end);
  }
  return { bytes: copy, emptied: found.length };
}

/** Gathers the metadata boxes among `boxes` and inside their containers; false when a container is malformed. */
function collect(bytes: Buffer, boxes: Box[], found: Box[]): boolean {
  for (const box of boxes) {
    if (METADATA.has(box.type) || (box.type === 'uuid' && extendedType(bytes, box) === XMP_UUID)) {
      found.push(box);
    } else if (CONTAINERS.has(box.type)) {
      const children = readBoxes(bytes, box.start + box.headerSize, box.end);
      if (!children || !collect(bytes, children, found)) return false;
    }
  }
  return true;
}

/** Reads the boxes laid end to end in [from, to); undefined when their sizes do not fit exactly. */
function readBoxes(bytes: Buffer, from: number, to: number): Box[] | undefined {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (to - at < 8) return undefined;
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let headerSize = 8;
    if (size === 1) {
      if (to - at < 16) return undefined;
      const large = bytes.readBigUInt64BE(at + 8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      size = Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = to - at; // the last box, running to the end of its parent
    }
    if (type === 'uuid') headerSize += 16;
    if (size < headerSize || at + size > to) return undefined;
    boxes.push({ type, start: at, headerSize, end: at + size });
    at += size;
  }
  return boxes;
}

function extendedType(bytes: Buffer, box: Box): string {
  const offset = box.headerSize - 16;
  return bytes.toString('hex', box.start + offset, box.start + offset + 16);
}
