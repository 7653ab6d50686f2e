import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { storeMedia } from '../bot/media/mediaStore.ts';
import { withJpegComment } from './bench/loadDriver.ts';
import { makePhotos } from './bench/runBench.ts';

describe('The benchmark’s evidence photos', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-bench-photos-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are pictures with texture, of the size of a small photo, not a flat colour that costs nothing to re-encode', async () => {
    const photos = await makePhotos(2);
    for (const photo of photos) {
      const meta = await sharp(photo).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
      expect(photo.length).toBeGreaterThan(10_000);
    }
    expect(photos[0]).not.toEqual(photos[1]);
  });

  it('are each sent as a file of its own, which Netra stores and strips again instead of finding it stored already', async () => {
    const [base] = await makePhotos(1);
    const first = withJpegComment(base!, 'netra-bench 1/0');
    const second = withJpegComment(base!, 'netra-bench 1/1');
    const pixels = async (jpeg: Buffer) => sharp(jpeg).raw().toBuffer();
    expect(await pixels(first)).toEqual(await pixels(base!));
    expect(first).not.toEqual(second);

    const stored = await Promise.all([first, second].map((bytes) => storeMedia(dataDir, bytes, { kind: 'photo', mime: 'image/jpeg' })));
    expect(stored[0]!.path).not.toBe(stored[1]!.path);
    expect(stored[0]!.strippedPath).not.toBe(stored[1]!.strippedPath);
    for (const media of stored) {
      // The comment is metadata: the stripped copy the office gets does not carry it.
      expect(readFileSync(path.join(dataDir, media.strippedPath!)).includes('netra-bench')).toBe(false);
      expect(readFileSync(path.join(dataDir, media.path)).includes('netra-bench')).toBe(true);
    }
  });

  it('refuses to add a comment to something that is not a JPEG', () => {
    expect(() => withJpegComment(Buffer.from('not a picture'), 'x')).toThrow('not a JPEG');
  });
});
