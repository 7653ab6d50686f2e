/**
 * The one-page landscape certificate a user receives after passing the ASN-neutrality quiz, with a verification
 * code and a QR code that carries the verification payload. Text is drawn with the built-in fonts through
 * `toWinAnsi` (see there for why), so a name in any script never breaks rendering.
 */
import QRCode from 'qrcode';
import { z } from 'zod';
import { createPdf } from './pdfDocument.ts';
import { toWinAnsi } from '../../flows/shared/toWinAnsi.ts';

/** What a certificate shows; `issuedAt` comes formatted ("20 November 2026"), `verifyHint` in the user's language. */
export const certificateDataSchema = z
  .object({
    code: z.string().trim().min(1),
    name: z.string().optional(),
    score: z.number().int().min(0),
    total: z.number().int().positive(),
    percent: z.number().min(0).max(100),
    issuedAt: z.string().trim().min(1),
    locale: z.enum(['id', 'en']),
    /** How to check the certificate, e.g. "/verifikasi ABCD-EFGH-JKLM di bot Netra". */
    verifyHint: z.string(),
    qrPayload: z.string().min(1),
  })
  .refine((cert) => cert.score <= cert.total, { path: ['score'], message: 'score cannot exceed total' });
export type CertificateData = z.infer<typeof certificateDataSchema>;

/** Options that shape the QR image; exported so tests can rebuild the module grid they expect to find. */
export const certificateQrOptions = { errorCorrectionLevel: 'M', margin: 2, scale: 8 } as const;

/** Rendering options: `generatedAt` is the PDF creation date (defaults to now); fix it for reproducible bytes. */
export interface CertificateOptions {
  generatedAt?: Date;
}

const TEXTS = {
  id: {
    title: 'SERTIFIKAT PEMAHAMAN NETRALITAS ASN',
    awardedTo: 'Diberikan kepada',
    defaultName: 'Peserta',
    body: (score: number, total: number, percent: number) =>
      `atas keberhasilannya menyelesaikan kuis Netralitas Aparatur Sipil Negara di Netra dengan skor ${score} dari ${total} (${percent}%).`,
    issued: (date: string) => `Diterbitkan pada ${date}`,
    codeLabel: 'Kode verifikasi',
    scan: 'Pindai untuk verifikasi',
    disclaimer:
      'Sertifikat ini mencatat hasil kuis pembelajaran di Netra. Sertifikat ini bukan dokumen resmi BKN, ' +
      'KemenPAN-RB, maupun Bawaslu.',
  },
  en: {
    title: 'CERTIFICATE OF UNDERSTANDING: ASN NEUTRALITY',
    awardedTo: 'Awarded to',
    defaultName: 'Participant',
    body: (score: number, total: number, percent: number) =>
      `for completing the Civil Servant (ASN) Neutrality quiz in Netra with a score of ${score} out of ${total} (${percent}%).`,
    issued: (date: string) => `Issued on ${date}`,
    codeLabel: 'Verification code',
    scan: 'Scan to verify',
    disclaimer:
      'This certificate records the result of a learning quiz in Netra. It is not an official document of BKN, ' +
      'KemenPAN-RB or Bawaslu.',
  },
} as const;

/** Each title line in the other language, printed smaller under the main title. */
const SECONDARY_TITLE = {
  id: 'Certificate of Understanding: ASN Neutrality',
  en: 'Sertifikat Pemahaman Netralitas ASN',
} as const;

const COLOR = { ink: '#111111', muted: '#555555', accent: '#1f3a5f' };
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier-Bold' };
const QR_SIZE = 118;

/** Shrinks the font until `value` fits `width`, then cuts it with an ellipsis if even the smallest size is too wide. */
function fitOneLine(doc: PDFKit.PDFDocument, value: string, font: string, sizes: readonly number[], width: number) {
  let size = sizes[0] ?? 12;
  for (const candidate of sizes) {
    size = candidate;
    if (doc.font(font).fontSize(size).widthOfString(value) <= width) return { value, size };
  }
  let cut = value;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return { value: `${cut.trimEnd()}…`, size };
}

