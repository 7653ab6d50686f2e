import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { stripJpegMetadata } from '../../../bot/media/jpegMetadata.ts';
import { seededRandom } from '../../support/seededRandom.ts';

const MARKERS = ['ARTISTMARKER', 'MAKEMARKER', 'COMMENTMARKER', 'SECONDMARKER', 'MPFMARKER'];

/** A small textured photo (so its coded data is not trivial) with EXIF naming its owner and camera. */
async function photo(exif = true): Promise<Buffer> {
  const pixels = Buffer.alloc(48 * 32 * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 37) % 251;
  const image = sharp(pixels, { raw: { width: 48, height: 32, channels: 3 } }).jpeg({ quality: 80 });
  return exif ? image.withExif({ IFD0: { Artist: 'ARTISTMARKER', Make: 'MAKEMARKER', Model: 'Phone' } }).toBuffer() : image.toBuffer();
}

/** A segment (marker and payload) as JPEG writes it. */
function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** The photo with segments inserted just after its start marker. */
function withSegments(jpeg: Buffer, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/** A textured progressive photo: its coefficients come in several scans, with tables between them. */
async function progressivePhoto(): Promise<Buffer> {
  const pixels = Buffer.alloc(48 * 32 * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 37) % 251;
  return sharp(pixels, { raw: { width: 48, height: 32, channels: 3 } }).jpeg({ quality: 80, progressive: true }).toBuffer();
}

/**
 * Where each marker after the start marker begins, read independently of the code under test: in the headers by the
 * segments' lengths, after a scan by looking for the next 0xFF that is not followed by 0x00 (an escaped byte) or a
 * restart marker. (sharp writes no fill bytes.)
 */
function markersOf(jpeg: Buffer): { at: number; marker: number }[] {
  const found: { at: number; marker: number }[] = [];
  let at = 2;
  while (at + 1 < jpeg.length) {
    expect(jpeg[at]).toBe(0xff);
    const marker = jpeg[at + 1]!;
    found.push({ at, marker });
    if (marker === 0xd9) break;
    at += 2 + jpeg.readUInt16BE(at + 2);
    if (marker !== 0xda) continue;
    const isMarker = (i: number) => jpeg[i] === 0xff && jpeg[i + 1] !== 0x00 && !(jpeg[i + 1]! >= 0xd0 && jpeg[i + 1]! <= 0xd7);
    while (at + 1 < jpeg.length && !isMarker(at)) at += 1;
  }
  return found;
}

/** The bytes with others inserted at an offset. */
const insertAt = (jpeg: Buffer, at: number, ...inserted: Buffer[]) => Buffer.concat([jpeg.subarray(0, at), ...inserted, jpeg.subarray(at)]);


const pixelsOf = (jpeg: Uint8Array) => sharp(jpeg).raw().toBuffer();
const found = (bytes: Uint8Array) => MARKERS.filter((marker) => Buffer.from(bytes).includes(marker));

describe('stripJpegMetadata', () => {
  it('removes EXIF, comments, makers’ segments and a phone’s appended pictures, and keeps the picture bit for bit', async () => {
    const original = await photo();
    const second = withSegments(await photo(false), segment(0xe1, Buffer.from('Exif\0\0SECONDMARKER')));
    const input = Buffer.concat([
      withSegments(original, segment(0xfe, Buffer.from('COMMENTMARKER')), segment(0xe2, Buffer.from('MPF\0MPFMARKER')), segment(0xeb, Buffer.from('maker'))),
      second,
    ]);
    expect(found(input)).toEqual(MARKERS);
    expect((await exifr.parse(input))?.Artist).toBe('ARTISTMARKER');

    const result = stripJpegMetadata(input)!;
    expect(found(result.bytes)).toEqual([]);
    expect(await exifr.parse(Buffer.from(result.bytes))).toBeUndefined();
    expect(result.emptied).toBe(5);
    expect(await pixelsOf(result.bytes)).toEqual(await pixelsOf(original));
    // The coded picture itself is copied, not re-encoded.
    const scan = original.subarray(original.indexOf(Buffer.from([0xff, 0xda])));
    expect(Buffer.from(result.bytes).subarray(-scan.length)).toEqual(scan);
  });

  it('keeps the colour profile, which changes how the picture looks', async () => {
    const input = await sharp(await photo()).withIccProfile('p3').jpeg().toBuffer();
    const before = await sharp(input).metadata();
    expect(before.icc).toBeDefined();
    const result = stripJpegMetadata(input)!;
    const after = await sharp(result.bytes).metadata();
    expect(after.icc).toEqual(before.icc);
    expect(after.exif).toBeUndefined();
  });

  it('returns a picture without metadata as it is, with nothing emptied', async () => {
    const input = await photo(false);
    const result = stripJpegMetadata(input)!;
    expect(result.emptied).toBe(0);
    expect(result.bytes).toBe(input);
  });

  it('refuses what is not a JPEG, or one whose segment runs past the end', async () => {
    expect(stripJpegMetadata(Buffer.from('%PDF-1.4 not a picture'))).toBeUndefined();
    const input = await photo();
    expect(stripJpegMetadata(input.subarray(0, 40))).toBeUndefined();
    // A segment length that points past the end of the file.
    const broken = Buffer.from(input);
    broken.writeUInt16BE(0xfff0, 4);
    expect(stripJpegMetadata(broken)).toBeUndefined();
  });

  it('removes a comment and EXIF placed between the scans of a progressive JPEG, and keeps its scans bit for bit', async () => {
    const original = await progressivePhoto();
    const markers = markersOf(original);
    expect(markers.filter(({ marker }) => marker === 0xda).length).toBeGreaterThan(2);
    // Right after the first scan's coded data (before the tables of the second), and just before the end marker.
    const afterFirstScan = markers[markers.findIndex(({ marker }) => marker === 0xda) + 1]!;
    const end = markers.find(({ marker }) => marker === 0xd9)!;
    const input = insertAt(
      insertAt(original, end.at, segment(0xe1, Buffer.from('Exif\0\0SECONDMARKER'))),
      afterFirstScan.at,
      segment(0xfe, Buffer.from('COMMENTMARKER')),
      segment(0xe1, Buffer.from('Exif\0\0ARTISTMARKER')),
    );
    expect(found(input)).toEqual(['ARTISTMARKER', 'COMMENTMARKER', 'SECONDMARKER']);
    expect(await pixelsOf(input)).toEqual(await pixelsOf(original));

    const result = stripJpegMetadata(input)!;
    expect(found(result.bytes)).toEqual([]);
    expect(result.emptied).toBe(3);
    expect(Buffer.from(result.bytes)).toEqual(original);
  });

  it('reads a picture with a few stray bytes before its start marker, as PDF readers do, and drops them', async () => {
    const original = await photo(false);
    const stray = Buffer.from('\r\n\0\0 stray');
    const result = stripJpegMetadata(Buffer.concat([stray, original]))!;
    expect(result.emptied).toBe(1);
    expect(Buffer.from(result.bytes)).toEqual(original);
    // With EXIF too: both are gone.
    const withExif = stripJpegMetadata(Buffer.concat([stray, await photo()]))!;
    expect(found(withExif.bytes)).toEqual([]);
    expect(withExif.emptied).toBe(2);
    expect(await pixelsOf(withExif.bytes)).toEqual(await pixelsOf(original));
    // A start marker far into the bytes is no picture.
    expect(stripJpegMetadata(Buffer.concat([Buffer.alloc(200), original]))).toBeUndefined();
  });

  it('drops padding between header segments instead of refusing the picture, but refuses headers that end in it', async () => {
    const original = await photo(false);
    const headers = markersOf(original);
    const input = insertAt(original, headers[1]!.at, Buffer.alloc(7), Buffer.from([0xff, 0x00, 0x20]));
    const result = stripJpegMetadata(input)!;
    expect(result.emptied).toBe(1);
    expect(Buffer.from(result.bytes)).toEqual(original);
    // Padding after an EXIF segment: both are dropped.
    const exif = segment(0xe1, Buffer.from('Exif\0\0ARTISTMARKER'));
    const both = stripJpegMetadata(insertAt(original, headers[1]!.at, exif, Buffer.alloc(3)))!;
    expect(found(both.bytes)).toEqual([]);
    expect(both.emptied).toBe(2);
    expect(Buffer.from(both.bytes)).toEqual(original);
    // No marker after the padding: no picture follows the headers.
    expect(stripJpegMetadata(Buffer.concat([original.subarray(0, headers[1]!.at), Buffer.alloc(64)]))).toBeUndefined();
  });

  it('keeps restart markers, escaped bytes and fill bytes inside a scan’s coded data, and drops a comment after it', () => {
    // Headers are not checked here, only how the coded data is walked: 0xFF 0x00, 0xFF 0xD0, 0xFF 0xFF 0xD1 are data.
    const head = Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xdb, Buffer.alloc(65)), segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]))]);
    const data = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd1, 0x78, 0xff, 0xff, 0x00, 0x9a]);
    const tail = Buffer.concat([segment(0xc4, Buffer.alloc(17)), segment(0xda, Buffer.from([1, 1, 0, 1, 63, 0])), data, Buffer.from([0xff, 0xd9])]);
    const result = stripJpegMetadata(Buffer.concat([head, data, segment(0xfe, Buffer.from('COMMENTMARKER')), tail]))!;
    expect(result.emptied).toBe(1);
    expect(Buffer.from(result.bytes)).toEqual(Buffer.concat([head, data, tail]));
    // Coded data running to the end of a file cut short is kept as it is.
    const cut = Buffer.concat([head, data, Buffer.from([0xff])]);
    expect(stripJpegMetadata(cut)).toEqual({ bytes: cut, emptied: 0 });
  });

  it('leaves no inserted metadata and the same pixels, for random pictures with random metadata inserted anywhere', async () => {
    const next = seededRandom(20240214);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const dropped = [0xe1, 0xe3, 0xe4, 0xe7, 0xeb, 0xed, 0xef, 0xfe];
    for (let round = 0; round < 10; round += 1) {
      const width = 8 + Math.floor(next() * 80);
      const height = 8 + Math.floor(next() * 60);
      const channels = next() < 0.2 ? 1 : 3;
      const pixels = Buffer.alloc(width * height * channels);
      for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(next() * 256);
      const original = await sharp(pixels, { raw: { width, height, channels } })
        .jpeg({
          quality: 40 + Math.floor(next() * 60),
          progressive: next() < 0.6,
          optimiseScans: next() < 0.3,
          mozjpeg: next() < 0.3,
          chromaSubsampling: pick(['4:2:0', '4:4:4']),
        })
        .toBuffer();
      // Insert from the last place to the first so that earlier offsets stay valid.
      const places = markersOf(original).reverse();
      const firstScan = places.at(-1 - places.toReversed().findIndex(({ marker }) => marker === 0xda))!.at;
      let input = original;
      const texts: string[] = [];
      let removed = 0;
      for (const { at } of places) {
        // Padding between header segments (not right after the start marker: a JPEG begins FF D8 FF).
        if (at > 2 && at < firstScan && next() < 0.2) {
          input = insertAt(input, at, Buffer.alloc(1 + Math.floor(next() * 4)));
          removed += 1;
        }
        if (next() < 0.5) continue;
        const text = `RANDOMMARKER${round}X${texts.length}`;
        texts.push(text);
        const payload = Buffer.concat([Buffer.from(pick(['Exif\0\0', 'http://ns.adobe.com/xap/1.0/\0', 'MPF\0', 'Photoshop 3.0\0', ''])), Buffer.from(text)]);
        const noise = Buffer.from(Array.from({ length: Math.floor(next() * 20) }, () => Math.floor(next() * 256)));
        input = insertAt(input, at, segment(pick(dropped), Buffer.concat([payload, noise])));
        removed += 1;
      }
      if (next() < 0.3) {
        input = Buffer.concat([Buffer.from('\n\0'), input]);
        removed += 1;
      }
      if (next() < 0.5) {
        input = Buffer.concat([input, Buffer.from(`APPENDEDMARKER${round}`)]);
        removed += 1;
      }
      const result = stripJpegMetadata(input)!;
      expect(result).toBeDefined();
      for (const text of [...texts, 'APPENDEDMARKER']) expect(Buffer.from(result.bytes).includes(text)).toBe(false);
      expect(await pixelsOf(result.bytes)).toEqual(await pixelsOf(original));
      expect(Buffer.from(result.bytes)).toEqual(original);
      expect(result.emptied).toBe(removed);
    }
  });
});
