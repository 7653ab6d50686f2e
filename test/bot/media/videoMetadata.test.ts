/**
 * The fixtures are one-second 32×24 H.264 videos made with FFmpeg 7 the way phones write their metadata:
 * - `phone.mp4` (Android style): media data first, then the movie; user data with an iTunes item list (artist,
 *   comment) and the 3GPP location box `loci`;
 * - `phone.mov` (iPhone style, "fast start"): the movie first, then the media data; Apple's metadata keys for the
 *   location, make and model.
 * FFmpeg decodes their cleaned copies to the same five frames, bit for bit, as the originals.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanVideoMetadata } from '../../../bot/media/videoMetadata.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../fixtures/video', name));

/** The top-level boxes, as [type, offset, size]: read here on their own, not with the code under test. */
function topLevel(bytes: Buffer): Array<[string, number, number]> {
  const boxes: Array<[string, number, number]> = [];
  for (let at = 0; at < bytes.length; ) {
    let size = bytes.readUInt32BE(at);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    if (size === 0) size = bytes.length - at;
    boxes.push([bytes.toString('latin1', at + 4, at + 8), at, size]);
    at += size;
  }
  return boxes;
}

/** Offsets where two buffers of one length differ, as [first, last] runs. */
function changedRuns(a: Buffer, b: Buffer): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] === b[i]) continue;
    const last = runs.at(-1);
    if (last && last[1] >= i - 16) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

const has = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'latin1'));

