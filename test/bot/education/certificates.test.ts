import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { extractImages, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCertificate } from '../../../bot/cli/certificateCommand.ts';
import { certificateQrOptions } from '../../../bot/documents/certificatePdf.ts';
import {
  CertificateNotAllowedError,
  findCertificate,
  findLookAlikeCode,
  issueCertificate,
  newCertificateCode,
} from '../../../bot/education/certificates.ts';
import { certificateQrPayload, parseCertificateCode } from '../../../flows/verify/certificateCode.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { pdfText } from '../documents/fixtures.ts';

// pdf.js (inside unpdf) decodes images with ArrayBuffer.prototype.transferToFixedLength, which Node has only
// from version 21; a copying stand-in is enough for reading the QR image back on Node 20.
if (!('transferToFixedLength' in ArrayBuffer.prototype)) {
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    value(this: ArrayBuffer, length: number = this.byteLength): ArrayBuffer {
      const copy = new ArrayBuffer(length);
      new Uint8Array(copy).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      return copy;
    },
  });
}

/** True when page 1 holds a QR image whose modules are exactly those of `payload`. */
async function pdfHasQr(pdf: Buffer, payload: string): Promise<boolean> {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: certificateQrOptions.errorCorrectionLevel });
  const { margin, scale } = certificateQrOptions;
  const side = (modules.size + 2 * margin) * scale;
  const images = await extractImages(await getDocumentProxy(new Uint8Array(pdf)), 1);
  const qr = images.find((image) => image.width === side && image.height === side);
  if (!qr) return false;
  for (let row = 0; row < modules.size; row += 1) {
    for (let col = 0; col < modules.size; col += 1) {
      const x = (col + margin) * scale + scale / 2;
      const y = (row + margin) * scale + scale / 2;
      const dark = (qr.data[(y * qr.width + x) * qr.channels] ?? 255) < 128;
      if (dark !== (modules.data[row * modules.size + col] === 1)) return false;
    }
  }
  return true;
}

async function cli(h: Harness, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCertificate(args, h.app.store.prisma, h.app.secrets, {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
  });
  return { code, out, err };
}

describe('certificate codes', () => {
  it('are 12 characters without look-alikes, in three groups, and read back as themselves', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const code = newCertificateCode();
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      expect(parseCertificateCode(code.toLowerCase().replaceAll('-', ' '))).toBe(code);
      codes.add(code);
    }
    expect(codes.size).toBe(2000);
  });
});

