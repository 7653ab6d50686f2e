import QRCode from 'qrcode';
import { extractImages, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  certificateQrOptions,
  renderCertificatePdf,
  type CertificateData,
} from '../../../bot/documents/certificatePdf.ts';
import { certificate, pdfText } from './fixtures.ts';

// pdf.js (inside unpdf) decodes images with ArrayBuffer.prototype.transferToFixedLength, which Node has only
// from version 21; a copying stand-in is enough for reading an image back on Node 20.
if (!('transferToFixedLength' in ArrayBuffer.prototype)) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    value(this: ArrayBuffer, length: number = this.byteLength): ArrayBuffer {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

const generatedAt = new Date('2026-11-20T00:00:00Z');
const render = (cert: CertificateData) => renderCertificatePdf(cert, { generatedAt });

/**
 * Reads the QR modules back from the first square image on page 1: the centre pixel of each module, dark or
 * light. Returns null when no image has the size the QR options imply.
 */
async function readQrModules(pdf: Buffer, moduleCount: number): Promise<boolean[] | null> {
  const { margin, scale } = certificateQrOptions;
  const side = (moduleCount + 2 * margin) * scale;
  const images = await extractImages(await getDocumentProxy(new Uint8Array(pdf)), 1);
  const qr = images.find((image) => image.width === side && image.height === side && image.channels >= 3);
  if (!qr) return null;
  const modules: boolean[] = [];
  for (let row = 0; row < moduleCount; row += 1) {
    for (let col = 0; col < moduleCount; col += 1) {
      const x = (col + margin) * scale + scale / 2;
      const y = (row + margin) * scale + scale / 2;
      modules.push((qr.data[(y * qr.width + x) * qr.channels] ?? 255) < 128);
    }
  }
  return modules;
}

function expectedModules(payload: string): { size: number; dark: boolean[] } {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: certificateQrOptions.errorCorrectionLevel });
  return { size: modules.size, dark: Array.from(modules.data, (bit) => bit === 1) };
}

describe('renderCertificatePdf', () => {
  it('shows the bilingual title, the name, the score, the date and the verification code on one landscape page', async () => {
    const pdf = await render(certificate);
    const { text, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    const page = await (await getDocumentProxy(new Uint8Array(pdf))).getPage(1);
    const { width, height } = page.getViewport({ scale: 1 });
    expect(width).toBeGreaterThan(height);
    expect(text).toContain('SERTIFIKAT PEMAHAMAN NETRALITAS ASN');
    expect(text).toContain('Certificate of Understanding: ASN Neutrality');
    expect(text).toContain('Ni Luh Putu Ayu Kusumawardhani');
    expect(text).toContain('skor 9 dari 10 (90%)');
    expect(text).toContain('Diterbitkan pada 20 November 2026');
    expect(text).toContain('ABCD-EFGH-JKLM');
    expect(text).toContain('Ketik /verifikasi ABCD-EFGH-JKLM di bot Netra');
    expect(text).toContain('bukan dokumen resmi BKN');
  });

  it('speaks English for an English certificate', async () => {
    const { text } = await pdfText(await render({ ...certificate, locale: 'en', percent: 66.7, score: 2, total: 3 }));
    expect(text).toContain('CERTIFICATE OF UNDERSTANDING: ASN NEUTRALITY');
    expect(text).toContain('Sertifikat Pemahaman Netralitas ASN');
    expect(text).toContain('a score of 2 out of 3 (67%)');
    expect(text).toContain('Issued on 20 November 2026');
  });

  it('names the holder "Peserta" (or "Participant") when no name was given', async () => {
    const { name: _name, ...anonymous } = certificate;
    expect((await pdfText(await render(anonymous))).text).toContain('Diberikan kepada Peserta');
    expect((await pdfText(await render({ ...anonymous, name: '   ', locale: 'en' }))).text).toContain(
      'Awarded to Participant',
    );
  });

  it('embeds a QR image whose modules are those of the payload', async () => {
    const pdf = await render(certificate);
    const expected = expectedModules(certificate.qrPayload);
    const read = await readQrModules(pdf, expected.size);
    expect(read).not.toBeNull();
    expect(read).toEqual(expected.dark);
    expect(read).not.toEqual(expectedModules('https://t.me/netra_bot?start=verify_ZZZZ-ZZZZ-ZZZZ').dark);
  });

  it('keeps a very long or non-Latin name and a long hint on the single page', async () => {
    const pdf = await render({
      ...certificate,
      name: `${'Raden Mas '.repeat(30)}😀 محمد`,
      verifyHint: 'periksa '.repeat(200),
    });
    const { text, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(text).toContain('Raden Mas Raden Mas');
    expect(text).toContain('…');
    expect(text).toContain('ABCD-EFGH-JKLM');
  });

  it('prints a name in another script as question marks rather than failing', async () => {
    const { text } = await pdfText(await render({ ...certificate, name: 'Budi ꦧꦸꦣꦶ 😀' }));
    expect(text).toContain('Budi ?? ?');
  });

  it('is reproducible for the same input and time', async () => {
    const first = await render(certificate);
    expect((await render(certificate)).equals(first)).toBe(true);
    expect((await render({ ...certificate, qrPayload: 'other' })).equals(first)).toBe(false);
  });

  it('refuses a score above the total', async () => {
    await expect(render({ ...certificate, score: 11 })).rejects.toBeInstanceOf(ZodError);
  });
});