describe('cleaning a video of its metadata', () => {
  it('empties the location, artist and comment of an Android-style MP4 and leaves every other byte as it was', () => {
    const original = fixture('phone.mp4');
    for (const text of ['loci', '©ART', 'Siti CANARY7Q', 'Direkam oleh CANARY7Q']) expect(has(original, text), text).toBe(true);

    const cleaned = cleanVideoMetadata(original)!;

    expect(cleaned.emptied).toBe(1);
    for (const text of ['loci', '©ART', 'CANARY7Q', 'udta']) expect(has(cleaned.bytes, text), text).toBe(false);
    // Same length and the same boxes at the same offsets: the chunk offsets the movie holds stay right.
    expect(cleaned.bytes.length).toBe(original.length);
    expect(topLevel(cleaned.bytes)).toEqual(topLevel(original));
    const udta = original.indexOf('udta', 0, 'latin1') - 4;
    const udtaSize = original.readUInt32BE(udta);
    expect(cleaned.bytes.toString('latin1', udta + 4, udta + 8)).toBe('free');
    expect(cleaned.bytes.subarray(udta + 8, udta + udtaSize).every((byte) => byte === 0)).toBe(true);
    // Nothing changed outside that box: the media data, the sample tables and the headers are the original's.
    expect(changedRuns(original, cleaned.bytes).every(([from, to]) => from >= udta + 4 && to < udta + udtaSize)).toBe(true);
    // The original is not touched.
    expect(has(original, 'CANARY7Q')).toBe(true);
  });

  it("empties an iPhone-style QuickTime file's location, make and model when the movie comes before the media data", () => {
    const original = fixture('phone.mov');
    for (const text of ['com.apple.quicktime.location.ISO6709', '-01.8606+105.1733', 'iPhone CANARY7Q']) expect(has(original, text), text).toBe(true);
    const mdat = topLevel(original).find(([type]) => type === 'mdat')!;

    const cleaned = cleanVideoMetadata(original)!;

    expect(cleaned.emptied).toBe(1);
    for (const text of ['com.apple.quicktime', '105.1733', 'CANARY7Q']) expect(has(cleaned.bytes, text), text).toBe(false);
    expect(topLevel(cleaned.bytes)).toEqual(topLevel(original));
    expect(cleaned.bytes.subarray(mdat[1], mdat[1] + mdat[2])).toEqual(original.subarray(mdat[1], mdat[1] + mdat[2]));
  });

  it('finds nothing more to empty in a cleaned copy', () => {
    const once = cleanVideoMetadata(fixture('phone.mov'))!.bytes;
    const twice = cleanVideoMetadata(once)!;
    expect(twice.emptied).toBe(0);
    expect(twice.bytes).toEqual(once);
  });

  it('empties metadata where iPhones and some editors put it: directly in the movie, and in a track', () => {
    const original = fixture('phone.mov');
    // The same file with its user data box typed `meta`, as an iPhone writes moov/meta, and the track's edit list
    // typed `udta`, as a track's own user data.
    const iphone = Buffer.from(original);
    const udta = iphone.indexOf('udta', 0, 'latin1');
    iphone.write('meta', udta, 'latin1');
    const edts = iphone.indexOf('edts', 0, 'latin1');
    iphone.write('udta', edts, 'latin1');

    const cleaned = cleanVideoMetadata(iphone)!;

    expect(cleaned.emptied).toBe(2);
    expect(has(cleaned.bytes, 'CANARY7Q')).toBe(false);
    expect(cleaned.bytes.toString('latin1', udta, udta + 4)).toBe('free');
    expect(cleaned.bytes.toString('latin1', edts, edts + 4)).toBe('free');
  });

  it('cleans a file with a few stray bytes after its last box, or whose media data was cut short after the movie', () => {
    const stray = cleanVideoMetadata(Buffer.concat([fixture('phone.mp4'), Buffer.from([0x0a, 0x0d, 0x00])]))!;
    expect(stray.emptied).toBe(1);
    expect(has(stray.bytes, 'CANARY7Q')).toBe(false);
    // phone.mov puts its movie first: a download cut inside the media data still has all its metadata to empty.
    const mov = fixture('phone.mov');
    const cut = cleanVideoMetadata(mov.subarray(0, mov.length - 100))!;
    expect(cut.emptied).toBe(1);
    expect(has(cut.bytes, 'CANARY7Q')).toBe(false);
  });

  it('gives up, without running out of memory or stack, on a crafted file of millions of boxes or of boxes nested thousands deep', () => {
    const box = (type: string, contents: Buffer = Buffer.alloc(0)) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(8 + contents.length);
      header.write(type, 4, 'latin1');
      return Buffer.concat([header, contents]);
    };
    const ftyp = box('ftyp', Buffer.from('qt  \0\0\0\0qt  ', 'latin1'));
    // 20 MB, Telegram's download limit for bots: 2.6 million empty user data boxes in one movie box.
    const many = Buffer.alloc(20 * 1024 * 1024 - ftyp.length - 8);
    for (let at = 0; at + 8 <= many.length; at += 8) {
      many.writeUInt32BE(8, at);
      many.write('udta', at + 4, 'latin1');
    }
    expect(cleanVideoMetadata(Buffer.concat([ftyp, box('moov', many)]))).toBeUndefined();

    let nested = box('udta', Buffer.from('CANARY7Q', 'latin1'));
    for (let depth = 0; depth < 5_000; depth += 1) nested = box(depth % 2 === 0 ? 'trak' : 'moov', nested);
    // Only moov > trak > mdia > minf is read: a movie inside a track is no place a player looks.
    expect(() => cleanVideoMetadata(Buffer.concat([ftyp, box('moov', nested)]))).not.toThrow();
  });

  it('empties a top-level XMP box and keeps a uuid box of another kind', () => {
    const xmpPayload = Buffer.from('<x:xmpmeta><dc:creator>Siti CANARY7Q</dc:creator></x:xmpmeta>', 'latin1');
    const uuidBox = (uuid: string, payload: Buffer) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(8 + 16 + payload.length);
      header.write('uuid', 4, 'latin1');
      return Buffer.concat([header, Buffer.from(uuid, 'hex'), payload]);
    };
    const other = uuidBox('a5d40b30e81411ddba2f0800200c9a66', Buffer.from('keep me', 'latin1'));
    const video = Buffer.concat([fixture('phone.mov'), uuidBox('be7acfcb97a942e89c71999491e3afac', xmpPayload), other]);

    const cleaned = cleanVideoMetadata(video)!;

    expect(cleaned.emptied).toBe(2);
    expect(has(cleaned.bytes, 'CANARY7Q')).toBe(false);
    expect(has(cleaned.bytes, 'xmpmeta')).toBe(false);
    expect(cleaned.bytes.subarray(video.length - other.length)).toEqual(other);
    expect(topLevel(cleaned.bytes).map(([type]) => type)).toEqual(['ftyp', 'moov', 'wide', 'mdat', 'free', 'uuid']);
  });

  it('reads a box size written in 64 bits and a last box that runs to the end of the file', () => {
    const original = fixture('phone.mp4');
    const [, mdatAt, mdatSize] = topLevel(original).find(([type]) => type === 'mdat')!;
    // The media data's size in the long form: size 1, the type, then 64 bits.
    const long = Buffer.alloc(16);
    long.writeUInt32BE(1);
    long.write('mdat', 4, 'latin1');
    long.writeBigUInt64BE(BigInt(mdatSize + 8), 8);
    const largeSized = Buffer.concat([original.subarray(0, mdatAt), long, original.subarray(mdatAt + 8)]);
    expect(has(cleanVideoMetadata(largeSized)!.bytes, 'CANARY7Q')).toBe(false);

    // phone.mov ends with its media data: size 0 means "to the end".
    const toEnd = Buffer.from(fixture('phone.mov'));
    const [, lastAt] = topLevel(toEnd).at(-1)!;
    toEnd.writeUInt32BE(0, lastAt);
    expect(has(cleanVideoMetadata(toEnd)!.bytes, 'CANARY7Q')).toBe(false);
  });

  it('leaves alone what it cannot read as such a video: a download cut inside the movie, another format, a HEIF photo', () => {
    const video = fixture('phone.mp4');
    // Cut inside the movie box, where the metadata sits: its size no longer fits.
    expect(cleanVideoMetadata(video.subarray(0, video.length - 10))).toBeUndefined();
    // A box inside the movie that overruns it.
    const overrun = Buffer.from(video);
    overrun.writeUInt32BE(100_000, overrun.indexOf('trak', 0, 'latin1') - 4);
    expect(cleanVideoMetadata(overrun)).toBeUndefined();
    // WebM (Matroska) starts with its own header, not with boxes.
    expect(cleanVideoMetadata(Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d', 'hex'))).toBeUndefined();
    expect(cleanVideoMetadata(Buffer.alloc(0))).toBeUndefined();
    // A HEIC photo is made of the same boxes, but its `meta` box is the picture: never emptied.
    const heic = Buffer.from(video);
    heic.write('heic', 8, 'latin1');
    expect(cleanVideoMetadata(heic)).toBeUndefined();
  });
});
