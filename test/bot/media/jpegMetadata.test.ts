import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { stripJpegMetadata } from '../../../bot/media/jpegMetadata.ts';

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
});
