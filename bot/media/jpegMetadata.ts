/**
 * Removes the metadata segments of a JPEG without decoding it: a picture inside a PDF or a Word file is the camera's
 * own JPEG, EXIF (with GPS, make, model and owner) included. The picture's coded data stays bit for bit.
 *
 * Kept: the segments a decoder needs (quantisation and Huffman tables, frame and scan headers, restart intervals),
 * JFIF (APP0), the colour profile (APP2 `ICC_PROFILE`) and Adobe's colour transform flag (APP14). Dropped: EXIF and XMP
 * (APP1), the multi-picture index (APP2 `MPF`) with the pictures a phone appends after the main one (depth maps,
 * previews, each with EXIF of its own), Photoshop's IPTC (APP13), makers' segments (APP3–APP12, APP15) and comments,
 * wherever they are: before the first scan, or between the scans of a progressive (or multi-scan) picture.
 *
 * Read as leniently as decoders read: a few stray bytes before the start marker (a PDF's DCT stream may have them)
 * and padding where a marker is expected (zeros between segments) are dropped rather than refused.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
const TEM = 0x01;

/** How many stray bytes may come before the start marker. */
const MAX_LEADING_BYTES = 64;

/**
 * Whether bytes begin as a JPEG does (FF D8 FF), at their very first byte. Strict on purpose: it tells a file's type
 * by its start (an Office part), where a picture found a few bytes in would be a guess. `stripJpegMetadata` also reads
 * a picture with up to 64 stray bytes before that start, as PDF readers do with a DCT stream; so every input `isJpeg`
 * accepts is one `stripJpegMetadata` tries to read, but not the other way round.
 */
export function isJpeg(bytes: Uint8Array): boolean {
  return startsAt(bytes, 0);
}

function startsAt(bytes: Uint8Array, at: number): boolean {
  return at + 4 <= bytes.length && bytes[at] === 0xff && bytes[at + 1] === SOI && bytes[at + 2] === 0xff;
}

/** Where the picture starts: at the first byte, or after at most `MAX_LEADING_BYTES` stray bytes. */
function startOf(bytes: Uint8Array): number | undefined {
  for (let at = 0; at <= MAX_LEADING_BYTES; at += 1) if (startsAt(bytes, at)) return at;
  return undefined;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Whether a segment (marker and the bytes after its length) is kept. */
function keeps(marker: number, bytes: Uint8Array, body: number): boolean {
  if (marker === COM) return false;
  if (marker < 0xe0 || marker > 0xef) return true;
  if (marker === 0xe0 || marker === 0xee) return true;
  if (marker === 0xe2) return startsWith(bytes, body, 'ICC_PROFILE\0');
  return false;
}

/** Whether a marker stands alone, without a length: a restart marker (RST0–RST7) or TEM. */
const standsAlone = (marker: number) => marker === TEM || (marker >= 0xd0 && marker <= 0xd7);

/**
 * The JPEG without its metadata segments, or `undefined` when it is not a JPEG that can be read (no start marker in
 * its first bytes, a segment runs past the end, or no picture follows the headers). `emptied` counts what was removed:
 * each segment, the stray bytes before the start, each run of padding between segments, and whatever follows the
 * end marker count one each (0: the input was clean, and is returned as it is).
 */
export function stripJpegMetadata(bytes: Uint8Array): { bytes: Uint8Array; emptied: number } | undefined {
  const start = startOf(bytes);
  if (start === undefined) return undefined;
  const parts: Uint8Array[] = [bytes.subarray(start, start + 2)];
  let emptied = start > 0 ? 1 : 0;
  // Whether a scan has begun: from then on the picture may end (at its end marker, or where the file does).
  let scanned = false;
  let offset = start + 2;
  for (;;) {
    const markerAt = nextMarker(bytes, offset);
    if (markerAt === undefined) {
      if (!scanned) return undefined;
      // Only padding after the last segment of a file cut short: the picture is what came before.
      if (offset < bytes.length) emptied += 1;
      break;
    }
    // Fill bytes (0xFF) before a marker are dropped silently; anything else skipped was padding.
    if (bytes.subarray(offset, markerAt).some((byte) => byte !== 0xff)) emptied += 1;
    const marker = bytes[markerAt + 1]!;
    if (marker === EOI) {
      if (!scanned) return undefined;
      parts.push(bytes.subarray(markerAt, markerAt + 2));
      if (markerAt + 2 < bytes.length) emptied += 1;
      break;
    }
    if (marker === SOI) return undefined;
    if (standsAlone(marker)) {
      parts.push(bytes.subarray(markerAt, markerAt + 2));
      offset = markerAt + 2;
      continue;
    }
    if (markerAt + 4 > bytes.length) return undefined;
    const length = (bytes[markerAt + 2]! << 8) | bytes[markerAt + 3]!;
    const end = markerAt + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    if (marker === SOS) {
      // The scan header and its coded data, copied as they are.
      scanned = true;
      const dataEnd = endOfScan(bytes, end);
      parts.push(bytes.subarray(markerAt, dataEnd));
      if (dataEnd === bytes.length) break;
      offset = dataEnd;
      continue;
    }
    if (keeps(marker, bytes, markerAt + 4)) parts.push(bytes.subarray(markerAt, end));
    else emptied += 1;
    offset = end;
  }
  if (emptied === 0) return { bytes, emptied };
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { bytes: out, emptied };
}

/**
 * Where the next marker is, from where one is expected: the 0xFF just before its code (after any fill bytes), or
 * `undefined` when none follows. As decoders do, bytes that are not a marker (padding, an escaped 0xFF 0x00) are
 * passed over.
 */
function nextMarker(bytes: Uint8Array, from: number): number | undefined {
  let at = from;
  for (;;) {
    at = bytes.indexOf(0xff, at);
    if (at < 0) return undefined;
    while (bytes[at + 1] === 0xff) at += 1;
    if (at + 1 >= bytes.length) return undefined;
    if (bytes[at + 1] !== 0x00) return at;
    at += 2;
  }
}

/**
 * Where a scan's coded data ends: at the first 0xFF that begins a marker. In coded data a 0xFF is followed by 0x00
 * (an escaped byte), by a restart marker (part of the data) or by fill bytes (0xFF) before one of those or before a
 * marker. Data running to the end of the file (cut short) is taken whole: a decoder shows what there is.
 */
function endOfScan(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    at = bytes.indexOf(0xff, at);
    if (at < 0) return bytes.length;
    let code = at + 1;
    while (bytes[code] === 0xff) code += 1;
    if (code >= bytes.length) return bytes.length;
    const byte = bytes[code]!;
    if (byte !== 0x00 && !(byte >= 0xd0 && byte <= 0xd7)) return at;
    at = code + 1;
  }
}