describe.each(storeKinds)('issuing and verifying certificates on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  const at = new Date('2026-11-22T17:30:00.000Z');
  async function attempt(chatKey: string, fields: { score?: number; passed?: boolean; topic?: string | null; finished?: boolean } = {}) {
    return h.app.store.prisma.quizAttempt.create({
      data: {
        chatKey,
        questionIds: [],
        total: 10,
        score: fields.score ?? 9,
        passed: fields.passed ?? true,
        topic: fields.topic ?? null,
        finishedAt: fields.finished === false ? null : at,
      },
    });
  }
  const issue = (chatKey: string, attemptId: string, name: string | null, locale: 'id' | 'en' = 'id') =>
    h.app.store.prisma.$transaction((tx) => issueCertificate(tx, h.app, { chatKey, attemptId, name, locale, at }));

  it('writes a PDF with the code, the name, the Jakarta date and a QR code of the payload, and stores the name encrypted', async () => {
    const { id } = await attempt('chat-1');
    const issued = await issue('chat-1', id, 'Ni Luh Putu Ayu');
    expect(issued.path).toBe(`certificates/${issued.code}.pdf`);
    const pdf = readFileSync(path.join(h.dataDir, issued.path));
    const { text, pages } = await pdfText(pdf);
    expect(pages).toBe(1);
    expect(text).toContain(issued.code);
    expect(text).toContain('Ni Luh Putu Ayu');
    expect(text).toContain('skor 9 dari 10 (90%)');
    // 17:30 UTC is already 23 November in Jakarta.
    expect(text).toContain('Diterbitkan pada 23 November 2026');
    expect(text).toContain(`/verifikasi ${issued.code}`);
    expect(await pdfHasQr(pdf, certificateQrPayload(issued.code))).toBe(true);
    expect(await pdfHasQr(pdf, certificateQrPayload('ZZZZ-ZZZZ-ZZZZ'))).toBe(false);
    const row = await h.app.store.prisma.certificate.findUniqueOrThrow({ where: { code: issued.code } });
    expect(row).toMatchObject({ attemptId: id, score: 9, total: 10, locale: 'id' });
    expect(row.nameEnc).not.toContain('Ni Luh');
  });

  it('puts a link that opens the check in the Telegram bot in the QR code and the hint, once the bot is known', async () => {
    h.app.links.telegramBot = 'netra_bawaslu_bot';
    try {
      const { id } = await attempt('chat-linked');
      const issued = await issue('chat-linked', id, 'Ayu');
      const link = `https://t.me/netra_bawaslu_bot?start=verify_${issued.code}`;
      const pdf = readFileSync(path.join(h.dataDir, issued.path));
      expect(await pdfHasQr(pdf, link)).toBe(true);
      expect((await pdfText(pdf)).text).toContain(link);
      // Opening the link sends /start verify_CODE, which checks it.
      const checked = await h.command('start', `verify_${issued.code}`, { chat: 'scanner' });
      expect(checked.all).toContain('Sertifikat asli.');
      expect(checked.all).toContain('Nama: Ayu');
    } finally {
      delete h.app.links.telegramBot;
    }
  });

  it('confirms a certificate from the command line, and says when a code is unknown or malformed', async () => {
    const { id } = await attempt('chat-2', { score: 8 });
    const issued = await issue('chat-2', id, 'Budi Santoso', 'en');
    const valid = await cli(h, 'verify', issued.code.toLowerCase());
    expect(valid.code).toBe(0);
    expect(valid.out).toContain(`Certificate ${issued.code}: VALID`);
    expect(valid.out).toContain('Name:   Budi Santoso');
    expect(valid.out).toContain('Issued: 23 November 2026');
    expect(valid.out).toContain('Score:  8 of 10 (80%)');
    const unknown = await cli(h, 'verify', 'ZZZZ-ZZZZ-ZZZZ');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('UNKNOWN');
    expect((await cli(h, 'verify', 'ABC')).code).toBe(2);
    expect((await cli(h, 'show', issued.code)).err).toContain('Usage: netra certificate verify');
  });

  it('prints "Peserta" and stores no name when none was given', async () => {
    const { id } = await attempt('chat-3');
    const issued = await issue('chat-3', id, null);
    expect((await pdfText(readFileSync(path.join(h.dataDir, issued.path)))).text).toContain('Diberikan kepada Peserta');
    expect((await h.app.store.prisma.certificate.findUniqueOrThrow({ where: { code: issued.code } })).nameEnc).toBeNull();
    expect((await cli(h, 'verify', issued.code)).out).toContain('(none given');
    expect(await findCertificate(h.app.store.prisma, h.app.secrets, issued.code)).toMatchObject({ name: null, score: 9 });
  });

  it('issues one certificate per attempt: asking again returns the same code', async () => {
    const { id } = await attempt('chat-4');
    const first = await issue('chat-4', id, 'Dewi');
    const again = await issue('chat-4', id, 'Someone Else');
    expect(again.code).toBe(first.code);
    expect(await h.app.store.prisma.certificate.count({ where: { attemptId: id } })).toBe(1);
  });

  it('refuses a failed, unfinished, topic or another chat\'s attempt, writing nothing', async () => {
    const files = () => readdirSync(path.join(h.dataDir, 'certificates')).length;
    const before = files();
    const cases = [
      { chat: 'chat-5', attempt: await attempt('chat-5', { score: 7, passed: false }) },
      { chat: 'chat-6', attempt: await attempt('chat-6', { finished: false }) },
      { chat: 'chat-7', attempt: await attempt('chat-7', { topic: 'sanctions' }) },
      { chat: 'intruder', attempt: await attempt('chat-8') },
    ];
    for (const c of cases) {
      await expect(issue(c.chat, c.attempt.id, 'X')).rejects.toBeInstanceOf(CertificateNotAllowedError);
      expect(await h.app.store.prisma.certificate.count({ where: { attemptId: c.attempt.id } })).toBe(0);
    }
    expect(files()).toBe(before);
  });

  const register = (code: string, name: string | null) =>
    h.app.store.prisma.certificate.create({
      data: { code, attemptId: `attempt-${code}`, nameEnc: name ? h.app.secrets.encrypt(name) : null, score: 9, total: 10, issuedAt: at },
    });

  it('finds the one registered code a single look-alike character away from an unregistered one, and none when two or none are', async () => {
    await register('7S77-Q5RE-ZVWQ', 'Sri Wahyuni');
    expect(await findLookAlikeCode(h.app.store.prisma, '7S77-QSRE-ZVWQ')).toBe('7S77-Q5RE-ZVWQ');
    expect(await findLookAlikeCode(h.app.store.prisma, '7s77 qsre zvwq')).toBe('7S77-Q5RE-ZVWQ');
    // Two look-alikes away is another code, not a typo of this one.
    expect(await findLookAlikeCode(h.app.store.prisma, '7577-QSRE-ZVWQ')).toBeUndefined();
    // Two registered codes one look-alike away each: neither is guessed.
    await register('K5MN-PQRT-XY23', null);
    await register('KSMN-PQRT-XYZ3', null);
    expect(await findLookAlikeCode(h.app.store.prisma, 'KSMN-PQRT-XY23')).toBeUndefined();
    expect(await findLookAlikeCode(h.app.store.prisma, 'not a code')).toBeUndefined();
  });

  it('names the likely intended code of a typo in the chat, without its holder\'s name until that code is sent', async () => {
    await register('HB3K-GW9U-ZPQM', 'Rahmat Hidayat');
    const chat = 'typo-checker';
    const typo = await h.command('verifikasi', 'HB3K-GW9V-ZPQM', { chat });
    expect(typo.all).toContain('Kode HB3K-GW9V-ZPQM tidak terdaftar. Mungkin maksud Anda HB3K-GW9U-ZPQM?');
    expect(typo.all).toContain('kode yang tercetak di sertifikat');
    expect(typo.all).not.toContain('Rahmat');
    expect(typo.all).not.toContain('tidak diterbitkan oleh Netra');
    const sent = await h.say('HB3K-GW9U-ZPQM', { chat });
    expect(sent.all).toContain('Sertifikat asli.');
    expect(sent.all).toContain('Nama: Rahmat Hidayat');
    const english = await h.command('verify', 'hb3k gw9u zpqn', { chat: 'typo-checker-en' });
    expect(english.all).toContain('The code HB3K-GW9U-ZPQN is not registered. It may have been mistyped');
    expect(english.all).not.toContain('Did you mean');
  });

  it('checks a certificate code typed at the menu without dashes, or asked for in words', async () => {
    await register('MK67-YKE7-4LBB', 'Dewi Lestari');
    const chat = 'menu-checker';
    await h.say('menu', { chat });
    for (const text of ['MK67 YKE7 4LBB', 'verify MK67YKE74LBB', 'tolong cek sertifikat mk67 yke7 4lbb']) {
      const checked = await h.say(text, { chat });
      expect(checked.all).toContain('Sertifikat asli.');
      expect(checked.all).toContain('Nama: Dewi Lestari');
    }
    const asked = await h.say('cek sertifikat', { chat });
    expect(asked.all).toContain('Ketik kode yang tercetak');
    expect((await h.say('mk67yke74lbb', { chat })).all).toContain('Nama: Dewi Lestari');
  });

  it('tells a report code asked for as a certificate, at the menu or at the certificate check, and checks that report instead', async () => {
    const chat = 'ticket-as-certificate';
    await h.say('menu', { chat });
    const atMenu = await h.say('cek sertifikat NTR-7K3P-9QXA', { chat });
    expect(atMenu.all).toContain('NTR-7K3P-9QXA adalah kode laporan, bukan kode sertifikat');
    expect(atMenu.all).toContain('/status NTR-7K3P-9QXA');
    // The status check goes on with it: a report from another chat needs its receipt.
    expect(atMenu.all).toContain('Tulis nomor tanda terima 16 angka untuk laporan NTR-7K3P-9QXA');
    expect(atMenu.all).not.toContain('Ketik kode yang tercetak');

    await h.command('verifikasi', '', { chat: 'ticket-at-check' });
    const atCheck = await h.say('cek sertifikat ntr 7k3p 9qxa', { chat: 'ticket-at-check' });
    expect(atCheck.all).toContain('NTR-7K3P-9QXA adalah kode laporan, bukan kode sertifikat');
    expect(atCheck.all).toContain('Tulis nomor tanda terima 16 angka untuk laporan NTR-7K3P-9QXA');
    expect(atCheck.all).not.toContain('Ketik kode yang tercetak');

    const english = await h.command('verify', 'NTR-7K3P-9QXA', { chat: 'ticket-at-check-en' });
    expect(english.all).toContain('NTR-7K3P-9QXA is a report code, not a certificate code');
    expect(english.all).toContain('/status NTR-7K3P-9QXA');
    expect(english.all).toContain('Write the 16-digit receipt number of report NTR-7K3P-9QXA');
  });

  it('still confirms a certificate whose name can no longer be decrypted, without the name', async () => {
    const { id } = await attempt('chat-9');
    const issued = await issue('chat-9', id, 'Rahasia');
    await h.app.store.prisma.certificate.update({ where: { code: issued.code }, data: { nameEnc: 'garbled' } });
    expect(await findCertificate(h.app.store.prisma, h.app.secrets, issued.code)).toMatchObject({ code: issued.code, name: null });
  });
});
