import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { storeMedia } from '../../../bot/media/mediaStore.ts';

describe('the evidence store', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-media-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a photo once under its SHA-256, with a copy stripped of its metadata, even when it arrives three times at once', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a03020' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Pelapor', Copyright: 'Desa Sukamaju' } })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();

    const stored = await Promise.all([1, 2, 3].map(() => storeMedia(dataDir, photo, { kind: 'photo', mime: 'image/jpeg' })));

    expect(new Set(stored.map((s) => s.path)).size).toBe(1);
    const [first] = stored;
    expect(readFileSync(path.join(dataDir, first!.path))).toEqual(photo);
    expect((await sharp(readFileSync(path.join(dataDir, first!.strippedPath!))).metadata()).exif).toBeUndefined();
    // The original and its stripped copy, and no temporary file left behind.
    expect(readdirSync(path.join(dataDir, path.dirname(first!.path))).sort()).toEqual(
      [path.basename(first!.path), path.basename(first!.strippedPath!)].sort(),
    );
  });
});