/** Renders the certificate as a single landscape A4 page. Same input and `generatedAt` give the same bytes. */
export async function renderCertificatePdf(cert: CertificateData, opts: CertificateOptions = {}): Promise<Buffer> {
  const data = certificateDataSchema.parse(cert);
  const texts = TEXTS[data.locale];
  const qr = await QRCode.toBuffer(data.qrPayload, {
    type: 'png',
    ...certificateQrOptions,
    color: { dark: '#000000', light: '#ffffff' },
  });
  const { doc, bytes } = createPdf({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 32, bottom: 32, left: 32, right: 32 },
    title: `${texts.title} — ${data.code}`,
    subject: texts.title,
    createdAt: opts.generatedAt ?? new Date(),
    bufferPages: false,
  });
  const { width: W, height: H } = doc.page;
  const centred = (value: string, y: number, font: string, size: number, color: string, width = W - 160) =>
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(toWinAnsi(value), (W - width) / 2, y, { width, align: 'center' });

  doc.rect(22, 22, W - 44, H - 44).lineWidth(2.2).strokeColor(COLOR.accent).stroke();
  doc.rect(30, 30, W - 60, H - 60).lineWidth(0.6).strokeColor(COLOR.accent).stroke();

  centred('NETRA', 58, FONT.bold, 11, COLOR.accent);
  centred(texts.title, 88, FONT.bold, 24, COLOR.accent);
  centred(SECONDARY_TITLE[data.locale], 120, FONT.italic, 13, COLOR.muted);

  centred(texts.awardedTo, 178, FONT.regular, 12, COLOR.muted);
  const given = data.name?.trim() ? toWinAnsi(data.name.trim()) : texts.defaultName;
  const name = fitOneLine(doc, given, FONT.bold, [30, 26, 22, 18, 15], W - 200);
  doc
    .font(FONT.bold)
    .fontSize(name.size)
    .fillColor(COLOR.ink)
    .text(name.value, 100, 200, { width: W - 200, align: 'center', lineBreak: false });
  doc
    .moveTo(W / 2 - 200, 242)
    .lineTo(W / 2 + 200, 242)
    .lineWidth(0.8)
    .strokeColor(COLOR.muted)
    .stroke();

  centred(texts.body(data.score, data.total, Math.round(data.percent)), 258, FONT.regular, 12.5, COLOR.ink, 660);
  centred(texts.issued(data.issuedAt), 312, FONT.regular, 11, COLOR.muted);

  const bottomY = 392;
  doc.font(FONT.regular).fontSize(9).fillColor(COLOR.muted).text(texts.codeLabel, 80, bottomY, { lineBreak: false });
  doc
    .font(FONT.mono)
    .fontSize(18)
    .fillColor(COLOR.ink)
    .text(toWinAnsi(data.code), 80, bottomY + 14, { width: 440, height: 24, ellipsis: true });
  doc
    .font(FONT.regular)
    .fontSize(9.5)
    .fillColor(COLOR.muted)
    .text(toWinAnsi(data.verifyHint), 80, bottomY + 42, { width: 440, height: 40, ellipsis: true });

  const qrX = W - 80 - QR_SIZE;
  doc.image(qr, qrX, bottomY - 14, { width: QR_SIZE, height: QR_SIZE });
  doc
    .font(FONT.regular)
    .fontSize(8)
    .fillColor(COLOR.muted)
    .text(texts.scan, qrX - 20, bottomY + QR_SIZE - 8, { width: QR_SIZE + 40, align: 'center', lineBreak: false });

  doc
    .font(FONT.italic)
    .fontSize(7.5)
    .fillColor(COLOR.muted)
    .text(texts.disclaimer, 80, H - 66, { width: W - 160, height: 22, align: 'center', ellipsis: true });

  doc.end();
  return bytes;
}
