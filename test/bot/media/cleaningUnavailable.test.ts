/** The evidence store when the document-cleaning thread cannot run (it could not start): the file is not taken. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DocumentCleaningUnavailableError } from '../../../bot/media/documentCleaning.ts';
import { storeMedia } from '../../../bot/media/mediaStore.ts';

vi.mock('../../../bot/media/documentCleaning.ts', async (original) => ({
  ...(await original<typeof import('../../../bot/media/documentCleaning.ts')>()),
  cleanDocument: vi.fn(async () => ({ ok: false, reason: 'unavailable' })),
}));

describe('the evidence store without its cleaning thread', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-unavailable-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a document it cannot have cleaned, rather than keeping it as one that cannot be', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([100, 100]);
    const pdf = Buffer.from(await doc.save());
    await expect(storeMedia(dataDir, pdf, { kind: 'document', mime: 'application/pdf', fileName: 'surat.pdf' })).rejects.toThrow(DocumentCleaningUnavailableError);
    // Other files are taken as ever.
    const text = await storeMedia(dataDir, Buffer.from('catatan saksi'), { kind: 'document', mime: 'text/plain', fileName: 'catatan.txt' });
    expect(text.path).toMatch(/\.txt$/);
  });
});
