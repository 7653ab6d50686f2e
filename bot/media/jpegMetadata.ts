/**
 * Removes the metadata segments of a JPEG without decoding it: a picture inside a PDF or a Word file is the camera's
 * own JPEG, EXIF (with GPS, make, model and owner) included. The picture's coded data stays bit for bit.
 *
 * Kept: the segments a decoder needs (quantisation and Huffman tables, frame and scan headers), JFIF (APP0), the
 * colour profile (APP2 `ICC_PROFILE`) and Adobe's colour transform flag (APP14). Dropped: EXIF and XMP (APP1), the
 * multi-picture index (APP2 `MPF`) with the pictures a phone appends after the main one (depth maps, previews, each
 * with EXIF of its own), Photoshop's IPTC (APP13), makers' segments (APP3–APP12, APP15) and comments.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;

/** Whether bytes begin as a JPEG does. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === SOI && bytes[2] === 0xff;
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

/**
 * The JPEG without its metadata segments, or `undefined` when it is not a JPEG that can be read (a segment runs past
 * the end, or no picture follows the headers). `emptied` counts the segments removed (0: the input was clean).
 */
export function stripJpegMetadata(bytes: Uint8Array): { bytes: Uint8Array; emptied: number } | undefined {
  if (!isJpeg(bytes)) return undefined;
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let emptied = 0;
  let offset = 2;
  for (;;) {
    if (offset + 4 > bytes.length || bytes[offset] !== 0xff) return undefined;
    // Fill bytes (0xFF) may pad before a marker.
    let markerAt = offset;
    while (bytes[markerAt + 1] === 0xff && markerAt + 2 < bytes.length) markerAt += 1;
    const marker = bytes[markerAt + 1]!;
    if (marker === EOI || marker === SOI || marker === 0x00) return undefined;
    const length = (bytes[markerAt + 2]! << 8) | bytes[markerAt + 3]!;
    const end = markerAt + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    if (marker === SOS) {
      const imageEnd = endOfImage(bytes, end);
      if (imageEnd === undefined) return undefined;
      parts.push(bytes.subarray(markerAt, imageEnd));
      if (imageEnd < bytes.length) emptied += 1;
      break;
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
 * Where the picture ends: just after its end-of-image marker. In the coded data a 0xFF byte is followed by 0x00
 * (an escaped byte), a restart marker or a marker of the next scan, so the first 0xFF 0xD9 is the end. A file cut
 * short before it is taken whole (a decoder shows what there is); nothing after the marker is kept.
 */
function endOfImage(bytes: Uint8Array, from: number): number | undefined {
  let at = bytes.indexOf(0xff, from);
  while (at >= 0 && at + 1 < bytes.length) {
    if (bytes[at + 1] === EOI) return at + 2;
    at = bytes.indexOf(0xff, at + 1);
  }
  return bytes.length;
}
