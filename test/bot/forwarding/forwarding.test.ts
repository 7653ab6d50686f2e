import { readFileSync } from 'node:fs';
import { PDFDocument, PDFString } from '@cantoo/pdf-lib';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import { createSmtpMailer } from '../../../bot/forwarding/mailer.ts';
import { remindUnacknowledged } from '../../../bot/forwarding/escalation.ts';
import { enqueueOutbox, outboxCounts } from '../../../bot/forwarding/outbox.ts';
import { forwardingLane } from '../../../bot/forwarding/forwarding.ts';
import { storeMedia } from '../../../bot/media/mediaStore.ts';
import { WorkerCrash, type OutboxItem } from '../../../bot/forwarding/outboxWorker.ts';
import { setOfficeEmail, setOfficeWebhook } from '../../../bot/offices/officeDirectory.ts';
import { enrolOfficer } from '../../../bot/officers/officerRepository.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { pdfText } from '../documents/fixtures.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { createTicket, FakeOfficeMessenger, RecordingSender, startWebhookReceiver } from './support/fixtures.ts';

/** A local SMTP server that keeps every message it receives, raw. */
async function startSmtp(): Promise<{ url: string; messages: string[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The MIME part of a raw e-mail with this file name, decoded. */
function attachment(raw: string, fileName: string): Buffer | undefined {
  const parts = raw.split(/\r?\n--/);
  const part = parts.find((p) => p.includes(`filename=${fileName}`) || p.includes(`filename="${fileName}"`));
  if (!part) return undefined;
  const body = part.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

describe('forwarding lanes', () => {
  const item = (kind: string, ticketId: string, destination: OutboxItem['destination']): OutboxItem => ({
    id: `${kind}-${ticketId}`,
    kind,
    destination,
    payload: { ticketId },
    dedupKey: `${kind}:${ticketId}`,
    attempts: 1,
    createdAt: new Date(),
  });
  const office = { type: 'office', officeCode: '19.05' } as const;
  const group = { type: 'telegram', chatId: '-1001', officeCode: '19.05' } as const;

  it("fans out different tickets to one office side by side, but keeps one ticket's fan-outs in order", () => {
    expect(forwardingLane(item('ticket.forward', 't1', office))).not.toBe(forwardingLane(item('ticket.forward', 't2', office)));
    expect(forwardingLane(item('ticket.forward', 't1', office))).toBe(forwardingLane(item('office.notify', 't1', office)));
  });

  it('keeps everything sent to one destination in one lane, whatever the ticket', () => {
    expect(forwardingLane(item('office.deliver', 't1', group))).toBe(forwardingLane(item('office.deliver', 't2', group)));
  });
});

describe.each(storeKinds)('forwarding on %s', (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messenger: FakeOfficeMessenger;
  let reporter: RecordingSender;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    h = await createHarness(kind, { env: { SMTP_URL: smtp.url, MAIL_FROM: 'Netra <netra@test.local>' } });
    services = officerServices(h.app);
    messenger = new FakeOfficeMessenger();
    services.setMessenger(messenger);
    reporter = new RecordingSender(h.app);
    h.app.senders.set('terminal', reporter);
    const prisma = h.app.store.prisma;
    await prisma.officeChat.create({ data: { officeCode: '19.05', chatId: '-1001905', linkedBy: 'test' } });
    await prisma.$transaction((tx) =>
      enrolOfficer(tx, h.app.secrets, { telegramUserId: '7001', officeCode: '19.04', role: 'officer' }),
    );
    await prisma.$transaction((tx) =>
      enrolOfficer(tx, h.app.secrets, { telegramUserId: '7002', officeCode: '19.04', role: 'officer' }),
    );
    await prisma.officeChat.create({ data: { officeCode: '19', chatId: '-1000019', linkedBy: 'test' } });
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
    await receiver.close();
  });

  it("sends a new ticket to the office's group: card with buttons, the B.1 PDF, and each file with its SHA-256", async () => {
    const { ticket, files } = await createTicket(h.app, { officeCode: '19.05', kind: 'formal' });
    await services.worker.drain();
    const calls = messenger.to('-1001905').filter((c) => c.html?.includes(ticket.code) || c.file);
    const card = calls[0]!;
    expect(card.method).toBe('sendText');
    expect(card.text).toContain(`Laporan baru ${ticket.code}`);
    expect(card.text).toContain('Laporan resmi');
    expect(card.text).toContain('Ikut kampanye');
    expect(card.text).toContain('Budi Santoso');
    expect(card.text).toContain('Siti Aminah');
    expect(card.text).toContain('https://example.org/post/123');
    expect(card.keyboard?.flat().map((b) => b.data)).toEqual([
      `o:ack:${ticket.code}`,
      `o:ask:${ticket.code}`,
      `o:st:${ticket.code}`,
      `o:mv:${ticket.code}`,
      `o:note:${ticket.code}`,
    ]);
    const documents = calls.filter((c) => c.method === 'sendDocument');
    expect(documents.map((d) => d.file!.fileName)).toEqual([`Formulir-B1-${ticket.code}.pdf`, 'foto-kampanye.jpg', 'surat-edaran.pdf']);
    // A formal report's form is for the initial review: it is registered only once reporter and officer sign it.
    expect(documents[0]!.text).toContain('untuk kajian awal');
    const { text } = await pdfText(documents[0]!.file!.bytes);
    expect(text).toContain(ticket.code);
    expect(text).toContain('Budi Santoso');
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('Bawaslu Kabupaten Bangka Barat');
    const photo = documents[1]!;
    expect(photo.file!.sha256).not.toBe(files[0]!.sha256);
    expect(photo.text).toContain(photo.file!.sha256);
    expect(photo.text).toContain(files[0]!.sha256);
    expect(documents[2]!.file!.sha256).toBe(files[1]!.sha256);
    expect(documents[2]!.text).toContain(files[1]!.sha256);
    const events = await h.app.store.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['submitted', 'forwarded']);
    expect((await verifyAuditLog(h.app.store.prisma)).ok).toBe(true);
  });

  it("sends a video's clean copy as the video it is, and keeps back a video whose metadata could not be removed", async () => {
    const video = readFileSync(new URL('../../fixtures/video/phone.mov', import.meta.url));
    const clean = await storeMedia(h.app.dataDir, video, { kind: 'video', mime: 'video/quicktime', fileName: 'IMG_0042.MOV' });
    // Cut inside the movie box, where the metadata sits: it cannot be read, so it has no clean copy.
    const damaged = await storeMedia(h.app.dataDir, video.subarray(0, 600), { kind: 'video', mime: 'video/quicktime', fileName: 'IMG_0043.MOV' });
    expect(damaged.strippedPath).toBeUndefined();
    // A video stored before videos were cleaned has no clean copy either.
    const { strippedPath: _dropped, ...old } = await storeMedia(h.app.dataDir, Buffer.concat([video, Buffer.from('x')]), { kind: 'video', mime: 'video/mp4', fileName: 'lama.mp4' });
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', kind: 'formal', media: [clean, damaged, old] });
    await services.worker.drain();

    const calls = messenger.to('-1001905').filter((c) => c.html?.includes(ticket.code) || c.file);
    const videos = calls.filter((c) => c.file?.fileName.endsWith('.MOV') || c.file?.fileName.endsWith('.mp4'));
    expect(videos.map((c) => c.file!.fileName)).toEqual(['IMG_0042.MOV']);
    expect(videos[0]!.file!.bytes.includes('CANARY7Q')).toBe(false);
    expect(videos[0]!.file!.mime).toBe('video/quicktime');
    expect(videos[0]!.text).toContain('Salinan tanpa metadata');
    const card = calls.find((c) => c.method === 'sendText')!;
    expect(card.text).toContain('2 berkas disimpan di server Netra tetapi tidak dikirim');
    expect(card.text).not.toContain('tidak lagi tersedia');
  });

  it("sends a document's clean copy without its author, and keeps back one that cannot be cleaned", async () => {
    const letter = await PDFDocument.create({ updateMetadata: false });
    letter.addPage([300, 200]).drawText('Kronologi kejadian', { x: 20, y: 100 });
    letter.context.trailerInfo.Info = letter.context.register(letter.context.obj({ Author: PDFString.of('Rina PENULISRAHASIA') }));
    const pdf = Buffer.from(await letter.save({ useObjectStreams: false }));
    expect(pdf.includes('PENULISRAHASIA')).toBe(true);
    const clean = await storeMedia(h.app.dataDir, pdf, { kind: 'document', mime: 'application/pdf', fileName: 'kronologi.pdf' });
    expect(clean.strippedPath).toMatch(/\.clean\.pdf$/);
    // Word 97–2003 keeps its author in a format that cannot be cleaned.
    const legacy = await storeMedia(h.app.dataDir, readFileSync(new URL('../../fixtures/office/report.doc', import.meta.url)), { kind: 'document', mime: 'application/msword', fileName: 'surat.doc' });
    expect(legacy.strippedPath).toBeUndefined();
    // A PDF stored before documents were cleaned has no clean copy: it gets one as it is forwarded.
    letter.context.trailerInfo.Info = letter.context.register(letter.context.obj({ Author: PDFString.of('Rina PENULISLAMA') }));
    const older = Buffer.from(await letter.save({ useObjectStreams: false }));
    const { strippedPath: _none, ...old } = await storeMedia(h.app.dataDir, older, { kind: 'document', mime: 'application/pdf', fileName: 'lama.pdf' });
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', kind: 'formal', withFiles: false, media: [clean, legacy, old] });
    await services.worker.drain();

    const calls = messenger.to('-1001905').filter((c) => c.html?.includes(ticket.code) || c.file);
    const documents = calls.filter((c) => c.file && ['kronologi.pdf', 'surat.doc', 'lama.pdf'].includes(c.file.fileName));
    expect(documents.map((c) => c.file!.fileName)).toEqual(['kronologi.pdf', 'lama.pdf']);
    expect(documents[1]!.file!.bytes.includes('PENULISLAMA')).toBe(false);
    // The copy is recorded on the evidence's row, so that retention removes it with the original.
    const row = await h.app.store.prisma.evidence.findFirstOrThrow({ where: { ticketId: ticket.id, fileName: 'lama.pdf' } });
    expect(row.strippedPath).toMatch(/\.clean\.pdf$/);
    expect(older.includes('PENULISLAMA')).toBe(true);
    expect(documents[0]!.file!.bytes.includes('PENULISRAHASIA')).toBe(false);
    expect((await pdfText(documents[0]!.file!.bytes)).text).toContain('Kronologi kejadian');
    expect(documents[0]!.text).toContain('Salinan tanpa metadata');
    const card = calls.find((c) => c.method === 'sendText')!;
    expect(card.text).toContain('1 berkas disimpan di server Netra tetapi tidak dikirim');
    expect(card.text).toContain('operator Netra');

    // For a tip, the office is told why, and not invited to ask for what could name the tipster.
    const tip = await createTicket(h.app, { officeCode: '19.05', kind: 'tip', withFiles: false, media: [legacy] });
    await services.worker.drain();
    const tipCard = messenger.to('-1001905').find((c) => c.method === 'sendText' && c.html?.includes(tip.ticket.code))!;
    expect(tipCard.text).toContain('1 berkas disimpan di server Netra tetapi tidak dikirim: metadatanya');
    expect(tipCard.text).toContain('mengungkap identitas pelapor');
    expect(tipCard.text).not.toContain('operator');
  });

  it.runIf(kind === 'pglite')(
    'takes a report on to its office before fanning out the reports filed after it, on the embedded database',
    async () => {
      const filedAt = new Date('2026-11-22T04:00:00.000Z');
      const first = await createTicket(h.app, { officeCode: '19.05', createdAt: filedAt, withFiles: false });
      const second = await createTicket(h.app, {
        officeCode: '19.05',
        createdAt: new Date(filedAt.getTime() + 1_000),
        withFiles: false,
      });
      const before = h.now();
      h.setNow(new Date(filedAt.getTime() + 5_000));
      // One row each time: the fan-out of the first report, then its delivery, which queues ahead of the second.
      expect(await services.worker.runOnce()).toBe(1);
      expect(await services.worker.runOnce()).toBe(1);
      h.setNow(before);
      const cards = () => messenger.to('-1001905').filter((c) => c.method === 'sendText').map((c) => c.text ?? '');
      expect(cards().some((text) => text.includes(first.ticket.code))).toBe(true);
      expect(cards().some((text) => text.includes(second.ticket.code))).toBe(false);
      await services.worker.drain();
      expect(cards().some((text) => text.includes(second.ticket.code))).toBe(true);
    },
  );

  it('gives the card and the form of a reported village head the Village Law instead of the ASN discipline sanction, and a PPPK employee PP 49/2018 beside it', async () => {
    const asn = await createTicket(h.app, { officeCode: '19.05', kind: 'tip', withFiles: false });
    const village = await createTicket(h.app, { officeCode: '19.05', kind: 'tip', withFiles: false, employment: 'village' });
    const pppk = await createTicket(h.app, { officeCode: '19.05', kind: 'tip', withFiles: false, employment: 'pppk' });
    await services.worker.drain();
    const sent = messenger.to('-1001905');
    const cardOf = (code: string) => sent.find((c) => c.method === 'sendText' && c.text?.includes(code))!.text!;
    expect(cardOf(asn.ticket.code)).toContain('Hukuman disiplin sedang (PP 94/2021)');
    expect(cardOf(asn.ticket.code)).not.toContain('PP 49/2018');
    // A PPPK employee's sanction also follows PP 49/2018 and the agency's rules.
    expect(cardOf(pppk.ticket.code)).toContain('Terlapor PPPK: BKN merujuk PP 49/2018');
    const card = cardOf(village.ticket.code);
    expect(card).toContain('Kepala desa / perangkat desa');
    expect(card).toContain('UU 6/2014 tentang Desa Pasal 29');
    expect(card).toContain('PP 94/2021 tidak berlaku');
    expect(card).not.toContain('Hukuman disiplin');
    // In regional elections a village head's favouring decision is also a crime (UU 10/2016 Pasal 71 and 188).
    expect(card).toContain('UU 10/2016 Pasal 71 ayat (1) jo. Pasal 188');
    const form = sent.find((c) => c.method === 'sendDocument' && c.file?.fileName === `Formulir-B1-${village.ticket.code}.pdf`)!;
    // A tip's form is initial information, never "ready for registration".
    expect(form.text).toContain('berisi informasi awal dari pelapor anonim, bukan laporan resmi');
    const { text } = await pdfText(form.file!.bytes);
    expect(text).toContain('Sanksi administratif UU 6/2014');
    expect(text).not.toContain('Hukuman disiplin');
  });

  it('shows only the pseudonym of a tip reporter', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', kind: 'tip' });
    await services.worker.drain();
    const card = messenger.to('-1001905').find((c) => c.method === 'sendText' && c.text?.includes(ticket.code))!;
    expect(card.text).toContain('Pelapor Elang-42');
    expect(card.text).toContain('Informasi awal (anonim)');
    const pdf = messenger.to('-1001905').find((c) => c.file?.fileName === `Formulir-B1-${ticket.code}.pdf`)!;
    const { text } = await pdfText(pdf.file!.bytes);
    expect(text).toContain('Pelapor Elang-42');
    // A file's own name can carry who sent it: a tip's files go out under the ticket's code, in the form too.
    const files = messenger.to('-1001905').filter((c) => c.method === 'sendDocument' && c.text?.includes(ticket.code));
    expect(files.map((f) => f.file!.fileName)).toEqual([`Formulir-B1-${ticket.code}.pdf`, `${ticket.code}-1.jpg`, `${ticket.code}-2.pdf`]);
    expect(text).not.toContain('foto-kampanye');
    expect(text).not.toContain('surat-edaran');
  });

  it("goes to each officer's private chat when the office has no group", async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.04' });
    await services.worker.drain();
    for (const chat of ['7001', '7002']) {
      expect(messenger.to(chat).filter((c) => c.method === 'sendText' && c.text?.includes(ticket.code))).toHaveLength(1);
    }
  });

  it('escalates to the provinsi, then to RI, when an office has no destination', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.01' });
    await services.worker.drain();
    const card = messenger.to('-1000019').find((c) => c.method === 'sendText' && c.text?.includes(ticket.code))!;
    expect(card.text).toContain('Bawaslu Kabupaten Bangka belum memiliki saluran');
    expect((await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt).not.toBeNull();
    const forwarded = await h.app.store.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.id, type: 'forwarded' } });
    expect(forwarded.text).toBe('Bawaslu Provinsi Kepulauan Bangka Belitung');

    const other = await createTicket(h.app, { officeCode: '32.01' });
    await services.worker.drain();
    const row = await h.app.store.prisma.outbox.findFirstOrThrow({ where: { dedupKey: `ticket:${other.ticket.id}:forward` } });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.lastError).toContain('Bawaslu RI');
    await h.app.store.prisma.officeChat.create({ data: { officeCode: 'RI', chatId: '-1000001', linkedBy: 'test' } });
    h.setNow(new Date(h.now().getTime() + 16 * 60_000));
    await services.worker.drain();
    const ri = messenger.to('-1000001').find((c) => c.method === 'sendText' && c.text?.includes(other.ticket.code))!;
    expect(ri.text).toContain('Bawaslu Kabupaten Bogor belum memiliki saluran');
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('escalates past an office whose only destination is an e-mail address while no SMTP server is configured', async () => {
    await setOfficeEmail(h.app.store.prisma, '19.01', 'bangka@bawaslu.test');
    services.setMailer(undefined);
    try {
      const { ticket } = await createTicket(h.app, { officeCode: '19.01' });
      await services.worker.drain();
      expect(messenger.to('-1000019').filter((c) => c.method === 'sendText' && c.text?.includes(ticket.code))).toHaveLength(1);
      expect(await h.app.store.prisma.outbox.count({ where: { dedupKey: { startsWith: `ticket:${ticket.id}`, endsWith: '>email' } } })).toBe(0);
      expect(await h.app.store.prisma.outbox.count({ where: { dedupKey: { startsWith: `ticket:${ticket.id}` }, status: { not: 'done' } } })).toBe(0);
    } finally {
      services.setMailer(createSmtpMailer(smtp.url, 'Netra <netra@test.local>'));
      await setOfficeEmail(h.app.store.prisma, '19.01', null);
    }
  });

  it('e-mails the ticket with the PDF attached and posts a signed webhook the receiver can verify', async () => {
    await setOfficeEmail(h.app.store.prisma, '19.05', 'bangkabarat@bawaslu.test');
    const hook = await setOfficeWebhook(h.app.store.prisma, h.app.secrets, '19.05', receiver.url);
    receiver.secret.value = hook!.secret!;
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', kind: 'formal' });
    await services.worker.drain();

    const mail = smtp.messages.find((m) => m.includes(ticket.code))!;
    expect(mail).toContain('To: bangkabarat@bawaslu.test');
    expect(mail).toMatch(/Subject: .*Laporan resmi/);
    const pdf = attachment(mail, `Formulir-B1-${ticket.code}.pdf`)!;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await pdfText(pdf)).text).toContain(ticket.code);
    expect(attachment(mail, 'foto-kampanye.jpg')).toBeDefined();

    const delivery = receiver.received.find((r) => r.body.includes(ticket.code))!;
    expect(delivery.valid).toBe(true);
    expect(delivery.headers['x-netra-event']).toBe('ticket.forwarded');
    const body = JSON.parse(delivery.body) as {
      ticket: { code: string; reporter: { name?: string }; evidence: Array<{ sha256: string | null }> };
      pdf: { base64: string };
    };
    expect(body.ticket.code).toBe(ticket.code);
    expect(body.ticket.reporter.name).toBe('Siti Aminah');
    expect(Buffer.from(body.pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const photoSent = messenger.calls.find((c) => c.file?.fileName === 'foto-kampanye.jpg' && c.text?.includes(ticket.code))!;
    expect(body.ticket.evidence.map((e) => e.sha256)).toContain(photoSent.file!.sha256);

    // A receiver that rejects the signature (wrong secret) makes the delivery fail permanently: dead-lettered.
    receiver.secret.value = 'not the secret';
    const rejected = await createTicket(h.app, { officeCode: '19.05' });
    await services.worker.drain();
    const dead = await h.app.store.prisma.outbox.findMany({ where: { status: 'dead', dedupKey: { startsWith: `ticket:${rejected.ticket.id}` } } });
    expect(dead.map((d) => d.lastError)).toEqual(['DeliveryError: webhook answered HTTP 401']);
    await setOfficeEmail(h.app.store.prisma, '19.05', null);
    await setOfficeWebhook(h.app.store.prisma, h.app.secrets, '19.05', null);
  });

  it('retries a failed e-mail and sends it once the server answers', async () => {
    await setOfficeEmail(h.app.store.prisma, '19.04', 'bangkatengah@bawaslu.test');
    services.setMailer(createSmtpMailer('smtp://127.0.0.1:1', 'Netra <netra@test.local>'));
    const { ticket } = await createTicket(h.app, { officeCode: '19.04', withFiles: false });
    await services.worker.drain();
    const row = await h.app.store.prisma.outbox.findFirstOrThrow({ where: { dedupKey: `ticket:${ticket.id}:forward>email` } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('SMTP');
    services.setMailer(createSmtpMailer(smtp.url, 'Netra <netra@test.local>'));
    h.setNow(new Date(row.nextAttemptAt.getTime()));
    await services.worker.drain();
    expect(smtp.messages.filter((m) => m.includes(ticket.code))).toHaveLength(1);
    await setOfficeEmail(h.app.store.prisma, '19.04', null);
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('delivers exactly once to each destination after a crash between the ticket write and the delivery', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.04' });
    // The process dies as the first message is about to leave: the fan-out is committed, nothing was sent.
    messenger.failOn = (call) => (call.method === 'sendText' && call.html?.includes(ticket.code) ? new WorkerCrash() : undefined);
    await expect(services.worker.drain()).rejects.toThrow(WorkerCrash);
    // A dead process sends nothing more: deliveries of the other destination still under way stop at their next call.
    messenger.failOn = (call) => (call.text?.includes(ticket.code) || call.html?.includes(ticket.code) ? new WorkerCrash() : undefined);
    await services.worker.stop();
    messenger.failOn = undefined;
    // A restarted app on the same database takes over once the dead worker's lease has run out.
    const restarted = await import('../../../bot/app.ts').then(({ createApp }) =>
      createApp(h.app.config, { store: h.app.store, logger: h.app.logger, clock: () => new Date(h.now().getTime() + 10 * 60_000) }),
    );
    const again = officerServices(restarted);
    again.setMessenger(messenger);
    await again.worker.drain();
    await restarted.close();
    for (const chat of ['7001', '7002']) {
      const cards = messenger.to(chat).filter((c) => c.method === 'sendText' && c.text?.includes(ticket.code));
      expect(cards).toHaveLength(1);
      const files = messenger.to(chat).filter((c) => c.method === 'sendDocument' && c.text?.includes(ticket.code));
      expect(files.map((f) => f.file!.fileName)).toEqual([`Formulir-B1-${ticket.code}.pdf`, `${ticket.code}-1.jpg`, `${ticket.code}-2.pdf`]);
    }
    expect(await h.app.store.prisma.outbox.count({ where: { dedupKey: { startsWith: `ticket:${ticket.id}` }, status: { not: 'done' } } })).toBe(0);
  });

  it('skips a delivery to an officer revoked after the fan-out, without dead-lettering it', async () => {
    const prisma = h.app.store.prisma;
    const officer = await prisma.$transaction((tx) =>
      enrolOfficer(tx, h.app.secrets, { telegramUserId: '7003', officeCode: '19.03', role: 'officer' }),
    );
    const { ticket } = await createTicket(h.app, { officeCode: '19.03', withFiles: false });
    await prisma.outbox.updateMany({ where: { dedupKey: `ticket:${ticket.id}:forward` }, data: { nextAttemptAt: new Date('2030-01-01T00:00:00Z'), attempts: 1 } });
    await enqueueOutbox(
      prisma,
      [
        {
          kind: 'office.deliver',
          destination: { type: 'officer', officerId: officer.id, officeCode: '19.03' },
          payload: { ticketId: ticket.id, officeCode: '19.03', item: { type: 'ticket', reason: 'new' } },
          dedupKey: `ticket:${ticket.id}:forward>officer:${officer.id}`,
        },
      ],
      h.now(),
    );
    await prisma.officer.update({ where: { id: officer.id }, data: { revokedAt: h.now() } });
    await services.worker.drain();
    expect(messenger.to('7003')).toEqual([]);
    expect(await prisma.outbox.findFirstOrThrow({ where: { dedupKey: `ticket:${ticket.id}:forward>officer:${officer.id}` } })).toMatchObject({
      status: 'done',
    });
    await prisma.outbox.deleteMany({ where: { dedupKey: `ticket:${ticket.id}:forward` } });
  });

  it('sends nothing more to a group unlinked after the fan-out, without dead-lettering it', async () => {
    const prisma = h.app.store.prisma;
    const link = await prisma.officeChat.create({ data: { officeCode: '19.02', chatId: '-1001902', linkedBy: 'test' } });
    const { ticket } = await createTicket(h.app, { officeCode: '19.02', withFiles: false });
    await prisma.outbox.updateMany({ where: { dedupKey: `ticket:${ticket.id}:forward` }, data: { nextAttemptAt: new Date('2030-01-01T00:00:00Z'), attempts: 1 } });
    // Routed while the group was linked; the group is unlinked (say, after its officer was revoked) before the card goes out.
    const key = `ticket:${ticket.id}:forward>tg:-1001902`;
    await enqueueOutbox(
      prisma,
      [
        {
          kind: 'office.deliver',
          destination: { type: 'telegram', chatId: '-1001902', officeCode: '19.02' },
          payload: { ticketId: ticket.id, officeCode: '19.02', item: { type: 'ticket', reason: 'new' } },
          dedupKey: key,
        },
      ],
      h.now(),
    );
    await prisma.officeChat.delete({ where: { id: link.id } });
    await services.worker.drain();
    expect(messenger.to('-1001902')).toEqual([]);
    expect(await prisma.outbox.findFirstOrThrow({ where: { dedupKey: key } })).toMatchObject({ status: 'done' });
    await prisma.outbox.deleteMany({ where: { dedupKey: `ticket:${ticket.id}:forward` } });
  });

  it('keeps a message for a channel not running in this process, polling less often as it ages, never dead-lettering it', async () => {
    const prisma = h.app.store.prisma;
    const chatKey = h.app.runtime.chatKey({ channel: 'whatsapp', chatId: '62812000111' });
    await prisma.chat.create({
      data: { key: chatKey, channel: 'whatsapp', addressEnc: h.app.secrets.encrypt('whatsapp:62812000111'), locale: 'en' },
    });
    const sentAt = h.now();
    await enqueueOutbox(
      prisma,
      [{ kind: 'chat.message', destination: { type: 'chat', chatKey }, payload: { messages: [{ type: 'text', text: { key: 'officer.reply.noQuestions' } }] }, dedupKey: 'wa-wait' }],
      sentAt,
    );
    await services.worker.drain();
    let row = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'wa-wait' } });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.nextAttemptAt.getTime() - sentAt.getTime()).toBe(5_000);
    h.setNow(new Date(sentAt.getTime() + 3_600_000));
    await services.worker.drain();
    row = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'wa-wait' } });
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.nextAttemptAt.getTime() - h.now().getTime()).toBe(360_000);
    const whatsapp = new RecordingSender(h.app, 'whatsapp');
    h.app.senders.set('whatsapp', whatsapp);
    h.setNow(new Date(row.nextAttemptAt.getTime()));
    await services.worker.drain();
    expect(whatsapp.textsFor('62812000111')).toContain('There are no questions from officers');
    h.app.senders.delete('whatsapp');
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('reminds an office of a ticket unacknowledged after ESCALATE_AFTER and copies its provinsi, once', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', createdAt: new Date('2026-11-22T03:00:00.000Z') });
    await services.worker.drain();
    h.setNow('2026-11-24T02:59:00.000Z');
    expect(await services.remind()).not.toContain(ticket.id);
    h.setNow('2026-11-24T03:01:00.000Z');
    expect(await services.remind()).toContain(ticket.id);
    expect(await services.remind()).not.toContain(ticket.id);
    // Every open ticket of this file is reminded now, a reminder and a copy each; on PGlite the worker takes one row
    // at a time, so that is more than drain()'s default 50 rounds.
    await services.worker.drain(500);
    const reminder = messenger.to('-1001905').find((c) => c.text?.includes('Pengingat') && c.text.includes(ticket.code))!;
    expect(reminder.keyboard?.flat()[0]?.data).toBe(`o:ack:${ticket.code}`);
    const copy = messenger.to('-1000019').find((c) => c.method === 'sendText' && c.text?.includes(ticket.code))!;
    expect(copy.text).toContain('Salinan untuk perhatian');
    expect(copy.text).toContain('lebih dari 48 jam');
    // A reminder names the office its copy actually reaches, and none where there is none above (Bawaslu RI
    // received the Bogor ticket, its kabupaten and provinsi having no destination).
    const reminders = messenger.calls.filter((c) => c.text?.includes('Pengingat'));
    expect(reminders.filter((c) => c.text?.includes('dikirim ke -'))).toEqual([]);
    expect(reminders.find((c) => c.chatId === '-1000001')?.text).not.toContain('Salinan tiket dikirim');
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('names the office a reminder\'s copy reaches: past a provinsi with no destination, Bawaslu RI', async () => {
    await h.app.store.prisma.officeChat.create({ data: { officeCode: '32.73', chatId: '-1003273', linkedBy: 'test' } });
    const { ticket } = await createTicket(h.app, { officeCode: '32.73', createdAt: new Date('2026-11-22T03:00:00.000Z') });
    await services.worker.drain(500);
    h.setNow('2026-11-24T03:01:00.000Z');
    expect(await services.remind()).toContain(ticket.id);
    await services.worker.drain(500);
    const reminder = messenger.to('-1003273').find((c) => c.text?.includes('Pengingat') && c.text.includes(ticket.code))!;
    expect(reminder.text).toContain('Salinan tiket dikirim ke Bawaslu Republik Indonesia');
    expect(messenger.to('-1000001').some((c) => c.method === 'sendText' && c.text?.includes(ticket.code) && c.text.includes('Salinan untuk perhatian'))).toBe(true);
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('keeps reminding when more tickets were reminded already than one run takes', async () => {
    const deps = { prisma: h.app.store.prisma, logger: h.app.logger, clock: () => h.now(), escalateAfterMs: 48 * 3_600_000, canEmail: () => false };
    // Two tickets (and any other open one of this file) are reminded first: older than the ones below, they must
    // not fill a run's places.
    for (const at of ['2026-11-25T00:00:00.000Z', '2026-11-25T01:00:00.000Z']) await createTicket(h.app, { officeCode: '19.05', createdAt: new Date(at) });
    h.setNow('2026-11-28T03:00:00.000Z');
    expect((await remindUnacknowledged(deps, 1_000)).length).toBeGreaterThanOrEqual(2);
    const created = ['2026-11-25T03:00:00.000Z', '2026-11-25T04:00:00.000Z', '2026-11-25T05:00:00.000Z'];
    const ids: string[] = [];
    for (const at of created) ids.push((await createTicket(h.app, { officeCode: '19.05', createdAt: new Date(at) })).ticket.id);
    const first = await remindUnacknowledged(deps, 2);
    const second = await remindUnacknowledged(deps, 2);
    expect(first).toEqual(ids.slice(0, 2));
    // The reminder is keyed by the instant the ticket reached its office, to the millisecond.
    const key = `ticket:${ids[0]}:reminder:${new Date(created[0]!).getTime()}`;
    expect(await h.app.store.prisma.outbox.findUnique({ where: { dedupKey: key } })).toMatchObject({ payload: expect.objectContaining({ since: created[0] }) });
    expect(second).toEqual(ids.slice(2));
    expect(await remindUnacknowledged(deps, 2)).toEqual([]);
    await services.worker.drain(500);
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('ends with every delivery done except the one the receiver refused, and an intact audit chain', async () => {
    await services.worker.drain();
    expect(await outboxCounts(h.app.store.prisma)).toEqual({ done: expect.any(Number), dead: 1 });
    expect((await verifyAuditLog(h.app.store.prisma)).ok).toBe(true);
  });
});
